"""Yearly snapshots: frozen once per county and year with INSERT … SELECT, replaced only by
an administrator with a reason, and compared with the current register or a later year."""

from __future__ import annotations

import csv
import io

from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from tests.factories.registry import family, household, id_number
from tests.registry.counting import statements
from zhucun import cli
from zhucun.core.audit import AuditEntry
from zhucun.core.auth import Principal
from zhucun.core.scope import Scope
from zhucun.divisions.models import Division
from zhucun.registry.models import Household, Member
from zhucun.registry.snapshots import queries, service
from zhucun.registry.snapshots.models import MemberSnapshot

CHANGES = {
    "households_added": 1,
    "households_removed": 1,
    "status_changed": 1,
    "members_added": 2,
    "members_removed": 2,
    "members_moved": 1,
}


def _county(world) -> str:
    return world.a.county[:6]


def _change_the_register(api, session, settings, world) -> None:
    """Since 2025: a household registered and one gone, one exited (12 → 14), members added,
    removed and moved."""
    shuji = api("shuji")
    family(session, settings, world.a.village, "5227996601", [("02", "新户主")], first=5000)
    newborn = {"name": "张小军", "id_number": id_number("522799", "20250101", male=True, seq=5001), "relation": "孙子"}
    assert (
        shuji.post(
            f"/api/v1/households/{world.a.county_code}/{world.a.household2_id}/members", json=newborn
        ).status_code
        == 201
    )
    moved = shuji.post(
        f"/api/v1/members/{world.a.county_code}/{world.a.member_id}/move",
        json={"household_id": world.a.household2_id, "relation": "侄子", "reason": "分户"},
    )
    assert moved.status_code == 200, moved.text
    home = shuji.get(f"/api/v1/households/{world.a.county_code}/{world.a.household_id}").json()
    wife = next(m for m in home["members"] if m["relation"] == "10")
    assert (
        shuji.post(
            f"/api/v1/members/{wife['county_code']}/{wife['id']}/remove", json={"status": "2", "reason": "病故"}
        ).status_code
        == 200
    )
    assert (
        shuji.patch(
            f"/api/v1/households/{world.a.county_code}/{world.a.household2_id}",
            json={"status": "14", "reason": "收入稳定脱贫"},
        ).status_code
        == 200
    )
    # A household struck off by an import (with its head; the wife is counted once).
    session.execute(delete(Household).where(Household.id == world.a.household_id))
    session.commit()


def _other_village(session, world) -> str:
    return session.scalars(
        select(Division.code).where(Division.parent_code == world.a.township, Division.code != world.a.village)
    ).first()


def test_a_frozen_year_is_listed_within_the_area(api, world):
    listed = api("xczx").get("/api/v1/snapshots").json()
    assert [(s["county_code"], s["year"]) for s in listed] == [(_county(world), 2025)]
    assert {s["county_code"] for s in api("admin").get("/api/v1/snapshots").json()} == {_county(world), "522798"}
    frozen = api("zhen").get("/api/v1/snapshots").json()[0]
    assert frozen["households"] == 2 and frozen["members"] == 5 and frozen["actor_name"] == "system"


def test_a_year_is_frozen_once_and_replaced_only_by_an_administrator_with_a_reason(api, session, world):
    body = {"county": _county(world), "year": 2025, "reason": "年度动态调整"}
    again = api("xczx").post("/api/v1/snapshots", json=body)
    assert again.status_code == 409 and again.json()["field"] == "year" and "2025" in again.json()["message"]
    assert api("xczx").post("/api/v1/snapshots", json={**body, "replace": True}).status_code == 403
    no_reason = api("admin").post("/api/v1/snapshots", json={**body, "replace": True, "reason": None})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    replaced = api("admin").post("/api/v1/snapshots", json={**body, "replace": True, "reason": "补录后重新冻结"})
    assert replaced.status_code == 201, replaced.text
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "registry:snapshot:replaced")).one()
    assert entry.reason == "补录后重新冻结" and entry.before["households"] == 2 and entry.entity_id == "522799-2025"
    rows = session.scalar(
        select(func.count())
        .select_from(MemberSnapshot)
        .where(MemberSnapshot.county_code == _county(world), MemberSnapshot.year == 2025)
    )
    assert rows == session.scalar(select(func.count()).select_from(Member).where(Member.county_code == _county(world)))


def test_freezing_is_validated_and_scoped(api, world):
    xczx = api("xczx")
    future = xczx.post(
        "/api/v1/snapshots", json={"county": _county(world), "year": 2099}, headers={"Accept-Language": "en"}
    )
    assert future.status_code == 422 and future.json() | {"code": ""} == {
        "code": "",
        "field": "year",
        "message": "A year that has not begun cannot be frozen.",
    }
    bad = xczx.post("/api/v1/snapshots", json={"county": "5227", "year": 1970})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"county", "year"}
    assert xczx.post("/api/v1/snapshots", json={"county": "522798", "year": 2024}).status_code == 404
    assert api("zhen").post("/api/v1/snapshots", json={"county": _county(world), "year": 2024}).status_code == 403


def test_comparing_with_the_current_register_finds_every_change(api, session, settings, world):
    _change_the_register(api, session, settings, world)
    url = f"/api/v1/snapshots/{_county(world)}/2025/compare"
    found = api("xczx").get(url).json()
    assert found["totals"] == CHANGES and found["against"] == "current"
    assert [(v["village_code"], v["status_changed"]) for v in found["villages"]] == [(world.a.village, 1)]
    assert found["transitions"] == [{"before": "12", "after": "14", "count": 1}]
    moved = api("xczx").get(url + "/changes", params={"kind": "members_moved"}).json()["items"]
    assert [(c["member_id"], c["before"], c["after"]) for c in moved] == [
        (world.a.member_id, "5227990001", "5227990002")
    ]
    removed = api("xczx").get(url + "/changes", params={"kind": "households_removed"}).json()["items"]
    assert [(c["household_no"], c["before"], c["member_id"]) for c in removed] == [("5227990001", "12", None)]
    pages, cursor = [], None
    while True:
        page = api("xczx").get(url + "/changes", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        pages += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(pages) == sum(CHANGES.values())
    exported = api("xczx").get(url + "/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert (
        len(rows) == 1 + sum(CHANGES.values())
        and ["状态变化", world.a.village, "5227990002", "", "已脱贫享受政策", "已脱贫不再享受政策"] in rows
    )


def test_comparing_with_a_later_frozen_year(api, session, settings, world):
    _change_the_register(api, session, settings, world)
    assert api("admin").post("/api/v1/snapshots", json={"county": _county(world), "year": 2026}).status_code == 201
    url = f"/api/v1/snapshots/{_county(world)}/2025/compare"
    assert api("xczx").get(url, params={"with": "2026"}).json()["totals"] == CHANGES
    later = api("xczx").get(f"/api/v1/snapshots/{_county(world)}/2026/compare").json()
    assert set(later["totals"].values()) == {0} and later["villages"] == []
    earlier = api("xczx").get(url, params={"with": "2024"}, headers={"Accept-Language": "en"})
    assert earlier.status_code == 422 and earlier.json()["field"] == "with"
    assert "Compare with a later year" in earlier.json()["message"]
    assert api("xczx").get(f"/api/v1/snapshots/{_county(world)}/2024/compare").status_code == 404


def test_other_counties_and_villages_stay_out_of_the_comparison(api, session, settings, world):
    _change_the_register(api, session, settings, world)
    household(session, settings, _other_village(session, world), "5227996604")
    found = api("zzb").get(f"/api/v1/snapshots/{_county(world)}/2025/compare").json()
    assert found["totals"]["households_added"] == 2
    village = api("shuji").get(f"/api/v1/snapshots/{_county(world)}/2025/compare").json()
    assert village["totals"]["households_added"] == 1
    assert api("shuji").get("/api/v1/snapshots/522798/2025/compare").status_code == 404


def test_freezing_and_comparing_are_set_based(session, settings, engine, world):
    actor, county = Principal.system(), _county(world)
    with statements(engine) as small:
        service.freeze(session, actor=actor, county=county, year=2024)
    with statements(engine) as compared_small:
        queries.compare(session, Scope.everywhere(), county, 2024, None)
    for number in range(15):
        family(
            session,
            settings,
            world.a.village,
            f"52279955{number:02d}",
            [("02", "户主"), ("10", "配偶")],
            first=5100 + 2 * number,
        )
    with statements(engine) as large:
        service.freeze(session, actor=actor, county=county, year=2023)
    with statements(engine) as compared_large:
        totals = queries.compare(session, Scope.everywhere(), county, 2023, 2024).totals
    assert len(small) == len(large) and len(compared_small) == len(compared_large) == 2
    assert totals["households_removed"] == 15 and totals["members_removed"] == 30


def test_snapshot_pages_in_both_languages(client, web, world, session, settings, api):
    csrf = web("xczx")
    page = client.get("/registry/snapshots")
    assert page.status_code == 200 and "年度动态调整" in page.text and "2025" in page.text and "522798" not in page.text
    refused = client.post("/registry/snapshots", data={"csrf_token": csrf, "county": world.a.county, "year": "2025"})
    assert refused.status_code == 409 and "2025 年台账已冻结。" in refused.text
    done = client.post(
        "/registry/snapshots",
        data={"csrf_token": csrf, "county": world.a.county, "year": "2024"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    compare = client.get(f"/registry/snapshots/{_county(world)}/2024", params={"lang": "en"})
    assert compare.status_code == 200 and "Changes since 2024" in compare.text
    assert "Nothing has changed." in compare.text


def test_the_command_line_freezes_and_compares(db, world, monkeypatch, tmp_path):
    monkeypatch.setattr(db, "dispose", lambda: None)
    monkeypatch.setattr(cli, "database", lambda: db)
    cli._mount()
    runner = CliRunner()
    frozen = runner.invoke(cli.app, ["registry", "snapshot", "freeze", "--county", world.a.county, "--year", "2024"])
    assert frozen.exit_code == 0, frozen.output
    assert "已冻结 522799 2024 年台账：2 户，在册人口 5 人。" in frozen.output
    twice = runner.invoke(cli.app, ["registry", "snapshot", "freeze", "--county", "522799", "--year", "2024"])
    assert twice.exit_code == 1 and "2024 年台账已冻结" in twice.output
    target = tmp_path / "changes.xlsx"
    compared = runner.invoke(
        cli.app,
        [
            "registry",
            "snapshot",
            "compare",
            "--county",
            "522799",
            "--year",
            "2024",
            "--with",
            "2025",
            "--output",
            str(target),
        ],
    )
    assert compared.exit_code == 0, compared.output
    assert "合计" in compared.output and target.read_bytes()[:2] == b"PK"
