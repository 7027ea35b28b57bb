"""The one place where reads and writes are filtered by area (division) and dispatching unit.

A scoped model names its division-code column in ``__scope_column__`` (and, when a
dispatching unit owns its rows, its unit column in ``__scope_unit_column__``), or — when
one column does not say where a row belongs — defines ``__scope_clause__(scope)``. A session
that carries a scope (``bind``) has every ORM query on scoped models filtered
automatically, so that a route that forgets to filter still cannot leak; code that
builds Core statements calls ``Scope.clause``. Fetching by key goes through ``access``,
which answers the same 404 for a missing row and for one outside the scope.

On a table keyed by county (``CountyKeyed``) the filter also names the counties:
``county_code = '…'`` for an area within one county, ``county_code IN (…)`` for several or
for an area above a county (its counties looked up once, when the scope is bound), nothing
for the whole country. The division range alone is correct, but only an equality or IN on
the distribution column lets Citus send a county's query to that county's shard alone.
A model that is not filtered says why in ``__unscoped__``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import and_, column, event, false, or_, select, table, true
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import ColumnElement

from .codes import prefix_of, prefix_upper_bound
from .db import COUNTY_COLUMN, CountyKeyed, county_of
from .errors import NotFound

T = TypeVar("T")
SCOPE_KEY = "scope"
ALL_AREAS = "zhucun_all_areas"
COUNTY_LENGTH = 6
# Off only for the benchmark's baseline (bench/lists_bench.py): the same rows either way.
_ROUTING = {"by_county": True}


@contextmanager
def without_county_routing() -> Iterator[None]:
    """Leave the county predicate out (the division range alone), to measure what it saves."""
    _ROUTING["by_county"] = False
    try:
        yield
    finally:
        _ROUTING["by_county"] = True


@dataclass(frozen=True)
class Area:
    """A division subtree (its code prefix; "" is the whole country), optionally one unit's rows."""

    prefix: str
    unit_id: int | None = None

    @classmethod
    def of(cls, division_code: str | None, unit_id: int | None = None) -> Area:
        return cls(prefix_of(division_code) if division_code else "", unit_id)

    def covers(self, code: str | None, unit_id: int | None = None, *, has_unit: bool = False) -> bool:
        if self.prefix and not (code or "").startswith(self.prefix):
            return False
        return not (has_unit and self.unit_id is not None and unit_id != self.unit_id)

    def contains(self, other: Area) -> bool:
        return other.prefix.startswith(self.prefix) and self.unit_id in (None, other.unit_id)

    def within(self, column: Any) -> ColumnElement[bool]:
        """The division codes of this area as a range of ``column`` (an index range, never LIKE)."""
        if not self.prefix:
            return true()
        return and_(column >= self.prefix, column < prefix_upper_bound(self.prefix))

    def county_within(self, county_column: Any) -> ColumnElement[bool]:
        """The county keys this area touches: its own county's, or the range of those under it."""
        if len(self.prefix) >= COUNTY_LENGTH:
            return cast(ColumnElement[bool], county_column == self.prefix[:COUNTY_LENGTH])
        return self.within(county_column)


@dataclass(frozen=True)
class Scope:
    areas: tuple[Area, ...]
    # The county keys under each area above a county, filled once by resolve().
    _counties: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def everywhere(cls) -> Scope:
        return cls((Area(""),))

    @classmethod
    def nowhere(cls) -> Scope:
        return cls(())

    @classmethod
    def of(cls, areas: list[Area]) -> Scope:
        kept = [a for a in set(areas) if not any(b != a and b.contains(a) for b in areas)]
        return cls(tuple(sorted(kept, key=lambda a: (a.prefix, a.unit_id or 0))))

    @property
    def is_everywhere(self) -> bool:
        return Area("") in self.areas

    def covers(self, code: str | None, unit_id: int | None = None, *, has_unit: bool = False) -> bool:
        return any(a.covers(code, unit_id, has_unit=has_unit) for a in self.areas)

    def require(self, code: str | None, unit_id: int | None = None, *, has_unit: bool = False) -> None:
        """Raise NotFound unless the division (and unit) lies in the scope."""
        if not self.covers(code, unit_id, has_unit=has_unit):
            raise NotFound()

    def resolve(self, session: Session) -> Scope:
        """Look up, once, the county keys under every area above a county (a province or a
        prefecture): its counties and the keys of the levels above them, which rows about
        the prefecture or the province itself carry."""
        divisions = table("divisions", column("code"), column("level"))
        for area in self.areas:
            if not area.prefix or len(area.prefix) >= COUNTY_LENGTH or area.prefix in self._counties:
                continue
            statement = select(divisions.c.code).where(
                divisions.c.level.in_(("province", "prefecture", "county")), area.within(divisions.c.code)
            )
            codes = session.execute(statement, execution_options={ALL_AREAS: True}).scalars()
            self._counties[area.prefix] = tuple(sorted({county_of(code) for code in codes}))
        return self

    def counties(self) -> tuple[str, ...] | None:
        """The county keys this scope's rows can carry; None when unbounded (the whole
        country, or an area above a county that resolve() has not looked up)."""
        found: set[str] = set()
        for area in self.areas:
            if len(area.prefix) >= COUNTY_LENGTH:
                found.add(area.prefix[:COUNTY_LENGTH])
            elif area.prefix in self._counties:
                found.update(self._counties[area.prefix])
            else:
                return None
        return tuple(sorted(found))

    def county_clause(self, county_column: Any) -> ColumnElement[bool]:
        """``county_code = '…'`` or ``IN (…)`` for this scope's counties; TRUE when unbounded."""
        counties = self.counties()
        if counties is None or not _ROUTING["by_county"]:
            return true()
        if len(counties) == 1:
            return cast(ColumnElement[bool], county_column == counties[0])
        return cast(ColumnElement[bool], county_column.in_(counties))

    def clause(self, model: Any, column: Any = None, *, county: Any = None) -> ColumnElement[bool]:
        """A WHERE clause for a model (or a division-code column, with its county column if the
        table has one) as code ranges, never LIKE, and the county predicate on county-keyed
        tables."""
        if county is None and column is None and is_county_keyed(model):
            county = getattr(model, COUNTY_COLUMN)
        area_clause = self._area_clause(model, column)
        return area_clause if county is None else and_(self.county_clause(county), area_clause)

    def _area_clause(self, model: Any, column: Any) -> ColumnElement[bool]:
        if column is None and hasattr(model, "__scope_clause__"):
            own: ColumnElement[bool] = model.__scope_clause__(self)
            return own
        code_col = column if column is not None else getattr(model, model.__scope_column__)
        unit_name = getattr(model, "__scope_unit_column__", None) if column is None else None
        unit_col = getattr(model, unit_name) if unit_name else None
        parts = []
        for area in self.areas:
            condition = area.within(code_col)
            if unit_col is not None and area.unit_id is not None:
                condition = and_(condition, unit_col == area.unit_id)
            parts.append(condition)
        return or_(*parts) if parts else false()

    def prefixes(self) -> list[str]:
        return [a.prefix for a in self.areas]


def is_county_keyed(model: Any) -> bool:
    return isinstance(model, type) and issubclass(model, CountyKeyed)


def scoped_models() -> list[type]:
    from .db import Base

    return [
        m.class_
        for m in Base.registry.mappers
        if getattr(m.class_, "__scope_column__", None) or hasattr(m.class_, "__scope_clause__")
    ]


def bind(session: Session, scope: Scope) -> Session:
    """Attach a scope to a session: from now on its ORM queries see only that area."""
    scope.resolve(session)
    session.info[SCOPE_KEY] = scope
    return session


def scope_of(session: Session) -> Scope | None:
    return session.info.get(SCOPE_KEY)


ACROSS_AREAS = {ALL_AREAS: True}


def across_areas(statement: Any) -> Any:
    """Let one read see every area: only for checks whose answer shows no row to the caller
    (does a parent code exist?), never for rows that are listed or shown."""
    return statement.execution_options(**{ALL_AREAS: True})


@event.listens_for(Session, "do_orm_execute")
def _filter_by_scope(state: ORMExecuteState) -> None:
    scope = state.session.info.get(SCOPE_KEY)
    if "skip_scope" in state.execution_options:
        # An option this module does not know would be ignored, and the query silently narrowed.
        raise RuntimeError("use core.scope.ACROSS_AREAS / across_areas(), not skip_scope")
    if scope is None or scope.is_everywhere or state.execution_options.get(ALL_AREAS):
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    options = [with_loader_criteria(model, scope.clause(model), include_aliases=True) for model in scoped_models()]
    state.statement = state.statement.options(*options)


def access(session: Session, model: type[T], key: Any) -> T:
    """Fetch a scoped row by primary key; missing and out-of-scope both answer 404."""
    return _checked(session, model, session.get(model, key))


def get(session: Session, model: type[T], key: Any) -> T | None:
    """A scoped row by primary key, or None when it is missing or outside the scope."""
    try:
        return access(session, model, key)
    except NotFound:
        return None


def access_by(session: Session, model: type[T], **keys: Any) -> T:
    """Fetch the one scoped row with these column values (e.g. ``id=`` of a table keyed by
    county and id); missing and out-of-scope both answer 404."""
    from sqlalchemy import select

    return _checked(session, model, session.scalars(select(model).filter_by(**keys)).one_or_none())


def _checked(session: Session, model: type[T], obj: T | None) -> T:
    scope = scope_of(session)
    if obj is None:
        raise NotFound()
    if scope is not None and hasattr(model, "__scope_clause__"):
        from sqlalchemy import inspect, literal, select

        keys = [getattr(model, c.key) == getattr(obj, c.key) for c in inspect(model).primary_key]
        seen = session.scalar(select(literal(1)).select_from(model).where(*keys, scope.clause(model)))
        if seen is None:
            raise NotFound()
    elif scope is not None:
        unit_name = getattr(model, "__scope_unit_column__", None)
        scope.require(
            getattr(obj, cast(Any, model).__scope_column__),
            getattr(obj, unit_name) if unit_name else None,
            has_unit=bool(unit_name),
        )
    return obj


def keyed(county_code: str | None, row_id: int) -> dict[str, Any]:
    """The keys of a county-keyed row for ``access_by``: (county, id), which Citus routes to
    one shard; by id alone (every shard) only when the county is not known, e.g. an id in a form."""
    return {"id": row_id} if county_code is None else {"county_code": county_code, "id": row_id}
