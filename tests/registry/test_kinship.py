"""Kinship against the database: relatives to a degree with their paths, the set-based walk
over a village, declaring and removing relations, scope, pages and the command line."""

from __future__ import annotations

import itertools

from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.factories.registry import family
from tests.registry.counting import statements
from zhucun import cli
from zhucun.core.audit import AuditEntry
from zhucun.core.auth import Principal
from zhucun.core.permissions import Role
from zhucun.divisions.models import Division
from zhucun.registry.kinship import queries
from zhucun.registry.kinship.models import KinRelation
from zhucun.registry.kinship.rules import Edge, household_edges, walk
from zhucun.registry.models import Member, RegistryChange

ROLL = [
    ("02", "王德福"),
    ("12", "赵玉兰"),
    ("22", "王建军"),
    ("33", "王秀梅"),
    ("38", "陈丽"),
    ("41", "王小虎"),
    ("51", "王老汉"),
]


def _ids(session, household) -> list[int]:
    return list(session.scalars(select(Member.id).where(Member.household_id == household.id).order_by(Member.id)))


def _village(session, settings, village: str, households: int, first: int) -> list[list[int]]:
    """``households`` families of seven in the village; the heads of neighbours declared brothers."""
    rolls = [
        _ids(
            session,
            family(session, settings, village, f"{village[:6]}8{first // 10 + i:05d}", ROLL, first=first + 10 * i),
        )
        for i in range(households)
    ]
    for left, right in itertools.pairwise(rolls):
        session.add(KinRelation(county_code=village[:6], member_a=left[0], member_b=right[0], kind="sibling"))
    session.commit()
    return rolls


def test_relatives_with_degree_and_path_in_both_languages(api, world):
    zhen = api("zhen")
    url = f"/api/v1/members/{world.a.county_code}/{world.a.member_id}/relatives"
    near = zhen.get(url, params={"degree": 1}).json()
    assert near["degree"] == 1 and near["hidden"] == 0
    assert {(r["name"], tuple(r["path"])) for r in near["items"]} == {("张建国", ("parent",)), ("李秀英", ("parent",))}
    far = zhen.get(url, params={"degree": 3}).json()["items"]
    uncle = next(r for r in far if r["member_id"] == world.a.kin_b)
    assert uncle["degree"] == 2 and uncle["path"] == ["parent", "sibling"] and uncle["path_text"] == "父亲 → 兄弟"
    aunt = next(r for r in far if r["degree"] == 3)
    assert aunt["path_text"] == "父亲 → 兄弟 → 妻子"
    english = zhen.get(url, params={"degree": 3}, headers={"Accept-Language": "en"}).json()["items"]
    assert [r["path_text"] for r in english if r["degree"] == 3] == ["father → brother → wife"]
    assert zhen.get(url).json()["degree"] == 2  # the configured default


def test_the_degree_is_bounded_by_the_setting_with_a_located_message(api, world):
    url = f"/api/v1/members/{world.a.county_code}/{world.a.member_id}/relatives"
    too_far = api("zhen").get(url, params={"degree": 5}, headers={"Accept-Language": "en"})
    assert too_far.status_code == 422
    assert too_far.json()["field"] == "degree" and "between 1 and 4" in too_far.json()["message"]
    assert "1" in api("zhen").get(url, params={"degree": 5}).json()["message"]
    assert api("zhen").get(url, params={"degree": 0}).json()["field"] == "degree"


def test_the_walk_in_the_database_agrees_with_the_rules(session, settings, world):
    rolls = _village(session, settings, world.a.village, 4, first=3000)
    everyone = [m for roll in rolls for m in roll]
    edges = [e for roll in rolls for e in household_edges(zip(roll, [r for r, _n in ROLL], strict=True))]
    edges += [Edge(left[0], right[0], "sibling") for left, right in itertools.pairwise(rolls)]
    expected = walk(everyone, edges, 3)
    assert queries.relatives_of(session, everyone, 3) == expected
    assert queries.relatives_of(session, everyone, 3, county=world.a.county[:6]) == expected


def test_relatives_households_of_village_officials(session, settings, world):
    rolls = _village(session, settings, world.a.village, 3, first=3100)
    officials = [rolls[0][0], rolls[2][2]]  # a head, and the son in the last household
    homes = {
        member: household
        for roll in rolls
        for member, household in session.execute(select(Member.id, Member.household_id).where(Member.id.in_(roll)))
    }
    found = queries.relative_households_of(session, officials, 1)
    head = found[rolls[0][0]]
    assert head[homes[rolls[0][0]]].degree == 0
    assert head[homes[rolls[1][0]]].path[0].step == "sibling"
    assert homes[rolls[2][0]] not in head  # two steps away
    assert set(queries.relative_households_of(session, officials, 2)[rolls[0][0]]) == {
        homes[rolls[0][0]],
        homes[rolls[1][0]],
        homes[rolls[2][0]],
    }


def test_the_walk_is_one_query_per_degree_however_much_data(session, settings, engine, world):
    county = world.a.county[:6]
    small = _village(session, settings, world.a.village, 2, first=3200)
    with statements(engine) as few:
        queries.relatives_of(session, [m for roll in small for m in roll], 3, county=county)
    large = _village(session, settings, world.a.village, 12, first=3300)
    anchors = [m for roll in small + large for m in roll]
    with statements(engine) as many:
        found = queries.relatives_of(session, anchors, 3, county=county)
    assert len(few) == len(many) == 3
    assert sum(map(len, found.values())) > 1000
    with statements(engine) as households:
        queries.relative_households_of(session, anchors, 3)
    assert len(households) == 5  # the anchors' counties, three degrees, their households


def _declare(world, **extra):
    return {
        "member_a": world.a.member_id,
        "member_b": world.a.kin_b,
        "kind": "其他亲属",
        "reason": "村民代表证实",
        **extra,
    }


def test_declaring_and_removing_keeps_history_and_audit(api, world, session):
    township = api("zhen")
    response = township.post("/api/v1/kin", json=_declare(world, note="远房表亲"))
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "other"
    declared = township.get(f"/api/v1/members/{world.a.county_code}/{world.a.kin_b}/kin").json()
    assert {(k["member_a"], k["member_b"]) for k in declared} == {
        (world.a.kin_a, world.a.kin_b),
        (world.a.member_id, world.a.kin_b),
    }
    change = session.scalars(
        select(RegistryChange).where(RegistryChange.entity_id == world.a.member_id).order_by(RegistryChange.id.desc())
    ).first()
    assert change.action == "declared" and change.reason == "村民代表证实" and change.after["kind"] == "other"
    url = f"/api/v1/kin/{world.a.county_code}/{world.a.kin_b}/{world.a.member_id}/remove"  # either way round
    assert township.post(url, json={"reason": "x"}).json()["field"] == "reason"
    assert township.post(url, json={"reason": "登记有误"}).status_code == 204
    assert township.post(url, json={"reason": "登记有误"}).status_code == 404
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(world.a.member_id))).all()
    assert {"registry:kin:declared", "registry:kin:removed"} <= set(actions)


def test_self_duplicates_and_bad_kinds_are_refused_with_the_field(api, world, session):
    township = api("zhen")
    assert township.post("/api/v1/kin", json=_declare(world)).status_code == 201
    again = township.post("/api/v1/kin", json=_declare(world, member_a=world.a.kin_b, member_b=world.a.member_id))
    assert again.status_code == 409 and again.json() | {"message": ""} == {
        "code": "kin_exists",
        "field": "member_b",
        "message": "",
    }
    same = township.post("/api/v1/kin", json=_declare(world, member_b=world.a.member_id))
    assert same.status_code == 422 and same.json()["code"] == "same_person"
    unknown = township.post("/api/v1/kin", json=_declare(world, kind="cousin"), headers={"Accept-Language": "en"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "kind"
    assert unknown.json()["errors"][0]["message"] == "Unknown value “cousin”."
    chinese = township.post("/api/v1/kin", json=_declare(world, kind="cousin")).json()
    assert "无法识别" in chinese["errors"][0]["message"]
    before = session.scalar(select(func.count()).select_from(KinRelation))
    across = api("admin").post("/api/v1/kin", json=_declare(world, member_b=world.b.kin_b))
    assert across.status_code == 422 and across.json()["code"] == "other_county"
    assert session.scalar(select(func.count()).select_from(KinRelation)) == before


def test_other_counties_and_villages_stay_out_of_sight(api, session, settings, world):
    assert api("shuji").get(f"/api/v1/members/{world.b.county_code}/{world.b.member_id}/relatives").status_code == 404
    assert api("shuji").post("/api/v1/kin", json=_declare(world, member_b=world.b.kin_b)).status_code == 404
    other_village = session.scalars(
        select(Division.code).where(Division.parent_code == world.a.township, Division.code != world.a.village)
    ).first()
    cousin = _ids(session, family(session, settings, other_village, "5227998999", [("02", "刘表哥")], first=3900))[0]
    session.add(KinRelation(county_code=world.a.county[:6], member_a=world.a.member_id, member_b=cousin, kind="other"))
    session.commit()
    village_view = (
        api("shuji")
        .get(f"/api/v1/members/{world.a.county_code}/{world.a.member_id}/relatives", params={"degree": 1})
        .json()
    )
    assert village_view["hidden"] == 1 and "刘表哥" not in str(village_view)
    township_view = (
        api("zhen")
        .get(f"/api/v1/members/{world.a.county_code}/{world.a.member_id}/relatives", params={"degree": 1})
        .json()
    )
    assert township_view["hidden"] == 0 and "刘表哥" in str(township_view)


def test_kinship_pages_in_both_languages(client, web, world):
    csrf = web("zhen")
    page = client.get(f"/registry/members/{world.a.county_code}/{world.a.member_id}/kin", params={"degree": 2})
    assert page.status_code == 200 and "张小明的亲属" in page.text and "父亲 → 兄弟" in page.text
    english = client.get(f"/registry/members/{world.a.county_code}/{world.a.member_id}/kin", params={"lang": "en"})
    assert "Relatives of 张小明" in english.text and "father → brother" in english.text
    found = client.get("/registry/kin", params={"q": "张小"})
    assert f"/registry/members/{world.a.county_code}/{world.a.member_id}/kin" in found.text
    form = {"csrf_token": csrf, "other": "12345678", "kind": "child", "reason": "村民代表证实"}
    wrong = client.post(f"/registry/members/{world.a.county_code}/{world.a.member_id}/kin", data=form)
    assert wrong.status_code == 422 and "No resident with this number in your area." in wrong.text
    declared = client.post(
        f"/registry/members/{world.a.county_code}/{world.a.member_id}/kin",
        data={**form, "other": str(world.a.kin_b)},
        follow_redirects=False,
    )
    assert declared.status_code == 303
    page = client.get(
        f"/registry/members/{world.a.county_code}/{world.a.kin_b}/kin", params={"degree": 1, "lang": "zh_CN"}
    )
    assert "张小明" in page.text and "儿子" in page.text


def test_the_command_line_lists_relatives(db, settings, world, monkeypatch):
    monkeypatch.setattr(db, "dispose", lambda: None)
    monkeypatch.setattr(cli, "database", lambda: db)
    monkeypatch.setattr(cli, "settings", lambda: settings)
    cli._mount()
    env = {"ZHUCUN_LANG": "zh_CN"}
    result = CliRunner().invoke(
        cli.app, ["registry", "kin", "relatives", str(world.a.member_id), "--degree", "2"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "父亲 → 兄弟" in result.output and "个亲属" in result.output
    assert Principal.system().can("registry:kin:read")
    # With the county (routed to its shard on Citus): the same list; another county finds no one.
    args = ["registry", "kin", "relatives", str(world.a.member_id), "--degree", "2"]
    routed = CliRunner().invoke(cli.app, [*args, "--county", world.a.county_code], env=env)
    assert routed.exit_code == 0 and routed.output == result.output
    elsewhere = CliRunner().invoke(cli.app, [*args, "--county", world.b.county_code], env=env)
    assert elsewhere.exit_code != 0 and "父亲 → 兄弟" not in elsewhere.output


def _move_away(session, world) -> str:
    """Move the second household of A's village to another village of the county."""
    from zhucun.registry.models import Household

    elsewhere = session.scalars(
        select(Division.code).where(
            Division.level == "village", Division.code.startswith(world.a.county[:6]), Division.code != world.a.village
        )
    ).first()
    for model in (Household, Member):
        column = model.id if model is Household else model.household_id
        session.execute(model.__table__.update().where(column == world.a.household2_id).values(village_code=elsewhere))
    session.execute(
        KinRelation.__table__.update()
        .where(KinRelation.member_a.in_([world.a.kin_a, world.a.kin_b]))
        .values(note="兄长在外村，有赌博前科")
    )
    session.commit()
    return elsewhere


def test_a_declared_relative_outside_the_area_shows_neither_id_nor_note(api, session, world):
    _move_away(session, world)
    response = api("shuji").get(f"/api/v1/members/{world.a.county_code}/{world.a.kin_a}/kin")
    assert response.status_code == 200, response.text
    [item] = response.json()
    assert item["outside"] is True
    assert item["note"] is None
    assert world.a.kin_b not in (item["member_a"], item["member_b"])
    assert world.a.kin_a in (item["member_a"], item["member_b"])
    assert "赌博" not in response.text


def test_the_kin_page_does_not_show_an_outside_relatives_id_or_note(client, db, settings, session, world):
    from tests.factories.auth import cookie_headers

    _move_away(session, world)
    headers, _csrf = cookie_headers(db, settings, "shuji")
    page = client.get(f"/registry/members/{world.a.county_code}/{world.a.kin_a}/kin", headers=headers)
    assert page.status_code == 200
    assert "赌博" not in page.text
    assert (
        f"/{world.a.kin_b}/remove" not in page.text
        and f"/registry/kin/{world.a.county_code}/{world.a.kin_b}/" not in page.text
    )


def test_within_the_area_the_declared_relation_shows_both_and_the_note(api, session, world):
    _move_away(session, world)
    [item] = api("xczx").get(f"/api/v1/members/{world.a.county_code}/{world.a.kin_a}/kin").json()
    assert (item["outside"], item["note"]) == (False, "兄长在外村，有赌博前科")


def test_household_history_hides_kin_declarations_from_roles_without_the_kinship_permission(api, client, web, world):
    """A helper may read the household but not the kinship declared for its members."""
    declared = api("zhen").post(
        "/api/v1/kin",
        json={"member_a": world.a.member_id, "member_b": world.a.kin_b, "kind": "other", "reason": "村民代表证实"},
    )
    assert declared.status_code in (200, 201), declared.text
    web(world.a.users[Role.HELPER])
    page = client.get(f"/registry/households/{world.a.county_code}/{world.a.household_id}")
    assert page.status_code == 200
    assert "村民代表证实" not in page.text
