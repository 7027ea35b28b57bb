"""Issue 13, on the demo county itself, through the pages: the organisation department rotates
the ended terms, marks every key and weak-branch village for the coming term, the units'
cadres are nominated (and the units register more where the county has too few), the matching
is run and approved on the term page, and the coverage page then shows every marked village
with a complete team; one assignment gives every household in care a helper within the cap."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.conftest import Databases, make_settings, web_login
from tests.factories.registry import id_number
from zhucun.core.auth import Principal
from zhucun.core.db import Database
from zhucun.core.scope import Scope, bind
from zhucun.demo import county
from zhucun.demo.accounts import DEMO_PASSWORD
from zhucun.demo.load import load
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.helpers import queries as helpers
from zhucun.selection.matching.models import Assignment, MarkedVillage, MatchRun

COUNTY = county.COUNTY[0]
TERM = date.today().year + 1
HOUSEHOLDS = 3000


@pytest.fixture(scope="module")
def demo(databases: Databases, key_dir: Path, shared_app):
    url = databases.migrated("demo_selection")
    settings = make_settings(url, key_dir)
    db = Database(url, key_dir=key_dir)
    with db.session(write=True) as session:
        bind(session, Scope.everywhere())
        load(session, actor=Principal.system(), settings=settings, households=HOUSEHOLDS)
    idle = shared_app.state.db, shared_app.state.settings
    shared_app.state.db, shared_app.state.settings = db, settings
    try:
        yield db
    finally:
        shared_app.state.db, shared_app.state.settings = idle
        db.dispose()


def _read(db: Database, statement):
    with db.session() as session:
        bind(session, Scope.everywhere())
        return session.execute(statement).all()


def test_the_demo_countys_marked_villages_get_complete_teams_approved_in_the_pages(demo, shared_app):
    with TestClient(shared_app, base_url="http://testserver") as client:
        csrf = web_login(client, "zzb", DEMO_PASSWORD)
        # 1. The terms of the demo's teams have ended: rotate each, picked from the page's list.
        terms = client.get(f"/selection/terms?county={COUNTY}").text
        ended = re.findall(r'<option value="(\d{4})">', terms.split('name="term"', 1)[1].split("</select>", 1)[0])
        assert ended, "the demo's teams started in 2023–24: their two-year terms have ended"
        for term in ended:
            done = client.post(
                f"/selection/terms/counties/{COUNTY}/rotate",
                data={"csrf_token": csrf, "term": term, "reason": "届满轮换"},
            )
            assert done.status_code in (200, 303), done.text
        assert not _read(demo, select(CadrePosting.id).where(CadrePosting.end_date.is_(None)))
        # 2. Every key and weak-branch village is marked for the coming term.
        marked = client.post(f"/selection/{TERM}/counties/{COUNTY}/defaults", data={"csrf_token": csrf})
        assert marked.status_code in (200, 303)
        villages = [v for (v,) in _read(demo, select(MarkedVillage.village_code).where(MarkedVillage.term == TERM))]
        assert len(villages) >= 10
        # 3. The units' cadres are nominated; where the county has too few eligible ones for a
        # team of three in every marked village, the unit registers more and nominates them.
        api = {"Authorization": "Bearer " + _token(client, "danwei")}
        free = [c for (c,) in _read(demo, select(Cadre.id))]
        extra = max(0, 3 * len(villages) - len(free)) + 3 * len(villages) // 2
        unit = _unit(client, api)
        for k in range(extra):
            body = {
                "name": f"增派{k:03d}号",
                "id_number": id_number("520102", "19850315", male=k % 2 == 0, seq=700 + k),
                "division_code": COUNTY,
                "unit_id": unit,
                "party_member": True,
                "party_joined": "2010-07-01",
                "work_started": "2008-08-01",
                "skills": "产业发展、基层党建",
            }
            made = client.post("/api/v1/cadres", json=body, headers=api)
            assert made.status_code == 201, made.text
        everyone = [{"county_code": COUNTY[:6], "cadre_id": c} for (c,) in _read(demo, select(Cadre.id))]
        zzb = {"Authorization": "Bearer " + _token(client, "zzb")}
        nominated = client.post(f"/api/v1/selection/{TERM}/nominations", json={"cadres": everyone}, headers=zzb)
        assert nominated.status_code == 200, nominated.text
        # 4. The matching is run and approved on the term page.
        run = client.post(f"/selection/{TERM}/counties/{COUNTY}/match", data={"csrf_token": csrf})
        assert run.status_code in (200, 303), run.text
        page = client.get(f"/selection?year={TERM}&county={COUNTY}").text
        assert "空缺 0 个岗位" in page
        approve = {"csrf_token": csrf, "start_date": date.today().isoformat(), "reason": "县委组织部审定"}
        approved = client.post(f"/selection/{TERM}/counties/{COUNTY}/approve", data=approve)
        assert approved.status_code in (200, 303), approved.text
        assert _read(demo, select(MatchRun.status).where(MatchRun.term == TERM)) == [("approved",)]
        teams = _read(demo, select(Assignment.village_code, Assignment.role).where(Assignment.term == TERM))
        for village in villages:
            roles = [r for v, r in teams if v == village]
            assert roles.count("first_secretary") == 1 and len(roles) >= 3, village
        # 5. The coverage page shows every marked village with a complete team.
        coverage = client.get(f"/selection/helpers?division={COUNTY}&term={TERM}&show=teams").text
        assert f"{len(villages)} 个村中 {len(villages)} 个已配齐" in coverage
        # 6. One assignment: every household in care has a helper, no helper over the cap.
        assigned = client.post(f"/selection/helpers/counties/{COUNTY}/assign", data={"csrf_token": csrf})
        assert assigned.status_code in (200, 303), assigned.text
    with demo.session() as session:
        bind(session, Scope.everywhere())
        total = helpers.report(session, COUNTY)["total"]
    assert total["households"] > 0 and total["without_helper"] == 0 and total["helpers_over_cap"] == 0


def _token(client: TestClient, username: str) -> str:
    answer = client.post("/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def _unit(client: TestClient, headers: dict[str, str]) -> int:
    me = client.get("/api/v1/auth/me", headers=headers)
    if me.status_code == 200 and me.json().get("grants"):
        return int(me.json()["grants"][0]["unit_id"])
    raise AssertionError(me.text)
