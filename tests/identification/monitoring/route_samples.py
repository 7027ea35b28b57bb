"""Sample requests for the monitoring routes, for the route × role tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tests.core.route_samples import Sample
from tests.factories import monitoring
from tests.factories.world import Area

PARAMS: dict[str, Callable[[Session, Area], Any]] = {
    # The area's village, where the second household now has a signal (its 2025 income is low).
    "division": lambda s, a: (monitoring.signalled(s, a.household2_id), a.village)[1],
}


def _alerts(area: Area) -> Sample:
    return Sample(
        files=monitoring.alert_file([monitoring.alert_row(monitoring.stranger(area.county[:6]), area.village)])
    )


BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
    ("POST", "/api/v1/signals/{division}/cases"): lambda area: Sample(
        json={"year": monitoring.YEAR, "household_ids": [area.household2_id]}
    ),
    ("POST", "/identification/signals/{division}/cases"): lambda area: Sample(
        data={"year": str(monitoring.YEAR), "household_id": str(area.household2_id)}
    ),
    ("POST", "/api/v1/monitoring/{division}/sweep"): lambda area: Sample(json={}),
    ("POST", "/identification/monitoring/{division}/sweep"): lambda area: Sample(data={}),
    ("POST", "/api/v1/imports/alerts"): _alerts,
    ("POST", "/imports/alerts"): _alerts,
}
