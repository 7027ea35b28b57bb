"""Targeting quality over HTTP: a reference-income survey imported through the import engine
(matched by household number, or else by a member's ID keyed hash), inclusion and
exclusion errors counted per village with their rates, the page and its .csv; a bad file
refused with every error located and nothing written."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from tests.factories.imports import csv_bytes
from tests.factories.registry import id_number
from zhucun.core.auth import Principal
from zhucun.core.permissions import Role
from zhucun.core.protect import Protector
from zhucun.identification.quality.models import ReferenceIncome
from zhucun.registry import service
from zhucun.registry.schemas import HouseholdIn, MemberIn

HEADERS = ["行政区划代码", "户编号", "身份证号码", "调查年度", "人均纯收入"]


def _household(session, settings, village: str, number: str, status: str, head_id: str) -> None:
    data = HouseholdIn(
        household_no=number,
        village_code=village,
        members=[MemberIn(name="王大山", id_number=head_id, relation="02")],
        status=status,
        attribute="1",
    )
    service.create_household(session, actor=Principal.system(), protector=Protector.of(settings), data=data)


def _upload(rows: list[list[str]]) -> dict:
    return {"file": ("survey.csv", csv_bytes(HEADERS, rows), "text/csv")}


def test_survey_import_counts_inclusion_and_exclusion_errors(api, web, client, session, settings, world):
    village, county = world.a.village, world.a.village[:6]
    ids = [id_number(county, "19700101", male=True, seq=900 + i) for i in range(4)]
    for i, status in enumerate(("11", "11", "00", "00")):
        _household(session, settings, village, f"{county}T{i}", status, ids[i])
    rows = [
        [village, f"{county}T0", "", "2025", "9000"],  # registered poor, above the line: inclusion error
        [village, f"{county}T1", "", "2025", "3000"],  # registered poor, below: right
        [village, f"{county}T2", "", "2025", "3000"],  # ordinary, below: exclusion error
        [village, "", ids[3], "2025", "9000"],  # ordinary, found by ID number, above: right
        [village, f"{county}ZZ", "", "2025", "2000"],  # on no roll, below: exclusion error
    ]
    imported = api("xczx").post("/api/v1/imports/reference_incomes", files=_upload(rows))
    assert imported.status_code == 200, imported.text
    assert imported.json()["households"] == 5
    # The ID number is kept only as its keyed hash.
    assert (
        session.scalar(select(func.count()).select_from(ReferenceIncome).where(ReferenceIncome.id_hash.is_not(None)))
        == 1
    )

    data = api("xczx").get("/api/v1/targeting", params={"division": world.a.county}).json()
    mine = next(v for v in data["villages"] if v["code"] == village)
    assert (mine["surveyed"], mine["matched"], mine["registered"], mine["below_line"]) == (5, 4, 2, 3)
    assert (mine["inclusion"], mine["exclusion"]) == (1, 2)
    assert mine["inclusion_rate"] == 0.5 and mine["exclusion_rate"] == round(2 / 3, 6)
    assert data["total"]["surveyed"] == 5

    web("xczx")
    page = client.get("/identification/targeting", params={"division": world.a.county})
    assert page.status_code == 200 and "瞄准" in page.text and 'id="villages"' in page.text
    exported = client.get("/identification/targeting/export.csv", params={"division": world.a.county})
    table = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert table[1][0] != village and table[1][6] == "1" and table[1][8] == "2"


def test_a_bad_survey_is_refused_with_located_errors_and_nothing_written(api, session, world):
    village = world.a.village
    rows = [
        [village, "H1", "", "2025", "3000"],
        [village, "", "5227991990", "2025", "3000"],  # a bad ID number
        [village, "", "", "2025", "3000"],  # no household named
        [world.b.village, "H2", "", "2025", "3000"],  # outside the importer's area
        [village, "H3", "", "2025", "很多"],  # not an amount
    ]
    refused = api("zhen").post("/api/v1/imports/reference_incomes", files=_upload(rows))
    assert refused.status_code == 422, refused.text
    located = sorted((e["row"], e["column"], e["code"]) for e in refused.json()["errors"])
    assert [(r, c) for r, c, _code in located] == [(3, "C"), (4, "B"), (5, "A"), (6, "E")]
    assert session.scalar(select(func.count()).select_from(ReferenceIncome)) == 0


def test_a_village_committee_reads_the_history_of_its_own_imports(api, world):
    committee = api(world.username(Role.VILLAGE_COMMITTEE))
    village, other = world.a.village, world.b.village
    mine = committee.post("/api/v1/imports/reference_incomes", files=_upload([[village, "H1", "", "2025", "3000"]]))
    assert mine.status_code == 200, mine.text
    theirs = api("admin").post("/api/v1/imports/reference_incomes", files=_upload([[other, "H2", "", "2025", "3000"]]))
    assert theirs.status_code == 200, theirs.text
    listed = committee.get("/api/v1/imports")
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json()["items"]] == [mine.json()["import_id"]]
    assert committee.get(f"/api/v1/imports/{mine.json()['import_id']}").json()["kind"] == "reference_incomes"
    # Another village's import answers as if it did not exist.
    assert committee.get(f"/api/v1/imports/{theirs.json()['import_id']}").status_code == 404
