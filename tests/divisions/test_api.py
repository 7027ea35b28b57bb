"""The division API: lists with filters and keyset pages, details, edits, and areas."""

from __future__ import annotations

import base64
import json
import math

import pytest
from sqlalchemy import func, select

from tests.factories.world import World
from zhucun.core.audit import AuditEntry
from zhucun.divisions.models import Division, VillageGroup

LIST = "/api/v1/divisions"


def walk(client, params: dict, limit: int) -> tuple[list[dict], int]:
    """Every item of a list, page by page; returns the items and the number of pages."""
    items, cursor, pages = [], None, 0
    while True:
        body = client.get(LIST, params={**params, "limit": limit, **({"cursor": cursor} if cursor else {})}).json()
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages


def codes(session, *where) -> list[str]:
    return list(session.scalars(select(Division.code).where(*where).order_by(Division.code)))


def audit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


# --- filters -----------------------------------------------------------------------------------


def test_parent_lists_the_divisions_right_below(api, session, world: World):
    body = api("admin").get(LIST, params={"parent": world.a.township}).json()
    assert [d["code"] for d in body["items"]] == codes(session, Division.parent_code == world.a.township)
    assert {d["level"] for d in body["items"]} == {"village"}


def test_level_filters_by_level(api, world: World):
    admin = api("admin")
    counties = admin.get(LIST, params={"level": "county"}).json()["items"]
    assert [d["code"] for d in counties] == [world.b.county, world.a.county]
    assert admin.get(LIST, params={"level": "town"}).status_code == 422


def test_q_matches_part_of_a_name(api, session):
    items, _pages = walk(api("admin"), {"q": "社区"}, 50)
    assert items and all("社区" in d["name"] for d in items)
    assert [d["code"] for d in items] == codes(session, Division.name.contains("社区"))


def test_q_of_digits_is_a_code_prefix(api, session, world: World):
    prefix = world.a.township[:9]
    items, _pages = walk(api("admin"), {"q": prefix}, 50)
    assert [d["code"] for d in items] == codes(session, Division.code.startswith(prefix))
    assert items[0]["code"] == world.a.township and len(items) > 1


def test_q_is_taken_literally(api):
    admin = api("admin")
    for text in ("%", "_", "社区%"):
        assert admin.get(LIST, params={"q": text}).json()["items"] == []


def test_filters_combine(api, session, world: World):
    body = api("admin").get(LIST, params={"parent": world.a.county, "level": "township", "q": "乡"}).json()
    assert [d["code"] for d in body["items"]] == codes(
        session, Division.parent_code == world.a.county, Division.name.contains("乡")
    )
    assert body["items"] and all(d["name"].endswith("乡") for d in body["items"])


# --- keyset pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"level": "village"}, {"q": "52279910"}], ids=["all", "villages", "prefix"])
def test_walking_pages_of_7_gives_every_division_once(api, params):
    admin = api("admin")
    walked, pages = walk(admin, params, 7)
    whole = admin.get(LIST, params={**params, "limit": 500}).json()
    assert whole["next_cursor"] is None
    walked_codes = [d["code"] for d in walked]
    assert len(walked_codes) == len(set(walked_codes))  # no duplicates
    assert walked_codes == sorted(walked_codes)  # no gaps: the same ordered set as one big page
    assert walked_codes == [d["code"] for d in whole["items"]]
    assert pages == max(1, math.ceil(len(walked_codes) / 7))


def test_a_page_ends_where_the_list_ends(api, world: World):
    admin = api("admin")
    n = len(admin.get(LIST, params={"parent": world.a.township, "limit": 500}).json()["items"])
    last = admin.get(LIST, params={"parent": world.a.township, "limit": n}).json()
    assert len(last["items"]) == n and last["next_cursor"] is None


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        _cursor({"code": "522799"}),
        _cursor([{"a": 1}]),
        _cursor([1]),
        _cursor([None]),
        _cursor([True]),
        _cursor(["522799", "522799"]),
        _cursor("522799"),
        "x" * 501,
    ],
    ids=[
        "garbage",
        "not base64",
        "object",
        "object in list",
        "number",
        "null",
        "boolean",
        "two keys",
        "string",
        "too long",
    ],
)
def test_a_forged_cursor_is_refused(api, cursor):
    response = api("admin").get(LIST, params={"cursor": cursor})
    assert response.status_code == 422
    assert response.json()["field"] == "cursor"


def test_a_forged_cursor_is_refused_in_english_too(api):
    response = api("admin").get(LIST, params={"cursor": _cursor([{"a": 1}])}, headers={"Accept-Language": "en"})
    assert (response.status_code, response.json()["message"]) == (422, "The page cursor is invalid.")


# --- details -----------------------------------------------------------------------------------


def test_a_village_shows_its_attributes_and_groups(api, session, world: World):
    body = api("admin").get(f"{LIST}/{world.a.village}").json()
    village = session.get(Division, world.a.village)
    groups = session.scalars(
        select(VillageGroup).where(VillageGroup.village_code == village.code).order_by(VillageGroup.number)
    ).all()
    assert (body["code"], body["name"], body["level"], body["parent_code"]) == (
        village.code,
        village.name,
        "village",
        world.a.township,
    )
    assert (body["latitude"], body["population"], body["is_key_village"]) == (
        village.latitude,
        village.population,
        True,
    )
    assert body["groups"] == [{"number": g.number, "name": g.name, "households": g.households} for g in groups]
    assert len(body["groups"]) >= 4 and body["children"] == 0


def test_a_township_counts_its_children(api, session, world: World):
    body = api("admin").get(f"{LIST}/{world.a.township}").json()
    assert body["children"] == len(codes(session, Division.parent_code == world.a.township))
    assert body["groups"] == []


def test_groups_of_a_village_in_county_b(api, world: World):
    body = api("admin").get(f"{LIST}/{world.b.village}").json()
    assert body["groups"] == [{"number": 1, "name": "一组", "households": None}]
    assert api("admin").get(f"{LIST}/{world.b.village}/groups").json() == body["groups"]


def test_unknown_and_malformed_codes(api):
    admin = api("admin")
    assert admin.get(f"{LIST}/522799101299").status_code == 404
    response = admin.get(f"{LIST}/52279910")
    assert (response.status_code, response.json()["field"]) == (422, "code")


# --- edits --------------------------------------------------------------------------------------


def test_an_edit_is_audited_with_before_after_and_reason(api, session, world: World):
    admin = api("admin")
    old = session.get(Division, world.a.village)
    before = {"name": old.name, "latitude": old.latitude, "longitude": old.longitude}
    response = admin.patch(
        f"{LIST}/{world.a.village}",
        json={
            "name": "花河村（新）",
            "latitude": 26.45,
            "longitude": 107.79,
            "population": old.population,
            "reason": "卫星定位复核",
        },
    )
    assert response.status_code == 200, response.text
    assert (response.json()["name"], response.json()["latitude"]) == ("花河村（新）", 26.45)
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "division:division:updated", AuditEntry.entity_id == world.a.village
        )
    ).one()
    # Only what changed is recorded; the population was sent unchanged.
    assert entry.before == before
    assert entry.after == {"name": "花河村（新）", "latitude": 26.45, "longitude": 107.79}
    assert (entry.reason, entry.actor_name, entry.via, entry.county_code) == ("卫星定位复核", "admin", "api", "522799")
    assert admin.get(f"{LIST}/{world.a.village}").json()["name"] == "花河村（新）"


def test_an_amount_is_audited_as_stored(api, session, world: World):
    admin = api("admin")
    response = admin.patch(f"{LIST}/{world.a.village}", json={"collective_income": "12345.5"})
    assert (response.status_code, response.json()["collective_income"]) == (200, "12345.50")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "division:division:updated")).one()
    assert entry.after == {"collective_income": "12345.50"}


def test_an_edit_that_changes_nothing_writes_no_entry(api, session, world: World):
    admin = api("admin")
    village = admin.get(f"{LIST}/{world.a.village}").json()
    count = audit_count(session)
    response = admin.patch(
        f"{LIST}/{world.a.village}", json={"name": village["name"], "is_poor_village": village["is_poor_village"]}
    )
    assert response.status_code == 200
    assert audit_count(session) == count


def test_clearing_an_attribute_with_null(api, session, world: World):
    response = api("admin").patch(f"{LIST}/{world.a.village}", json={"population": None, "reason": "待核实"})
    assert (response.status_code, response.json()["population"]) == (200, None)


@pytest.mark.parametrize(
    ("body", "field", "zh", "en"),
    [
        pytest.param({"latitude": 99}, "latitude", "不能大于 54", "Must be at most 54", id="latitude out of range"),
        pytest.param(
            {"longitude": "东经107度"}, "longitude", "须为数字", "Must be a number.", id="longitude not a number"
        ),
        pytest.param(
            {"population": "abc"}, "population", "须为整数", "Must be a whole number.", id="population not a number"
        ),
        pytest.param({"population": -1}, "population", "不能小于 0", "Must be at least 0", id="negative population"),
        pytest.param(
            {"collective_income": "1.234"},
            "collective_income",
            "小数位数不能超过 2 位",
            "at most 2 decimal places",
            id="amount to the li",
        ),
        pytest.param({"name": ""}, "name", "至少需要 1 个字符", "at least 1 characters", id="empty name"),
        pytest.param({"name": None}, "name", "须为文本", "Must be text.", id="null name"),
        pytest.param(
            {"is_key_village": None}, "is_key_village", "须为“是”或“否”", "Must be true or false.", id="null flag"
        ),
        pytest.param(
            {"exited_year": 1900}, "exited_year", "不能小于 1980", "Must be at least 1980", id="year too early"
        ),
        pytest.param(
            {"urban_rural_code": "22"}, "urban_rural_code", "格式不正确", "Has the wrong format.", id="urban-rural code"
        ),
        pytest.param({"foo": 1}, "foo", "无法识别的字段", "Unknown field.", id="unknown field"),
        pytest.param(
            {"latitude": None}, "latitude", "纬度和经度须同时填写", "give both or neither", id="latitude cleared alone"
        ),
        pytest.param({"name": "花河村\n二组"}, "name", "须为单行文字", "must be one line", id="name on two lines"),
    ],
)
def test_invalid_edits_are_422_with_the_field(api, session, world: World, body, field, zh, en):
    admin = api("admin")
    count = audit_count(session)
    for lang, fragment in ((None, zh), ("en", en)):
        response = admin.patch(
            f"{LIST}/{world.a.village}", json=body, headers={"Accept-Language": lang} if lang else {}
        )
        assert response.status_code == 422, response.text
        answer = response.json()
        assert answer["field"] == field
        messages = [answer["message"]] + [e["message"] for e in answer.get("errors", [])]
        assert any(fragment in m for m in messages), messages
    assert audit_count(session) == count
    session.expire_all()
    assert session.get(Division, world.a.village).name != "花河村\n二组"


# --- areas --------------------------------------------------------------------------------------


def test_a_township_account_sees_only_its_township(api, session, world: World):
    zhen = api("zhen")
    items, _pages = walk(zhen, {}, 50)
    prefix = world.a.township[:9]
    assert [d["code"] for d in items] == codes(session, Division.code.startswith(prefix))
    assert all(d["code"].startswith(prefix) for d in items)
    # Filters cannot reach outside either.
    assert [d["code"] for d in zhen.get(LIST, params={"parent": world.a.county}).json()["items"]] == [world.a.township]
    assert zhen.get(LIST, params={"level": "county"}).json()["items"] == []


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("zhen", "522799000000"),  # the county above the township
        ("zhen", "522799102000"),  # a neighbouring township
        ("zzb", "522798101201"),  # a village of county B, for a county A account
        ("orgdept_b", "522799101201"),  # and the other way round
        ("shuji", "522799101201"),  # another village of the same township
    ],
)
def test_a_division_outside_the_area_answers_404_like_a_missing_one(api, username, code):
    client = api(username)
    outside = client.get(f"{LIST}/{code}")
    missing = client.get(f"{LIST}/522799101299")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    assert client.get(f"{LIST}/{code}/groups").status_code == 404


def test_an_edit_outside_the_area_answers_404_and_writes_nothing(api, session, world: World):
    zzb = api("zzb")
    count = audit_count(session)
    response = zzb.patch(f"{LIST}/{world.b.village}", json={"name": "改名"})
    assert response.status_code == 404
    assert audit_count(session) == count
    assert session.get(Division, world.b.village).name == "白岩1镇1村"


def test_a_county_account_edits_its_own_villages(api, world: World):
    response = api("zzb").patch(f"{LIST}/{world.a.village}", json={"is_weak_branch": True, "reason": "年度排查"})
    assert (response.status_code, response.json()["is_weak_branch"]) == (200, True)
