"""Registry reads: households and members found by name, ID number (through its keyed
hash, never in clear), household number, area and status; keyset pages that stay fast
deep into a national register; always within the session's scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import Session

from zhucun.core.protect import Protector

from ..core.codes import is_code, prefix_of, prefix_upper_bound
from ..core.pagination import keyset
from ..identification.rules import DEFAULTS as IDENTIFICATION_DEFAULTS
from .catalogues import ASSISTED_STATUSES, MONITORED_STATUSES
from .models import Household, HouseholdIncome, Member, RegistryChange


def _area(statement: Select[Any], column: Any, code: str | None) -> Select[Any]:
    if code and is_code(code):
        prefix = prefix_of(code)
        statement = statement.where(column >= prefix, column < prefix_upper_bound(prefix))
    return statement


def below_line(lines: dict[int, float] | None = None) -> Any:
    """Households whose latest recorded income per head is below that year's monitoring line
    (``identification.rules.monitoring_line`` in SQL: the line of the latest known year at or
    before it), as one correlated condition a whole county's list or count can carry."""
    table = sorted((lines or IDENTIFICATION_DEFAULTS["monitoring_line"]).items(), reverse=True)
    # The incomes' own scope filter is an EXISTS on their household, which would correlate to
    # the list's household and leave no FROM; their household, joined by key, carries the scope.
    income, other = (HouseholdIncome.__table__.alias(name).c for name in ("income", "later"))
    line = case(*((income.year >= year, value) for year, value in table), else_=table[-1][1])
    net = income.wage + income.production + income.property + income.transfer - income.production_costs
    # Compared as income < line × size, so no division; a household of no recorded size counts as one.
    size = case((Household.member_count > 1, Household.member_count), else_=1)
    newest = (
        select(func.max(other.year))
        .where(other.county_code == Household.county_code, other.household_id == Household.id)
        .scalar_subquery()
    )
    return exists().where(
        income.county_code == Household.county_code,
        income.household_id == Household.id,
        income.year == newest,
        net < line * size,
    )


def _name_prefix(column: Any, text: str) -> Any:
    return column.startswith(text, autoescape=True)


def helped_by_clause(account_id: int) -> Any:
    """Households the account is the open helper of ("my households")."""
    # Imported here: the helpers' tables are selection's, which reads the register.
    from zhucun.selection.helpers.models import HelperAssignment as A

    return exists().where(
        A.county_code == Household.county_code,
        A.household_id == Household.id,
        A.account_id == account_id,
        A.end_date.is_(None),
    )


def household_statement(
    protector: Protector,
    *,
    q: str | None = None,
    village: str | None = None,
    status: str | None = None,
    attribute: str | None = None,
    monitored: bool | None = None,
    assisted: bool | None = None,
    below: bool | None = None,
    helped_by: int | None = None,
) -> Select[Any]:
    statement = _area(select(Household), Household.village_code, village)
    if helped_by is not None:
        statement = statement.where(helped_by_clause(helped_by))
    if below:
        statement = statement.where(below_line())
    if status:
        statement = statement.where(Household.status == status)
    if attribute:
        statement = statement.where(Household.attribute == attribute)
    if monitored is not None:
        condition = Household.status.in_(MONITORED_STATUSES)
        statement = statement.where(condition if monitored else ~condition)
    if assisted:
        statement = statement.where(Household.status.in_(ASSISTED_STATUSES))
    text = (q or "").strip()
    if text:
        id_hash = protector.lookup(text)
        if id_hash:
            holders = select(Member.household_id).where(Member.id_hash == id_hash)
            statement = statement.where(Household.id.in_(holders))
        elif text.replace("-", "").isalnum() and text.isascii():
            statement = statement.where(Household.household_no == text)
        else:
            statement = statement.where(_name_prefix(Household.head_name, text))
    return statement


def member_statement(
    protector: Protector,
    *,
    q: str | None = None,
    village: str | None = None,
    household_id: int | None = None,
    gender: str | None = None,
    status: str | None = None,
) -> Select[Any]:
    statement = _area(select(Member), Member.village_code, village)
    if household_id:
        # With the household's county the (county_code, household_id) index answers at once.
        county = select(Household.county_code).where(Household.id == household_id).scalar_subquery()
        statement = statement.where(Member.county_code == county, Member.household_id == household_id)
    if gender:
        statement = statement.where(Member.gender == gender)
    if status:
        statement = statement.where(Member.status == status)
    text = (q or "").strip()
    if text:
        id_hash = protector.lookup(text)
        statement = statement.where(Member.id_hash == id_hash if id_hash else _name_prefix(Member.name, text))
    return statement


def page(
    session: Session, statement: Select[Any], model: Any, *, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """A keyset page ordered by (village, id): the order of the (village_code, id) index."""
    return keyset(
        session,
        statement,
        [model.village_code, model.id],
        cursor=cursor,
        limit=limit,
        key=lambda row: [row.village_code, row.id],
    )


def next_number(village: str, last: str | None) -> str:
    """The household number after ``last`` in a village (same width), or the village's first."""
    if last and last.isdigit():
        return str(int(last) + 1).zfill(len(last))
    return f"{village}0001"


def next_numbers(session: Session, villages: list[str]) -> dict[str, str]:
    """A suggested number for a new household in each village (one GROUP BY)."""
    if not villages:
        return {}
    last = dict(
        session.execute(
            select(Household.village_code, func.max(Household.household_no))
            .where(Household.village_code.in_(villages))
            .group_by(Household.village_code)
        ).all()
    )
    return {v: next_number(v, last.get(v)) for v in villages}


def stream(session: Session, statement: Select[Any], model: Any) -> Iterator[Any]:
    """Every row of a list, for exports, in batches and in the list's order."""
    yield from session.scalars(statement.order_by(model.village_code, model.id).execution_options(yield_per=2000))


def members_of(session: Session, household: Household) -> list[Member]:
    return list(
        session.scalars(
            select(Member)
            .where(Member.county_code == household.county_code, Member.household_id == household.id)
            .order_by(Member.relation, Member.birth_date)
        )
    )


def incomes_of(session: Session, household: Household) -> list[HouseholdIncome]:
    return list(
        session.scalars(
            select(HouseholdIncome)
            .where(HouseholdIncome.county_code == household.county_code, HouseholdIncome.household_id == household.id)
            .order_by(HouseholdIncome.year.desc())
        )
    )


def history_of(
    session: Session, household: Household, *, cursor: str | None = None, limit: int = 50
) -> tuple[list[RegistryChange], str | None]:
    statement = select(RegistryChange).where(
        RegistryChange.county_code == household.county_code, RegistryChange.household_id == household.id
    )
    return keyset(
        session, statement, [RegistryChange.id], cursor=cursor, limit=limit, key=lambda c: [c.id], descending=True
    )
