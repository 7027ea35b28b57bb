"""Sample requests for the guarantee routes (merged into the selection samples)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tests.core.route_samples import Sample
from tests.factories import guarantee
from tests.factories.world import Area


def _spending() -> dict[str, str]:
    return {"spent_on": date.today().isoformat(), "amount": "120.50", "purpose": "村部办公用品", "receipt": "发票 0012"}


def _policy(number: str) -> dict[str, str]:
    return {
        "insurer": "中国人寿",
        "number": number,
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "sum_insured": "500000",
    }


BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
    ("POST", "/api/v1/guarantee/cadres/{county_code}/{secretary_id}/funds"): lambda a: Sample(
        json={"kind": "team", "year": date.today().year}
    ),
    ("POST", "/api/v1/guarantee/funds/{county_code}/{fund_id}/spendings"): lambda a: Sample(json=_spending()),
    ("POST", "/api/v1/guarantee/cadres/{county_code}/{cadre_id}/policies"): lambda a: Sample(
        json=_policy("YW2025-0001")
    ),
    ("PUT", "/api/v1/guarantee/cadres/{county_code}/{cadre_id}/health/{year}"): lambda a: Sample(
        json={"done": True, "checked_on": "2025-06-01", "result": "未见异常"}
    ),
    ("POST", "/selection/guarantee/funds/{county_code}/{fund_id}/spendings"): lambda a: Sample(data=_spending()),
}

PARAMS: dict[str, Callable[[Any, Area], Any]] = {
    "secretary_id": lambda s, a: a.posted_cadre_id,
    "fund_id": lambda s, a: guarantee.fund(s, a).id,
}

BODIES.update(
    {
        ("POST", "/selection/guarantee/cadres/{county_code}/{secretary_id}/funds"): lambda a: Sample(
            data={"kind": "team", "year": str(date.today().year)}
        ),
        ("POST", "/selection/guarantee/cadres/{county_code}/{cadre_id}/policies"): lambda a: Sample(
            data=_policy("YW2025-0002")
        ),
        ("POST", "/selection/guarantee/cadres/{county_code}/{cadre_id}/health"): lambda a: Sample(
            data={"year": "2025", "done": "1", "checked_on": "2025-06-01", "result": "未见异常"}
        ),
    }
)
