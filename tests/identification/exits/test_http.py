"""Exit indicators and the register's MPI over real HTTP: an exit case's democratic review
counted in public approval, the exit checks named on the case page, the pages in both
languages with names (never codes) and their .csv, and bad or out-of-area divisions refused."""

from __future__ import annotations

import csv
import io

from sqlalchemy import update

from zhucun.registry.models import Household, HouseholdIncome, Member

REVIEW = {
    "date": "2026-03-02",
    "attendees": 30,
    "votes_for": 27,
    "votes_against": 2,
    "abstaining": 1,
    "minutes": "评议",
}


def _ready_to_exit(session, world) -> int:
    """The world's second household, with two years of income well above the line, safe
    housing and water, and every member medically insured: its exit review can pass."""
    county, household = world.a.county[:6], world.a.household2_id
    for year in (2024, 2025):
        session.add(
            HouseholdIncome(
                county_code=county,
                household_id=household,
                year=year,
                wage=40000,
                production=0,
                property=0,
                transfer=0,
                production_costs=0,
            )
        )
    session.execute(
        update(Household)
        .where(Household.county_code == county, Household.id == household)
        .values(housing_safe=True, water_safe=True, status="11")
    )
    session.execute(
        update(Member)
        .where(Member.county_code == county, Member.household_id == household)
        .values(medical_insurance=True)
    )
    session.commit()
    return household


def test_an_exit_review_counts_in_public_approval_and_the_case_names_its_checks(api, web, client, session, world):
    household = _ready_to_exit(session, world)
    before = api("xczx").get("/api/v1/exit-indicators", params={"division": world.a.county}).json()
    opened = api("shuji").post("/api/v1/cases", json={"kind": "exit", "household_id": household})
    assert opened.status_code in (200, 201), opened.text
    url = f"/api/v1/cases/{opened.json()['id']}/actions"
    passed = api("cunwei").post(url, json={"action": "pass", "review": REVIEW})
    assert passed.status_code == 200, passed.text

    after = api("xczx").get("/api/v1/exit-indicators", params={"division": world.a.county}).json()["indicators"]
    assert after["reviews"] == before["indicators"]["reviews"] + 1
    assert after["votes_for"] - before["indicators"]["votes_for"] == 27
    assert after["votes_cast"] - before["indicators"]["votes_cast"] == 30

    web("shuji")
    page = client.get(f"/identification/cases/{opened.json()['id']}")
    assert 'data-testid="exit-checks"' in page.text
    for name in ("income_stable", "education", "medical", "housing", "water"):
        assert f'data-check="{name}"' in page.text
    assert "收入稳定超过标准" in page.text or "Income per head above the line" in page.text


def test_exit_page_lists_villages_by_name_filters_and_exports(web, client, world):
    web("xczx")
    page = client.get("/identification/exit", params={"division": world.a.county})
    assert page.status_code == 200
    assert "退出指标" in page.text and 'id="villages"' in page.text
    everything = client.get("/identification/exit/export.csv", params={"division": world.a.county})
    rows = list(csv.reader(io.StringIO(everything.text.lstrip("\ufeff"))))
    assert rows[0][0] == "村" and len(rows) > 1
    assert all(not r[0].isdigit() for r in rows[1:])
    missing = client.get("/identification/exit/export.csv", params={"division": world.a.county, "meets": "no"})
    meeting = client.get("/identification/exit/export.csv", params={"division": world.a.county, "meets": "yes"})
    split = [len(list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))) - 1 for r in (missing, meeting)]
    assert sum(split) == len(rows) - 1
    english = client.get("/identification/exit", params={"division": world.a.county}, headers={"Accept-Language": "en"})
    assert "Exit indicators" in english.text or "退出指标" in english.text


def test_mpi_page_and_api_per_child_division(api, web, client, world):
    data = api("xczx").get("/api/v1/mpi", params={"division": world.a.county}).json()
    assert data["division"] == world.a.county
    assert all(c["code"].startswith(world.a.county[:6]) and c["code"].endswith("000") for c in data["children"])
    assert data["total"]["n"] == sum(c["n"] for c in data["children"])
    web("zhen")
    page = client.get("/identification/mpi")
    assert page.status_code == 200 and "多维贫困" in page.text and 'id="divisions"' in page.text
    exported = client.get("/identification/mpi/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")


def test_divisions_outside_the_area_or_malformed_are_refused(api, world):
    outside = api("zhen").get("/api/v1/mpi", params={"division": world.b.county})
    assert outside.status_code == 404
    assert api("zhen").get("/api/v1/exit-indicators", params={"division": world.b.county}).status_code == 404
    bad = api("xczx").get("/api/v1/exit-indicators", params={"division": "52x"})
    assert bad.status_code == 422
    assert api("bangfu").get("/api/v1/mpi").status_code == 403
