"""Sample requests for the divisions routes, for the route × role tests (collected by
``tests/core/route_samples.py`` through the mechanism's manifest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.core.route_samples import Sample
from tests.factories.world import Area


def _new_village_csv(area: Area) -> dict[str, Any]:
    code = area.township[:9] + "299"
    body = f"code,name,parent_code\n{code},新建测试村,{area.township}\n".encode()
    return {"file": ("villages.csv", body, "text/csv")}


BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
    ("PATCH", "/api/v1/divisions/{code}"): lambda a: Sample(json={"population": 4321, "reason": "核实人口"}),
    ("POST", "/api/v1/divisions/{code}/groups"): lambda a: Sample(json={"name": "新建组"}),
    ("POST", "/api/v1/divisions/import"): lambda a: Sample(files=_new_village_csv(a)),
    ("POST", "/divisions/import"): lambda a: Sample(files=_new_village_csv(a)),
    ("POST", "/divisions/{code}/edit"): lambda a: Sample(
        data={"name": "改名村", "population": "4321", "reason": "核实"}
    ),
}
