"""Procedures as data: steps in order, who may act at each, signatures, deadlines, notices,
and where a rejection or an objection sends the case back to.

A definition is plain data (it round-trips through JSON), so that a province or a year
can have its own version stored in ``procedure_versions`` without code; the built-in
defaults below are the national ones of ``shared/domain.md``. Leave, allocation, recall
and appraisal approvals reuse the same shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The two bodies that supervise each other (驻村工作队 and 村委会): a dual step needs one
# signature from each, from two different accounts.
WORK_TEAM = "work_team"
VILLAGE_COMMITTEE = "village_committee"
BODIES: dict[str, frozenset[str]] = {
    WORK_TEAM: frozenset({"first_secretary", "team_member"}),
    VILLAGE_COMMITTEE: frozenset({"village_committee"}),
}
# Roles that sit outside the village: only they may pass a verification step of a case
# flagged as related to the village's officials or work team.
OUTSIDE_VILLAGE = frozenset({"township", "rr_bureau", "auditor"})


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    roles: frozenset[str] = frozenset()
    # Two signatures, one from each body, from different accounts.
    dual: bool = False
    # Deadline for the step: ``days`` working days by the official calendar, or calendar days.
    days: int | None = None
    working_days: bool = True
    # A public notice opened when the case enters the step, running ``notice_days`` full
    # calendar days; the step cannot be passed before it has run out.
    notice_days: int | None = None
    notice_reach: str = "village"
    # Where a rejection, or an objection during the notice, sends the case (None: ends it).
    on_reject: str | None = None
    on_objection: str | None = None
    # Named checks the service evaluates before the step is passed (rules that must hold).
    checks: tuple[str, ...] = ()
    # A democratic review record (date, attendees, votes, minutes) is required to pass.
    review: bool = False


@dataclass(frozen=True)
class Procedure:
    kind: str
    province: str
    year: int
    version: int
    steps: tuple[Step, ...]
    # The statutory clock from opening to decision (monitoring): None for no clock.
    clock_days: int | None = None
    clock_working: bool = True
    # What the decision does to the household's status: a code, or "category" (the case's).
    outcome_status: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def after(self, key: str) -> str | None:
        keys = [s.key for s in self.steps]
        index = keys.index(key)
        return keys[index + 1] if index + 1 < len(keys) else None

    @property
    def first(self) -> str:
        return self.steps[0].key

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        for step in data["steps"]:
            step["roles"] = sorted(step["roles"])
            step["checks"] = list(step["checks"])
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Procedure:
        steps = tuple(
            Step(**{**s, "roles": frozenset(s.get("roles", ())), "checks": tuple(s.get("checks", ()))})
            for s in data["steps"]
        )
        return cls(**{**data, "steps": steps})


VILLAGE_ROLES = frozenset({"first_secretary", "team_member", "village_committee"})
TOWNSHIP = frozenset({"township"})
COUNTY = frozenset({"rr_bureau"})


def registration(province: str = "", year: int = 2026, version: int = 1) -> Procedure:
    """建档立卡: two notices, one announcement."""
    return Procedure(
        "registration",
        province,
        year,
        version,
        (
            Step("collect", "Data collection", VILLAGE_ROLES, days=10, checks=("income", "conditions")),
            Step("review", "Democratic review", VILLAGE_ROLES, days=10, review=True, on_reject="collect"),
            Step("verify", "Dual verification", VILLAGE_ROLES, dual=True, days=5, on_reject="collect"),
            Step("notice1", "First public notice", TOWNSHIP, notice_days=7, on_objection="review", days=10),
            Step("township", "Township review", TOWNSHIP, days=10, on_reject="collect"),
            Step(
                "notice2",
                "Second public notice",
                COUNTY,
                notice_days=7,
                notice_reach="township",
                on_objection="township",
                days=10,
            ),
            Step("county", "County approval", COUNTY, days=10, on_reject="township"),
        ),
        outcome_status="11",
    )


def monitoring(province: str = "", year: int = 2026, version: int = 1, *, visit: int = 5, clock: int = 15) -> Procedure:
    """防止返贫动态监测: the shorter procedure under a statutory clock from first signal."""
    return Procedure(
        "monitoring",
        province,
        year,
        version,
        (
            Step("visit", "Home visit and consent", VILLAGE_ROLES, days=visit),
            Step("review", "Democratic review", VILLAGE_ROLES, days=5, review=True, on_reject="visit"),
            Step("verify", "Dual verification", VILLAGE_ROLES, dual=True, days=3, on_reject="visit"),
            Step("notice", "Village notice", TOWNSHIP, notice_days=5, on_objection="review", days=7),
            Step("township", "Township review", TOWNSHIP, days=3, on_reject="visit"),
            Step("county", "County approval", COUNTY, days=3, on_reject="township"),
        ),
        clock_days=clock,
        outcome_status="category",
    )


def exit_(province: str = "", year: int = 2026, version: int = 1) -> Procedure:
    """Household exit: the same verification and notice as registration."""
    return Procedure(
        "exit",
        province,
        year,
        version,
        (
            Step("review", "Democratic review", VILLAGE_ROLES, days=10, review=True, checks=("exit_income",)),
            Step("verify", "Dual verification", VILLAGE_ROLES, dual=True, days=5, on_reject="review"),
            Step("notice", "Public notice", TOWNSHIP, notice_days=7, on_objection="review", days=10),
            Step("county", "County approval", COUNTY, days=10, on_reject="review"),
        ),
        outcome_status="12",
    )


def recall(province: str = "", year: int = 2026, version: int = 1) -> Procedure:
    """召回: proposed by the county leading group (its organisation department), carried out
    by the dispatching unit; a unit that does not carry it out sends it back with its reasons.
    The county's administrator may enter a proposal the leading group decided on paper."""
    return Procedure(
        "recall",
        province,
        year,
        version,
        (
            Step("propose", "Proposal by the county leading group", frozenset({"org_dept", "admin"}), days=5),
            Step("carry_out", "Carried out by the dispatching unit", frozenset({"unit"}), days=10, on_reject="propose"),
        ),
    )


def defaults() -> list[Procedure]:
    """The built-in versions: national defaults, and the Anhui (34) and Gansu (62) clocks."""
    return [
        registration(),
        monitoring(),
        monitoring("34", visit=2, clock=20),
        monitoring("62", visit=5, clock=15),
        exit_(),
        recall(),
    ]
