"""Sample requests for the identification routes, for the route × role tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tests.core.route_samples import Sample
from tests.factories import identification as cases
from tests.factories import plans
from tests.factories.imports import csv_bytes
from tests.factories.world import Area

PARAMS: dict[str, Callable[[Session, Area], Any]] = {
    "case_id": lambda s, a: cases.case(s, a.household_id).id,
    "notice_id": lambda s, a: cases.at_notice(s, a.household_id).id,
    # A step name, with a case of the area waiting at it (for the batch route).
    "step": lambda s, a: cases.case(s, a.household_id).step,
    # Plans of the area's household with a measure, and a project of its village.
    "plan_id": lambda s, a: plans.plan(s, a.household_id).id,
    "measure_id": lambda s, a: plans.measure(s, a.household_id).id,
    "project_id": lambda s, a: plans.project(s, a.village).id,
}


def survey_upload(area: Area) -> dict[str, Any]:
    """A reference-income survey of the area's two households (by household number)."""
    headers = ["行政区划代码", "户编号", "调查年度", "人均纯收入"]
    rows = [[area.village, area.county[:6] + no, "2025", income] for no, income in (("0001", "3000"), ("0002", "9000"))]
    return {"file": ("survey.csv", csv_bytes(headers, rows), "text/csv")}


BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
    ("POST", "/api/v1/imports/reference_incomes"): lambda a: Sample(files=survey_upload(a)),
    ("POST", "/imports/reference_incomes"): lambda a: Sample(files=survey_upload(a)),
    ("POST", "/api/v1/cases"): lambda area: Sample(
        json={"kind": "monitoring", "household_id": area.household2_id, "category": "22", "grounds": "因病支出大"}
    ),
    ("POST", "/api/v1/cases/{county_code}/{case_id}/actions"): lambda area: Sample(
        json={"action": "note", "reason": "入户核实"}
    ),
    ("POST", "/api/v1/villages/{code}/steps/{step}/actions"): lambda area: Sample(
        json={"action": "note", "reason": "批量核实"}
    ),
    ("POST", "/identification/cases/new"): lambda area: Sample(
        data={"kind": "monitoring", "household_id": str(area.household2_id), "category": "22"}
    ),
    ("POST", "/identification/cases/{county_code}/{case_id}/actions"): lambda area: Sample(
        data={"action": "note", "reason": "入户核实"}
    ),
    # Causes and plans (a route's plan_id, measure_id and project_id are made on demand).
    ("PUT", "/api/v1/households/{county_code}/{household_id}/causes"): lambda area: Sample(
        json={"main_cause": "01", "other_causes": ["08"], "reason": "入户核实"}
    ),
    ("POST", "/api/v1/households/{county_code}/{household_id}/plan"): lambda area: Sample(json={"goal": "稳定增收"}),
    ("POST", "/api/v1/plans/{county_code}/{plan_id}/measures"): lambda area: Sample(
        json={"kind": "medical", "target": "办理慢病卡", "deadline": _soon()}
    ),
    ("POST", "/api/v1/plans/{county_code}/{plan_id}/measures/{measure_id}/progress"): lambda area: Sample(
        json={"percent": 40, "note": "已购入肉牛 1 头"}
    ),
    ("POST", "/api/v1/villages/{code}/projects"): lambda area: Sample(
        json={"year": 2026, "category": "culture", "name": "村文化广场", "budget": "120000"}
    ),
    ("PATCH", "/api/v1/village-projects/{county_code}/{project_id}"): lambda area: Sample(
        json={"status": "funded", "reason": "县级资金已下达"}
    ),
    ("POST", "/identification/households/{county_code}/{household_id}/plan"): lambda area: Sample(
        data={"goal": "稳定增收"}
    ),
    ("POST", "/identification/households/{county_code}/{household_id}/causes"): lambda area: Sample(
        data={"main_cause": "01", "other_causes": "08"}
    ),
    ("POST", "/identification/plans/{county_code}/{plan_id}/measures"): lambda area: Sample(
        data={"kind": "medical", "target": "办理慢病卡", "deadline": _soon()}
    ),
    ("POST", "/identification/plans/{county_code}/{plan_id}/measures/{measure_id}/progress"): lambda area: Sample(
        data={"percent": "40", "note": "已购入肉牛 1 头"}
    ),
    ("POST", "/identification/villages/{code}/projects"): lambda area: Sample(
        data={"year": "2026", "category": "culture", "name": "村文化广场", "budget": "120000"}
    ),
    ("POST", "/identification/village-projects/{county_code}/{project_id}"): lambda area: Sample(
        data={"status": "funded", "reason": "县级资金已下达"}
    ),
}


def _soon() -> str:
    return (date.today() + timedelta(days=90)).isoformat()
