"""Duplicate registrations: found by one GROUP BY within and across counties, shown within
the caller's area, paged, exported, and resolved with history and audit."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from tests.conftest import BACKEND
from tests.factories.registry import family, register_again
from tests.registry.counting import statements
from zhucun import cli
from zhucun.core.audit import AuditEntry
from zhucun.core.scope import Scope
from zhucun.registry.duplicates import queries
from zhucun.registry.models import Household, Member, RegistryChange


def _member(session, member_id: int) -> Member:
    return session.scalars(select(Member).where(Member.id == member_id)).one()


def _household(session, household_id: int) -> Household:
    return session.scalars(select(Household).where(Household.id == household_id)).one()


def _groups(body) -> list[list[dict]]:
    return [d["registrations"] for d in body["items"]]


def test_a_person_on_two_counties_rolls_is_reported_with_both_registrations(api, world):
    body = api("admin").get("/api/v1/duplicates").json()
    assert body["total"] == body["across_counties"] == 1
    [registrations] = _groups(body)
    assert {r["member_id"] for r in registrations} == {world.a.duplicate_id, world.a.member_id}
    assert {r["village_code"] for r in registrations} == {world.a.village, world.b.village}
    assert all(r["visible"] and r["name"] == "张小明" and "*" in r["id_masked"] for r in registrations)
    assert {r["household_no"] for r in registrations} == {"5227990001", "5227980002"}


def test_each_county_sees_its_own_registration_and_only_that_there_is_another(api, world):
    for username, mine in (("xczx", world.a), ("rrbureau_b", world.b)):
        [registrations] = _groups(api(username).get("/api/v1/duplicates").json())
        shown = [r for r in registrations if r["visible"]]
        hidden = [r for r in registrations if not r["visible"]]
        assert [r["village_code"] for r in shown] == [mine.village]
        assert len(hidden) == 1 and set(hidden[0].values()) == {False, None}


def test_one_statement_per_page_however_many_duplicates(api, session, settings, engine, world):
    with statements(engine) as few:
        queries.page(session, Scope.everywhere(), limit=10)
    target = _household(session, world.b.household_id)
    for number in range(12):
        home = family(
            session, settings, world.a.village, f"52279977{number:02d}", [("02", f"杨{number}")], first=4000 + number
        )
        person = session.scalars(select(Member).where(Member.household_id == home.id)).one()
        register_again(session, person, target)
    session.commit()
    with statements(engine) as many:
        items, cursor = queries.page(session, Scope.everywhere(), limit=10)
    assert len(few) == len(many) == 1 and len(items) == 10 and cursor
    rest, end = queries.page(session, Scope.everywhere(), limit=10, cursor=cursor)
    assert len(rest) == 3 and end is None
    with statements(engine) as counted:
        assert queries.summary(session, Scope.everywhere()) == (13, 13)
    assert len(counted) == 1


def test_pages_and_filters_through_the_api(api, session, settings, world):
    other = family(session, settings, world.a.village, "5227997801", [("02", "周大海")], first=4100)
    register_again(session, _member(session, _ids(session, other)[0]), _household(session, world.b.household_id))
    session.commit()
    admin = api("admin")
    first = admin.get("/api/v1/duplicates", params={"limit": 1}).json()
    second = admin.get("/api/v1/duplicates", params={"limit": 1, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == len(second["items"]) == 1 and second["next_cursor"] is None
    assert _groups(first) != _groups(second)
    assert len(admin.get("/api/v1/duplicates", params={"area": world.b.county}).json()["items"]) == 2
    assert admin.get("/api/v1/duplicates", params={"area": world.b.village[:9] + "299"}).json()["items"] == []
    bad = admin.get("/api/v1/duplicates", params={"cursor": "nonsense"}, headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and bad.json()["field"] == "cursor"


def _ids(session, household) -> list[int]:
    return list(session.scalars(select(Member.id).where(Member.household_id == household.id)))


@pytest.mark.skipif(
    BACKEND != "postgresql",
    reason="the per-county unique index cannot be lifted inside a "
    "transaction on SQLite, so duplicates within a county cannot exist",
)
def test_duplicates_within_a_county_from_an_old_import(api, session, world):
    # An import from before the unique index: lifted inside this test's transaction only.
    session.execute(text("ALTER TABLE members DROP CONSTRAINT uq_members_county_code_id_hash"))
    head = session.scalars(
        select(Member).where(Member.household_id == world.a.household_id, Member.relation == "02")
    ).one()
    again = register_again(session, head, _household(session, world.a.household2_id))
    session.commit()
    within = api("xczx").get("/api/v1/duplicates", params={"kind": "within"}).json()
    assert [{r["member_id"] for r in g} for g in _groups(within)] == [{head.id, again}]
    assert within["total"] == 2 and within["across_counties"] == 1
    across = api("xczx").get("/api/v1/duplicates", params={"kind": "across"}).json()
    assert {r["member_id"] for g in _groups(across) for r in g if r["visible"]} == {world.a.member_id}


def test_taking_one_registration_off_the_roll(api, session, world):
    url = f"/api/v1/duplicates/{world.b.county_code}/{world.a.duplicate_id}/resolve"
    assert api("xczx").post(url, json={"outcome": "moved_out", "reason": "已在外县落户"}).status_code == 404
    response = api("rrbureau_b").post(url, json={"outcome": "moved_out", "reason": "已回原籍落户"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "3"
    assert _household(session, world.b.household2_id).member_count == 2
    assert api("admin").get("/api/v1/duplicates").json()["total"] == 0
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(world.a.duplicate_id))).all()
    assert {"registry:duplicate:resolved", "registry:member:removed"} <= set(actions)
    change = session.scalars(
        select(RegistryChange)
        .where(RegistryChange.entity_id == world.a.duplicate_id)
        .order_by(RegistryChange.id.desc())
    ).first()
    assert change.after == {"status": "3"} and change.reason == "已回原籍落户"
    again = api("rrbureau_b").post(url, json={"outcome": "other_removal", "reason": "再次处理"})
    assert again.status_code == 409 and again.json()["code"] == "not_a_duplicate"


def test_marking_not_the_same_person_hides_the_duplicate(api, session, world):
    url = f"/api/v1/duplicates/{world.a.county_code}/{world.a.member_id}/resolve"
    response = api("zhen").post(url, json={"outcome": "not_same_person", "reason": "身份证号录入错误，另行更正"})
    assert response.status_code == 200 and response.json()["status"] == "1"
    assert api("admin").get("/api/v1/duplicates").json()["items"] == []
    change = session.scalars(
        select(RegistryChange).where(RegistryChange.entity_id == world.a.member_id).order_by(RegistryChange.id.desc())
    ).first()
    assert change.action == "reviewed" and change.after["others"] == [f"{world.b.county[:6]}-{world.a.duplicate_id}"]
    assert api("zhen").post(url, json={"outcome": "not_same_person", "reason": "重复"}).status_code == 409


def test_resolutions_are_validated_with_located_translated_errors(api, world):
    url = f"/api/v1/duplicates/{world.a.county_code}/{world.a.member_id}/resolve"
    wrong = api("zhen").post(url, json={"outcome": "delete", "reason": "重复"}, headers={"Accept-Language": "en"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "outcome"
    assert wrong.json()["errors"][0]["message"].startswith("Must be one of")
    missing = api("zhen").post(url, json={"outcome": "moved_out"})
    assert missing.json()["field"] == "reason" and missing.json()["errors"][0]["message"] == "此项为必填项。"
    assert api("bangfu").post(url, json={"outcome": "moved_out", "reason": "重复"}).status_code == 403


def test_the_export_masks_and_hides_what_lies_outside_the_area(api, world):
    everyone = api("admin").get("/api/v1/duplicates/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(everyone)))
    assert rows[0][0] == "重复序号" and len(rows) == 3
    assert {r[3] for r in rows[1:]} == {world.a.village, world.b.village}
    mine = list(csv.reader(io.StringIO(api("xczx").get("/api/v1/duplicates/export.csv").content.decode("utf-8-sig"))))
    assert [r[6] for r in mine[1:]].count("在您的管辖范围以外登记") == 1 and "522798" not in str(mine)
    assert api("xczx").get("/api/v1/duplicates/export.xlsx").content[:2] == b"PK"


def test_the_page_in_both_languages_and_resolving_from_it(client, web, world, session):
    csrf = web("xczx")
    page = client.get("/registry/duplicates")
    assert page.status_code == 200 and "重复登记" in page.text and "另在您的管辖范围以外登记" in page.text
    assert "Also registered outside your area." in client.get("/registry/duplicates", params={"lang": "en"}).text
    form = {"csrf_token": csrf, "outcome": "other_removal", "reason": ""}
    refused = client.post(f"/registry/duplicates/{world.a.county_code}/{world.a.member_id}/resolve", data=form)
    assert refused.status_code == 422 and "Must have at least 2 characters." in refused.text  # still in English
    done = client.post(
        f"/registry/duplicates/{world.a.county_code}/{world.a.member_id}/resolve",
        data={**form, "reason": "已在外县落户"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert _member(session, world.a.member_id).status == "5"


def test_the_command_line_reports_and_writes_a_file(db, world, monkeypatch, tmp_path):
    monkeypatch.setattr(db, "dispose", lambda: None)
    monkeypatch.setattr(cli, "database", lambda: db)
    cli._mount()
    target = tmp_path / "duplicates.csv"
    result = CliRunner().invoke(cli.app, ["registry", "duplicates", "report", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "有 1 个身份证号在册登记不止一次" in result.output
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 3
    wrong = CliRunner().invoke(cli.app, ["registry", "duplicates", "report", "--kind", "both"])
    assert wrong.exit_code == 1 and "within" in wrong.output


def test_the_page_filters_by_an_area_chosen_with_the_division_picker(client, web, world, session):
    from zhucun.divisions.models import Division

    web("admin")
    county_b = session.scalars(select(Division).where(Division.code == world.b.county)).one()
    everything = client.get("/registry/duplicates", params={"lang": "en"})
    assert everything.status_code == 200 and 'data-testid="picker-area"' in everything.text
    assert 'name="area"' in everything.text and 'pattern="\\d{12}"' not in everything.text
    # The picker's search finds the county by part of its name.
    picks = client.get("/divisions/pick", params={"area__q": county_b.name[:2]})
    assert picks.status_code == 200 and world.b.county in picks.text
    picked = client.get("/registry/duplicates", params={"area": world.b.county, "lang": "en"})
    assert picked.status_code == 200
    # The box shows the chosen area by its name, never its code.
    box = picked.text.split('name="area__q"', 1)[1].split(">", 1)[0]
    assert f'value="{county_b.name}' in box and world.b.county not in box
    assert picked.text.count('<tr data-member="') == 2
    # A village without duplicates, typed by its exact name without picking: an empty list.
    quiet = session.scalars(
        select(Division).where(Division.level == "village", Division.code.not_in([world.a.village, world.b.village]))
    ).first()
    typed = client.get("/registry/duplicates", params={"area__q": quiet.name, "lang": "en"})
    assert typed.status_code == 200 and '<tr data-member="' not in typed.text
    assert "No duplicate registrations." in typed.text
    unknown = client.get("/registry/duplicates", params={"area__q": "没有这个地方", "lang": "en"})
    assert unknown.status_code == 422 and "matches no single entry" in unknown.text
    assert client.get("/registry/duplicates", params={"area": "12"}).status_code == 422
