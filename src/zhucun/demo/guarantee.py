"""Incentive and guarantee in the demo, so that their pages show something on a fresh load:
this year's work funds (one per first secretary in post and one per team, held by the first
secretary) with some spending, an accident insurance policy per cadre in post (a few ending
within the warning window), and this year's health check for most of them (some only last
year's, some none: the overdue list is not empty).

Written after the teams, from the open postings, in bulk (``core.bulk.copy_rows``), drawn
from a generator seeded by the demo's seed and the county, relative to ``today`` (the pages
warn about what ends soon from today)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.bulk import copy_rows
from ..core.db import utcnow
from ..core.ids import allocate
from ..selection.cadres.models import CadrePosting
from ..selection.guarantee.models import SECRETARY, TEAM, FundSpending, HealthCheck, InsurancePolicy, WorkFund
from ..selection.guarantee.settings import rules_for

INSURERS = (("中国人民财产保险", "PICC"), ("中国平安财产保险", "PAIC"), ("中国太平洋财产保险", "CPIC"))
SUMS_INSURED = (Decimal("300000"), Decimal("500000"), Decimal("600000"))
PURPOSES = (
    "购置办公用品",
    "走访慰问困难群众",
    "村级活动场所维修",
    "产业技术培训",
    "党员教育活动",
    "农产品销售对接差旅",
    "驻村工作队生活用品",
)
# A check's result is private (managers alone see it); the demo's are ordinary findings.
RESULTS = ("未见明显异常", "血脂偏高，建议复查", "血压偏高，建议随访", "轻度脂肪肝，建议调整饮食")
RESULT_SHARES = (0.7, 0.12, 0.1, 0.08)
CHECKED_THIS_YEAR = 0.85  # the others: half last year's check, half none
EXPIRING_SHARE = 0.1


def write(session: Session, *, seed: int, today: date) -> dict[str, int]:
    """Funds, spending, policies and checks for every county with cadres in post; the rows
    written per table."""
    counts: Counter[str] = Counter()
    counties = session.scalars(select(CadrePosting.county_code).where(CadrePosting.end_date.is_(None)).distinct()).all()
    for county in sorted(counties):
        rng = np.random.default_rng([seed, 13, int(county)])
        counts.update(_county(session, rng, county, today, utcnow()))
    return dict(counts)


def _county(session: Session, rng: np.random.Generator, county: str, today: date, now: datetime) -> dict[str, int]:
    postings = session.execute(
        select(CadrePosting.cadre_id, CadrePosting.village_code, CadrePosting.role)
        .where(CadrePosting.county_code == county, CadrePosting.end_date.is_(None))
        .order_by(CadrePosting.id)
    ).all()
    # One row per cadre (a cadre holds one open posting in the demo; the first is kept).
    cadres = list({p.cadre_id: p for p in postings}.values())
    written = _funds(session, rng, county, [p for p in cadres if p.role == "1"], today, now)
    written["guarantee_policies"] = _policies(session, rng, county, [p.cadre_id for p in cadres], today, now)
    written["guarantee_health_checks"] = _checks(session, rng, county, [p.cadre_id for p in cadres], today, now)
    return written


def _funds(
    session: Session, rng: np.random.Generator, county: str, secretaries: list[Any], today: date, now: datetime
) -> dict[str, int]:
    """A first secretary's own fund and the team's, each partly spent in a few entries."""
    secretaries = list({p.village_code: p for p in secretaries}.values())  # one team fund a village
    if not secretaries:
        return {"guarantee_funds": 0, "guarantee_spendings": 0}
    rules = rules_for(session, county[:2], today.year)
    holders = [p for p in secretaries for _kind in (SECRETARY, TEAM)]
    kinds = [SECRETARY, TEAM] * len(secretaries)
    amounts = [rules.fund_secretary_year if k == SECRETARY else rules.fund_team_year for k in kinds]
    ids = _ids(session, WorkFund, len(holders))
    # Each fund is 10–70 % spent, in 1–4 entries of whole yuan, dated this year up to today.
    entries = rng.integers(1, 5, len(holders))
    shares = rng.uniform(0.1, 0.7, len(holders))
    spent_days = (today - date(today.year, 1, 1)).days + 1
    spendings: dict[str, list[Any]] = {k: [] for k in ("id", "fund_id", "cadre_id", "spent_on", "amount")}
    spendings.update(purpose=[], receipt=[])
    spent: list[Decimal] = []
    for fund_id, holder, amount, k, share in zip(ids, holders, amounts, entries.tolist(), shares.tolist()):
        parts = np.floor(rng.dirichlet(np.ones(k)) * float(amount) * share).astype(np.int64)
        parts = np.maximum(parts, 1)
        days = np.sort(rng.integers(0, spent_days, k))
        for part, day in zip(parts.tolist(), days.tolist()):
            spendings["fund_id"].append(int(fund_id))
            spendings["cadre_id"].append(holder.cadre_id)
            spendings["spent_on"].append(date(today.year, 1, 1) + timedelta(days=day))
            spendings["amount"].append(Decimal(part))
            spendings["purpose"].append(PURPOSES[int(rng.integers(0, len(PURPOSES)))])
            spendings["receipt"].append(f"票据{today.year}-{int(fund_id):06d}-{len(spendings['receipt']) + 1:02d}")
        spent.append(Decimal(int(parts.sum())))
    spendings["id"] = _ids(session, FundSpending, len(spendings["fund_id"]))
    funds = {
        "id": ids,
        "kind": kinds,
        "year": [today.year] * len(ids),
        "cadre_id": [p.cadre_id for p in holders],
        "village_code": [p.village_code for p in holders],
        "amount": amounts,
        "spent": spent,
        "created_at": [now] * len(ids),
    }
    spendings["created_at"] = [now] * len(spendings["id"])
    return {
        "guarantee_funds": _copy(session, WorkFund, county, funds),
        "guarantee_spendings": _copy(session, FundSpending, county, spendings),
    }


def _policies(
    session: Session, rng: np.random.Generator, county: str, cadre_ids: list[int], today: date, now: datetime
) -> int:
    """A year's accident insurance per cadre; about a tenth (at least one) end within the warning days."""
    n = len(cadre_ids)
    if not n:
        return 0
    window = rules_for(session, county[:2], today.year).insurance_warning_days
    expiring = np.zeros(n, dtype=bool)
    expiring[rng.choice(n, size=max(1, round(n * EXPIRING_SHARE)), replace=False)] = True
    left = np.where(expiring, rng.integers(1, max(window, 2), n), rng.integers(window + 5, 366, n))
    ends = [today + timedelta(days=int(d)) for d in left.tolist()]
    insurer = rng.integers(0, len(INSURERS), n).tolist()
    numbers = [f"{INSURERS[i][1]}{e:%Y%m}{county}{k:05d}" for k, (i, e) in enumerate(zip(insurer, ends, strict=True))]
    return _copy(
        session,
        InsurancePolicy,
        county,
        {
            "id": _ids(session, InsurancePolicy, n),
            "cadre_id": cadre_ids,
            "insurer": [INSURERS[i][0] for i in insurer],
            "number": numbers,
            "starts_on": [e - timedelta(days=364) for e in ends],
            "ends_on": ends,
            "sum_insured": [SUMS_INSURED[i] for i in rng.integers(0, len(SUMS_INSURED), n).tolist()],
            "created_at": [now] * n,
        },
    )


def _checks(
    session: Session, rng: np.random.Generator, county: str, cadre_ids: list[int], today: date, now: datetime
) -> int:
    """This year's check for most cadres; of the others (at least one each), some had last
    year's and some none, so that the overdue list has names."""
    n = len(cadre_ids)
    if not n:
        return 0
    others = rng.permutation(n)[: max(2, round(n * (1 - CHECKED_THIS_YEAR)))]
    this_year = np.ones(n, dtype=bool)
    this_year[others] = False
    chosen = np.sort(np.concatenate([np.flatnonzero(this_year), others[: len(others) // 2]]))
    so_far = (today - date(today.year, 1, 1)).days + 1
    days = rng.integers(0, 365, n)
    checked = [
        date(today.year, 1, 1) + timedelta(days=int(days[i]) % so_far)
        if this_year[i]
        else date(today.year - 1, 1, 1) + timedelta(days=int(days[i]) % 365)
        for i in chosen.tolist()
    ]
    results = rng.choice(len(RESULTS), size=len(chosen), p=RESULT_SHARES)
    return _copy(
        session,
        HealthCheck,
        county,
        {
            "id": _ids(session, HealthCheck, len(chosen)),
            "cadre_id": [cadre_ids[i] for i in chosen.tolist()],
            "year": [c.year for c in checked],
            "done": [True] * len(chosen),
            "checked_on": checked,
            "result": [RESULTS[r] for r in results.tolist()],
            "updated_at": [now] * len(chosen),
        },
    )


def _ids(session: Session, model: Any, count: int) -> list[int]:
    if not count:
        return []
    first = allocate(session, model.__tablename__, count)
    return list(range(first, first + count))


def _copy(session: Session, model: Any, county: str, columns: dict[str, list[Any]]) -> int:
    """Rows of ``columns`` (lists of one length) with the county key first."""
    length = len(columns["id"])
    if not length:
        return 0
    rows = zip([county] * length, *columns.values(), strict=True)
    binary = session.get_bind().dialect.name == "postgresql"
    return copy_rows(session, model.__table__, ["county_code", *columns], rows, binary=binary)
