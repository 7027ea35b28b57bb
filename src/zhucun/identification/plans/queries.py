"""The read side of plans, always through the scoped session and with the county named
(so that Citus routes a county's query to its shard): the plans of an area with their
counts, households in care without a plan, one plan in full, a village's projects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from zhucun.core.codes import level_of, prefix_of, prefix_upper_bound
from zhucun.core.i18n import current_locale
from zhucun.core.models import User
from zhucun.registry.models import Household, Member
from zhucun.registry.officials.models import VillageOfficial
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.helpers.models import HelperAssignment
from zhucun.selection.helpers.rules import IN_CARE_STATUSES

from . import rules
from .models import HouseholdPlan, MeasureKind, PlanMeasure, PlanProgress, VillageProject

LIMIT = 500


@dataclass(frozen=True)
class Filters:
    division: str | None
    overdue: bool = False
    without: bool = False
    q: str | None = None


def _within(column: Any, county: Any, area: str | None) -> list[Any]:
    if area is None:
        return []
    clauses = [column >= prefix_of(area), column < prefix_upper_bound(prefix_of(area))]
    if level_of(area) in ("county", "township", "village"):
        clauses.append(county == area[:6])
    return clauses


def _overdue(today: date) -> Any:
    return and_(PlanMeasure.deadline < today, PlanMeasure.status.in_(rules.OPEN_STATUSES))


def plans(session: Session, filters: Filters, today: date) -> tuple[int, list[dict[str, Any]]]:
    """The plans of an area (or only those with a measure overdue): total and rows."""
    counts = (
        select(
            PlanMeasure.county_code,
            PlanMeasure.plan_id,
            func.count().label("measures"),
            func.sum(case((PlanMeasure.status == "done", 1), else_=0)).label("done"),
            func.sum(case((_overdue(today), 1), else_=0)).label("overdue"),
        )
        .where(*_within(PlanMeasure.village_code, PlanMeasure.county_code, filters.division))
        .group_by(PlanMeasure.county_code, PlanMeasure.plan_id)
        .subquery()
    )
    statement = (
        select(
            HouseholdPlan,
            Household.household_no,
            Household.head_name,
            counts.c.measures,
            counts.c.done,
            counts.c.overdue,
            *HELPER_COLUMNS,
        )
        .join(
            Household,
            and_(Household.county_code == HouseholdPlan.county_code, Household.id == HouseholdPlan.household_id),
        )
        .outerjoin(
            counts, and_(counts.c.county_code == HouseholdPlan.county_code, counts.c.plan_id == HouseholdPlan.id)
        )
        .where(*_within(HouseholdPlan.village_code, HouseholdPlan.county_code, filters.division))
    )
    statement = _with_helper(statement, HouseholdPlan.county_code, HouseholdPlan.household_id)
    if filters.overdue:
        statement = statement.where(counts.c.overdue > 0)
    if filters.q:
        statement = statement.where((Household.household_no == filters.q) | Household.head_name.startswith(filters.q))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.execute(statement.order_by(HouseholdPlan.village_code, Household.household_no).limit(LIMIT)).all()
    accounts = _account_names(session, [row.helper_account for row in rows])
    return total, [
        {
            "county_code": p.county_code,
            "id": p.id,
            "household_id": p.household_id,
            "household_no": no,
            "head_name": head,
            "village_code": p.village_code,
            "goal": p.goal,
            "measures": int(m or 0),
            "done": int(d or 0),
            "overdue": int(o or 0),
            "helper": helper or accounts.get(account),
        }
        for p, no, head, m, d, o, helper, account in rows
    ]


def _without_plan(session: Session, area: str | None, account_id: int | None) -> Any:
    has_plan = (
        select(HouseholdPlan.id)
        .where(HouseholdPlan.county_code == Household.county_code, HouseholdPlan.household_id == Household.id)
        .exists()
    )
    statement = select(Household).where(
        *_within(Household.village_code, Household.county_code, area), Household.status.in_(IN_CARE_STATUSES), ~has_plan
    )
    if account_id is not None:
        statement = statement.join(
            HelperAssignment,
            and_(
                HelperAssignment.county_code == Household.county_code,
                HelperAssignment.household_id == Household.id,
                HelperAssignment.account_id == account_id,
                HelperAssignment.end_date.is_(None),
            ),
        )
    return statement


def without_plan(session: Session, area: str | None, account_id: int | None = None) -> tuple[int, list[Household]]:
    """Households in care of the area (or in one helper's care) that have no plan yet."""
    statement = _without_plan(session, area, account_id)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    return total, list(session.scalars(statement.order_by(Household.village_code, Household.household_no).limit(LIMIT)))


def overdue_count(session: Session, area: str, today: date) -> int:
    statement = select(func.count()).where(
        *_within(PlanMeasure.village_code, PlanMeasure.county_code, area), _overdue(today)
    )
    return session.scalar(statement) or 0


def kinds(session: Session) -> list[MeasureKind]:
    return list(session.scalars(select(MeasureKind).where(MeasureKind.active).order_by(MeasureKind.code)))


def kind_labels(session: Session) -> dict[str, str]:
    english = current_locale() == "en"
    rows = session.execute(select(MeasureKind.code, MeasureKind.label_zh, MeasureKind.label_en))
    return {code: (en if english else zh) for code, zh, en in rows}


# The household's helper now, by name, whichever kind (selection/helpers): a cadre, a
# sitting village official (a resident, named from the register), or an account. Joined into
# the plan queries so that a page names every row's helper in the one statement.
HELPER_COLUMNS = (
    func.coalesce(Cadre.name, Member.name).label("helper_name"),
    HelperAssignment.account_id.label("helper_account"),
)


def _with_helper(statement: Any, county: Any, household: Any) -> Any:
    """``statement`` outer-joined to the household's open helper assignment and the cadre or
    official it names, on (county_code, id) at every step."""
    assignment = HelperAssignment
    return (
        statement.outerjoin(
            assignment,
            and_(
                assignment.county_code == county,
                assignment.household_id == household,
                assignment.end_date.is_(None),
            ),
        )
        .outerjoin(Cadre, and_(Cadre.county_code == assignment.county_code, Cadre.id == assignment.cadre_id))
        .outerjoin(
            VillageOfficial,
            and_(VillageOfficial.county_code == assignment.county_code, VillageOfficial.id == assignment.official_id),
        )
        .outerjoin(
            Member, and_(Member.county_code == VillageOfficial.county_code, Member.id == VillageOfficial.member_id)
        )
    )


def _account_names(session: Session, ids: list[int | None]) -> dict[int, str]:
    """Display names of the page's account helpers, in one query (accounts are a local table
    on Citus, which a county's shard cannot join)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {int(user_id): str(name) for user_id, name in rows}


def helper_of(session: Session, household: Household) -> str | None:
    """The household's helper now, by name (the same join as the plan list's)."""
    statement = _with_helper(select(*HELPER_COLUMNS).select_from(Household), Household.county_code, Household.id).where(
        Household.county_code == household.county_code, Household.id == household.id
    )
    row = session.execute(statement).first()
    if row is None or (row.helper_name is None and row.helper_account is None):
        return None
    return row.helper_name or _account_names(session, [row.helper_account]).get(row.helper_account)


def plan_detail(session: Session, plan: HouseholdPlan, household: Household, today: date) -> dict[str, Any]:
    """One plan in full: household, causes, helper, measures with their entries, and the
    causes no measure answers."""
    measures = list(
        session.scalars(
            select(PlanMeasure)
            .where(PlanMeasure.county_code == plan.county_code, PlanMeasure.plan_id == plan.id)
            .order_by(PlanMeasure.deadline, PlanMeasure.id)
        )
    )
    entries: dict[int, list[dict[str, Any]]] = {m.id: [] for m in measures}
    for e in session.scalars(
        select(PlanProgress)
        .where(PlanProgress.county_code == plan.county_code, PlanProgress.measure_id.in_(list(entries) or [0]))
        .order_by(PlanProgress.entry_date, PlanProgress.id)
    ):
        entries[e.measure_id].append({"entry_date": e.entry_date, "percent": e.percent, "note": e.note})
    late = rules.overdue(
        np.array([m.deadline for m in measures], dtype="datetime64[D]"), np.array([m.status for m in measures]), today
    )
    labels = kind_labels(session)
    answers = dict(session.execute(select(MeasureKind.code, MeasureKind.causes)).all())
    others = list(rules.parse_others(household.other_causes))
    causes = ([household.main_cause] if household.main_cause else []) + others
    return {
        "county_code": plan.county_code,
        "id": plan.id,
        "household_id": household.id,
        "household_no": household.household_no,
        "head_name": household.head_name,
        "village_code": plan.village_code,
        "goal": plan.goal,
        "helper": helper_of(session, household),
        "main_cause": household.main_cause,
        "other_causes": others,
        "unanswered_causes": rules.unanswered(causes, [m.kind for m in measures if m.status != "dropped"], answers),
        "measures": [
            {
                "id": m.id,
                "kind": m.kind,
                "kind_label": labels.get(m.kind, m.kind),
                "target": m.target,
                "amount": m.amount,
                "deadline": m.deadline,
                "status": m.status,
                "progress": m.progress,
                "overdue": bool(late[i]),
                "result": m.result,
                "completed_on": m.completed_on,
                "entries": entries[m.id],
            }
            for i, m in enumerate(measures)
        ],
    }


def plan_of(session: Session, household: Household) -> HouseholdPlan | None:
    return session.scalars(
        select(HouseholdPlan).where(
            HouseholdPlan.county_code == household.county_code, HouseholdPlan.household_id == household.id
        )
    ).first()


def projects(session: Session, village_code: str, year: int | None = None) -> list[VillageProject]:
    statement = select(VillageProject).where(
        VillageProject.county_code == village_code[:6], VillageProject.village_code == village_code
    )
    if year is not None:
        statement = statement.where(VillageProject.year == year)
    return list(
        session.scalars(statement.order_by(VillageProject.year.desc(), VillageProject.category, VillageProject.id))
    )


def project_status(session: Session, area: str) -> dict[str, int]:
    """Projects of the area's village plans by status (the first secretary's home)."""
    rows = session.execute(
        select(VillageProject.status, func.count())
        .where(*_within(VillageProject.village_code, VillageProject.county_code, area))
        .group_by(VillageProject.status)
    )
    return {status: int(n) for status, n in rows}
