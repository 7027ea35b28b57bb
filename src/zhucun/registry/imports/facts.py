"""What the database knows that a file's rules need, fetched in bulk: each village, county or
unit once per import, when the file first names it.

These reads use Core statements on purpose: a person registered in another township of
the county, or a dispatching unit seated in the provincial capital, must be found even
when the importer may not see them (the answers only say "already registered" or name the
unit they gave), and the scope is applied to the file's own places by the rules.

The session is shared with the thread that writes earlier batches, so every read holds
the import's lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext

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


class Cache:
    """The facts of one import, grown as its batches name new places."""

    def __init__(self, session: Session, scope: Scope, kind: str, lock: AbstractContextManager | None = None):
        self.session, self.kind = session, kind
        self.lock = lock or nullcontext()
        self.divisions = Divisions({}, scope.covers)
        self.looked_up: set[str] = set()
        self.counties: set[str] = set()
        self.groups: dict[str, dict[str, int]] = {}
        self.households: set[tuple[str, str]] = set()
        self.hashes: set[str] = set()
        self.hashed_counties: set[str] = set()
        self.units: Units | None = None

    def members(self, table: Table) -> Facts:
        new = self._divisions(division_codes(table.values("village_code")))
        villages = [code for code in new if self.divisions.levels.get(code) == "village"]
        counties = {code[:6] for code in villages} - self.counties
        if villages or counties:
            with self.lock:
                self._groups(villages)
                self.households |= _household_numbers(self.session, sorted(counties))
            self.counties |= counties
        return Facts(self.divisions, self.groups, self.households)

    def cadres(self, table: Table) -> CadreFacts:
        self._divisions(division_codes(table.values("division_code")) | division_codes(table.values("hometown_code")))
        if self.units is None:
            with self.lock:
                self.units = _units(self.session)
        return CadreFacts(self.divisions, self.units)

    def registered(self, counties: Iterable[str]) -> set[str]:
        """ID lookup hashes of the people (or cadres) already registered in these counties."""
        new = set(counties) - self.hashed_counties
        if new:
            with self.lock:
                self.hashes |= _registered(self.session, self.kind, sorted(new))
            self.hashed_counties |= new
        return self.hashes

    def _divisions(self, codes: set[str]) -> set[str]:
        new = codes - self.looked_up
        if new:
            with self.lock:
                for part in chunked(sorted(new), IN_LIST):
                    rows = self.session.execute(
                        select(divisions_table.c.code, divisions_table.c.level).where(divisions_table.c.code.in_(part))
                    )
                    self.divisions.levels.update(dict(rows.all()))
            self.looked_up |= new
        return new

    def _groups(self, villages: list[str]) -> None:
        for part in chunked(sorted(villages), IN_LIST):
            rows = self.session.execute(
                select(groups_table.c.village_code, groups_table.c.number, groups_table.c.name).where(
                    groups_table.c.village_code.in_(part)
                )
            )
            for village, number, name in rows:
                self.groups.setdefault(village, {})[name] = number


def _household_numbers(session: Session, counties: list[str]) -> set[tuple[str, str]]:
    if not counties:
        return set()
    return set(
        _fetch(
            session,
            select(households_table.c.county_code, households_table.c.household_no).where(
                households_table.c.county_code.in_(counties)
            ),
        )
    )


def _registered(session: Session, kind: str, counties: list[str]) -> set[str]:
    table = members_table if kind == "members" else cadres_table
    rows = _fetch(
        session, select(table.c.id_hash).where(table.c.county_code.in_(counties), table.c.id_hash.is_not(None))
    )
    return {digest for (digest,) in rows}


def _fetch(session: Session, statement) -> list[tuple]:
    """All rows of a large read, through the driver's own cursor: a county's million hashes
    come back in a fraction of the time SQLAlchemy's per-row result takes. The statement's
    parameters are county codes (digits only), inlined by the dialect."""
    compiled = statement.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(str(compiled))
        return cursor.fetchall()
    finally:
        cursor.close()


def _units(session: Session) -> Units:
    units = Units()
    for unit_id, name in session.execute(select(Unit.__table__.c.id, Unit.__table__.c.name)):
        units.ids.add(unit_id)
        units.by_name.setdefault(name, []).append(unit_id)
    return units


def done_batch(session: Session, kind: str, sha256: str) -> tuple[int, object] | None:
    """The earlier import of the same file, if there was one: (its number, when it finished)."""
    batches = ImportBatch.__table__
    return session.execute(
        select(batches.c.id, batches.c.finished_at).where(
            batches.c.kind == kind, batches.c.sha256 == sha256, batches.c.status == "done"
        )
    ).first()
