"""Sample requests for the identification routes, for the route × role tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tests.core.route_samples import Sample
from tests.factories import identification as cases
from tests.factories.world import Area

PARAMS: dict[str, Callable[[Session, Area], Any]] = {
    "case_id": lambda s, a: cases.case(s, a.household_id).id,
    "notice_id": lambda s, a: cases.at_notice(s, a.household_id).id,
    # A step name, with a case of the area waiting at it (for the batch route).
    "step": lambda s, a: cases.case(s, a.household_id).step,
}

BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
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
}
