"""Guarantee use cases: open a work fund, spend from it (never beyond its balance), record
an accident insurance policy and a yearly health check. Each is one audited transaction,
recorded in the cadre's history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core import audit, present
from zhucun.core.auth import Principal
from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.present import Action
from zhucun.core.tx import lock, relock, use_case
from zhucun.selection.cadres.models import Cadre, CadrePosting

from .models import SECRETARY, FundSpending, HealthCheck, InsurancePolicy, WorkFund
from .schemas import FundIn, HealthIn, PolicyIn, SpendingIn
from .settings import rules_for

FIRST_SECRETARY = "1"


class Tag(StrEnum):
    FUND_OPENED = "incentive:fund:opened"
    FUND_SPENT = "incentive:fund:spent"
    POLICY_RECORDED = "incentive:insurance:recorded"
    HEALTH_RECORDED = "incentive:health:recorded"


LABELS = present.actions(
    {
        Tag.FUND_OPENED: Action(_l("Work fund opened"), _l("opened a work fund held by {object}"), clauses=False),
        Tag.FUND_SPENT: Action(_l("Work fund spent"), _l("recorded a spending of the work fund held by {object}")),
        Tag.POLICY_RECORDED: Action(
            _l("Accident insurance recorded"), _l("recorded an accident insurance policy of {object}")
        ),
        # The result is private: the entry says a check was recorded, never what it found.
        Tag.HEALTH_RECORDED: Action(
            _l("Health check recorded"), _l("recorded the yearly health check of {object}"), clauses=False
        ),
    }
)


def _record(session: Session, actor: Principal, tag: Tag, cadre: Cadre, after: dict[str, Any], **kw: Any) -> None:
    audit.record(
        session,
        actor=actor.actor,
        action=tag,
        entity="cadres",
        entity_id=cadre.id,
        division=cadre.division_code,
        after=after,
        **kw,
    )


def _secretary_posting(session: Session, cadre: Cadre) -> CadrePosting:
    posting = session.scalars(
        select(CadrePosting).where(
            CadrePosting.county_code == cadre.county_code,
            CadrePosting.cadre_id == cadre.id,
            CadrePosting.end_date.is_(None),
        )
    ).one_or_none()
    if posting is None or posting.role != FIRST_SECRETARY:
        raise Invalid(
            _l("Work funds are held by a first secretary in post."), field="cadre_id", code="not_first_secretary"
        )
    return posting


@use_case
def open_fund(session: Session, *, actor: Principal, cadre: Cadre, data: FundIn) -> WorkFund:
    """Open a year's work fund held by a first secretary in post: their own, or their team's."""
    cadre = relock(session, cadre)
    posting = _secretary_posting(session, cadre)
    rules = rules_for(session, cadre.county_code[:2], data.year)
    default = rules.fund_secretary_year if data.kind == SECRETARY else rules.fund_team_year
    fund = WorkFund(
        county_code=cadre.county_code,
        id=allocate(session, "guarantee_funds"),
        kind=data.kind,
        year=data.year,
        cadre_id=cadre.id,
        village_code=posting.village_code,
        amount=(data.amount if data.amount is not None else default).quantize(Decimal("0.01")),
        spent=Decimal("0"),
    )
    session.add(fund)
    session.flush()
    after = {"kind": fund.kind, "year": fund.year, "village_code": fund.village_code, "amount": fund.amount}
    _record(session, actor, Tag.FUND_OPENED, cadre, after)
    return fund


@use_case
def spend(session: Session, *, actor: Principal, fund: WorkFund, cadre: Cadre, data: SpendingIn) -> FundSpending:
    """Record a spending of a work fund; more than its balance is refused, naming both."""
    locked = lock(session, WorkFund, fund.county_code, fund.id)
    assert locked is not None
    balance = locked.amount - locked.spent
    if data.amount > balance:
        raise Invalid(
            _l("The spending of {amount} yuan exceeds the fund's balance of {balance} yuan."),
            field="amount",
            code="overspent",
            amount=f"{data.amount:.2f}",
            balance=f"{balance:.2f}",
        )
    if data.spent_on > date.today():
        raise Invalid(_l("The date is in the future."), field="spent_on", code="future_date")
    if data.spent_on.year != locked.year:
        raise Invalid(
            _l("The spending must fall in the fund's year ({year})."),
            field="spent_on",
            code="other_year",
            year=locked.year,
        )
    spending = FundSpending(
        county_code=locked.county_code,
        id=allocate(session, "guarantee_spendings"),
        fund_id=locked.id,
        cadre_id=locked.cadre_id,
        **data.model_dump(),
    )
    session.add(spending)
    locked.spent = locked.spent + data.amount
    session.flush()
    _record(session, actor, Tag.FUND_SPENT, cadre, {**data.model_dump(), "balance": locked.amount - locked.spent})
    return spending


@use_case
def record_policy(session: Session, *, actor: Principal, cadre: Cadre, data: PolicyIn) -> InsurancePolicy:
    """Record a cadre's accident insurance policy."""
    if data.ends_on < data.starts_on:
        raise Invalid(_l("The policy cannot end before it starts."), field="ends_on", code="end_before_start")
    cadre = relock(session, cadre)
    policy = InsurancePolicy(
        county_code=cadre.county_code,
        id=allocate(session, "guarantee_policies"),
        cadre_id=cadre.id,
        **data.model_dump(),
    )
    session.add(policy)
    session.flush()
    _record(session, actor, Tag.POLICY_RECORDED, cadre, data.model_dump())
    return policy


@use_case
def record_health_check(session: Session, *, actor: Principal, cadre: Cadre, year: int, data: HealthIn) -> HealthCheck:
    """Record (or correct) a cadre's health check for a year."""
    if data.done and data.checked_on is None:
        raise Invalid(_l("Give the date of the check."), field="checked_on", code="required")
    if data.checked_on is not None and data.checked_on.year != year:
        raise Invalid(_l("The check's date must fall in {year}."), field="checked_on", code="other_year", year=year)
    if data.checked_on is not None and data.checked_on > date.today():
        raise Invalid(_l("The date is in the future."), field="checked_on", code="future_date")
    cadre = relock(session, cadre)
    check = session.scalars(
        select(HealthCheck).where(
            HealthCheck.county_code == cadre.county_code, HealthCheck.cadre_id == cadre.id, HealthCheck.year == year
        )
    ).one_or_none()
    if check is None:
        check = HealthCheck(
            county_code=cadre.county_code, id=allocate(session, "guarantee_health_checks"), cadre_id=cadre.id, year=year
        )
        session.add(check)
    check.done, check.checked_on, check.result = data.done, data.checked_on, data.result
    session.flush()
    _record(
        session, actor, Tag.HEALTH_RECORDED, cadre, {"year": year, "done": data.done, "checked_on": data.checked_on}
    )
    return check
