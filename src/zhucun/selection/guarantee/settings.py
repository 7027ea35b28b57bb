"""The numbers of incentive and guarantee, each a default that a province may override for
a year (a row of ``guarantee_rule_sets``), as selection's numbers are (domain.md gives the
defaults: examples from provincial practice, not national law)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class GuaranteeRules:
    """Amounts in yuan; days are calendar days."""

    work_allowance_month: Decimal = Decimal("1000")
    meals_day: Decimal = Decimal("40")
    transport_day: Decimal = Decimal("50")
    phone_year: Decimal = Decimal("1200")
    fund_secretary_year: Decimal = Decimal("10000")
    fund_team_year: Decimal = Decimal("20000")
    insurance_warning_days: int = 30
    # A yearly health check is due this many days after the later of the posting's start and
    # the last check; a cadre is overdue only past it ...
    health_check_interval_days: int = 365
    # ... and only once the posting is older than this (a cadre posted today is not overdue).
    health_check_grace_days: int = 30

    def merged(self, values: dict[str, Any]) -> GuaranteeRules:
        """These rules with a province's overrides; unknown keys are ignored."""
        known = {f.name: f for f in fields(self)}
        chosen = {k: type(getattr(self, k))(str(v)) for k, v in values.items() if k in known}
        return replace(self, **chosen)

    def as_dict(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in asdict(self).items()}


def rules_for(session: Session, province: str, year: int) -> GuaranteeRules:
    """The defaults with the province's overrides for the year, if it has any."""
    from .models import GuaranteeRuleSet

    row = session.get(GuaranteeRuleSet, (province[:2], year))
    return GuaranteeRules().merged(row.values) if row else GuaranteeRules()
