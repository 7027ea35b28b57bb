"""What the database knows that a file's rules need, fetched in bulk, once per import.

These reads use Core statements on purpose: a person registered in another township of
the county, or a dispatching unit seated in the provincial capital, must be found even
when the importer may not see them (the answers only say "already registered" or name the
unit they gave), and the scope is applied to the file's own places by the rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...core.db import chunked
from ...core.scope import Scope
from ...divisions.models import Division, VillageGroup
from ..models import Cadre, Household, ImportBatch, Member, Unit
from .cadre_rules import CadreFacts, Units
from .checks import Divisions, division_codes
from .readers import Table
from .rules import Facts

IN_LIST = 500
divisions_table, groups_table = Division.__table__, VillageGroup.__table__
households_table, members_table, cadres_table = Household.__table__, Member.__table__, Cadre.__table__


def divisions(session: Session, codes: Iterable[str], scope: Scope) -> Divisions:
    levels: dict[str, str] = {}
    for part in chunked(sorted(codes), IN_LIST):
        rows = session.execute(select(divisions_table.c.code, divisions_table.c.level)
                               .where(divisions_table.c.code.in_(part)))
        levels.update({code: level for code, level in rows})
    return Divisions(levels, scope.covers)


def member_facts(session: Session, table: Table, scope: Scope) -> Facts:
    known = divisions(session, division_codes(table.values("village_code")), scope)
    villages = [code for code, level in known.levels.items() if level == "village"]
    counties = sorted({code[:6] for code in villages})
    return Facts(known, _groups(session, villages), _household_numbers(session, counties))


def _groups(session: Session, villages: list[str]) -> dict[str, dict[str, int]]:
    groups: dict[str, dict[str, int]] = {}
    for part in chunked(sorted(villages), IN_LIST):
        rows = session.execute(select(groups_table.c.village_code, groups_table.c.number, groups_table.c.name)
                               .where(groups_table.c.village_code.in_(part)))
        for village, number, name in rows:
            groups.setdefault(village, {})[name] = number
    return groups


def _household_numbers(session: Session, counties: list[str]) -> set[tuple[str, str]]:
    if not counties:
        return set()
    statement = select(households_table.c.county_code, households_table.c.household_no).where(
        households_table.c.county_code.in_(counties))
    return {(county, number) for county, number in session.execute(statement.execution_options(yield_per=50_000))}


def registered(session: Session, kind: str, counties: Iterable[str]) -> set[str]:
    """ID lookup hashes of the people (or cadres) already registered in these counties."""
    table = members_table if kind == "members" else cadres_table
    counties = sorted(set(counties))
    if not counties:
        return set()
    statement = select(table.c.id_hash).where(table.c.county_code.in_(counties), table.c.id_hash.is_not(None))
    return set(session.scalars(statement.execution_options(yield_per=50_000)))


def cadre_facts(session: Session, table: Table, scope: Scope) -> CadreFacts:
    codes = division_codes(table.values("division_code")) | division_codes(table.values("hometown_code"))
    units = Units()
    for unit_id, name in session.execute(select(Unit.__table__.c.id, Unit.__table__.c.name)):
        units.ids.add(unit_id)
        units.by_name.setdefault(name, []).append(unit_id)
    return CadreFacts(divisions(session, codes, scope), units)


def done_batch(session: Session, kind: str, sha256: str) -> tuple[int, object] | None:
    """The earlier import of the same file, if there was one: (its number, when it finished)."""
    batches = ImportBatch.__table__
    return session.execute(
        select(batches.c.id, batches.c.finished_at)
        .where(batches.c.kind == kind, batches.c.sha256 == sha256, batches.c.status == "done")
    ).first()
