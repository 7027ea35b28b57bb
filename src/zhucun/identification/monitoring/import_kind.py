"""Department alert lists (hospital costs, civil affairs 低保/特困/临时救助, disaster victims,
unemployment, education, disabled persons' federation) as a kind of the shared import
engine: every ID number checked by GB 11643, matched to a household of the importer's area
by its keyed hash, and stored as the hash and a masked form only.

Each row names the division of the importer's area whose register it is matched against
(refused, located, outside the area). The matching needs the hashes, which the engine
computes after the checks, so the kind's facts carry the people of the counties named by
hash, and ``prepare`` looks each row up there: a person outside the row's division is not
found, and an unmatched row is kept at the division it names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, cast

import numpy as np
from sqlalchemy import Select, and_, select

from zhucun.core.codes import prefix_of
from zhucun.core.i18n import _l
from zhucun.core.idnumbers import mask
from zhucun.core.imports.checks import (
    LOOKED_UP,
    Context,
    Divisions,
    Ledger,
    check_field,
    check_ids,
    check_places,
    check_stray,
    division_codes,
)
from zhucun.core.imports.columns import CODE as CODE_KIND
from zhucun.core.imports.columns import DATE, ID, MONEY, PLACE, TEXT, by_name
from zhucun.core.imports.columns import field as _f
from zhucun.core.imports.kinds import Kind, counted
from zhucun.core.imports.lookup import Lookup
from zhucun.core.imports.problems import DEFAULT_CAP, Problems
from zhucun.core.imports.readers import Table
from zhucun.core.imports.writer import Allocate, Rows, column, county_keys, one_table
from zhucun.core.protect import Protector
from zhucun.procedures.models import Case
from zhucun.registry.catalogues import MONITORED_STATUSES
from zhucun.registry.models import Household, Member

from .catalogue import DEPARTMENT
from .models import DepartmentAlert
from .permissions import ALERT_IMPORT
from .service import Tag

ALERT_FIELDS = (
    _f("name", "姓名", TEXT, _l("The person's name as the department lists it."), required=True, limit=50),
    _f(
        "id_number",
        "身份证号码",
        ID,
        _l("The 18-character resident ID number; format the column as text in Excel."),
        "证件号码",
        "身份证号",
        "公民身份号码",
        required=True,
    ),
    _f(
        "department",
        "预警部门",
        CODE_KIND,
        _l("The department that sent the list: 医保, 民政低保, 民政特困, 民政临时救助, 应急管理, 人社, 教育 or 残联."),
        "部门",
        "数据来源",
        required=True,
        catalogue=DEPARTMENT,
    ),
    _f(
        "alert_date",
        "预警日期",
        DATE,
        _l("The date of the event (admission, grant, disaster…)."),
        "日期",
        required=True,
    ),
    _f("amount", "金额", MONEY, _l("Yuan: the hospital costs, the grant or the loss."), "金额（元）"),
    _f("description", "说明", TEXT, _l("What happened, in a few words."), "事由", "备注", limit=200),
    _f(
        "division_code",
        "区划代码",
        PLACE,
        _l("The county (or township, village) of your area whose register the list is matched against."),
        "所属区划代码",
        "县区划代码",
        required=True,
    ),
)
FIELDS = by_name(ALERT_FIELDS)
COLUMNS = (
    "county_code",
    "id",
    "division_code",
    "household_id",
    "id_hash",
    "id_masked",
    "name",
    "department",
    "alert_date",
    "amount",
    "description",
    "monitored",
    "import_id",
    "created_at",
)


@dataclass(frozen=True)
class Match:
    county_code: str
    household_id: int
    village_code: str
    monitored: bool


@dataclass
class AlertFacts:
    divisions: Divisions = field(default_factory=Divisions)
    people: dict[str, Match] = field(default_factory=dict)  # ID hash → the person's household


@dataclass
class Alerts:
    rows: np.ndarray
    values: dict[str, list[Any]]
    ids: list[str | None]
    problems: Problems
    letters: dict[str, str]
    facts: AlertFacts

    def __len__(self) -> int:
        return len(self.rows)


def facts(lookup: Lookup) -> Callable[[Table], AlertFacts]:
    """The places a batch names, and the registered people of their counties by hash (each
    county read once, in bulk)."""
    known = AlertFacts(lookup.divisions)
    counties: set[str] = set()

    def of(table: Table) -> AlertFacts:
        lookup.look_up(division_codes(table.values("division_code")))
        new = {code[:6] for code in division_codes(table.values("division_code"))} - counties
        if new:
            known.people.update(_people(lookup, sorted(new)))
            counties.update(new)
        return known

    return of


def _people(lookup: Lookup, counties: list[str]) -> dict[str, Match]:
    m, h = Member, Household
    open_case = (
        select(Case.id)
        .where(Case.county_code == h.county_code, Case.household_id == h.id, Case.status == "open")
        .exists()
    )
    monitored = h.status.in_(MONITORED_STATUSES) | open_case
    statement = (
        select(m.id_hash, h.county_code, h.id, h.village_code, monitored)
        .join(h, and_(h.county_code == m.county_code, h.id == m.household_id))
        .where(m.county_code.in_(counties), m.id_hash.is_not(None))
    )
    return {row[0]: Match(row[1], row[2], row[3], bool(row[4])) for row in lookup.read(cast(Select[Any], statement))}


def check_alerts(table: Table, facts: AlertFacts, *, today: dt.date, ledger: Ledger | None = None) -> Alerts:
    """Every check of a department list that needs no hash: cells, dates, places, GB 11643."""
    ctx = Context(table, ledger or Ledger(Problems(DEFAULT_CAP)), today)
    check_stray(ctx)
    values = {f.name: col for f in ALERT_FIELDS if f.kind not in LOOKED_UP if (col := check_field(ctx, f)) is not None}
    values["division_code"] = check_places(ctx, FIELDS["division_code"], facts.divisions)
    values["id_number"] = check_ids(ctx, FIELDS["id_number"], None).numbers
    return Alerts(table.rows, values, values["id_number"], ctx.problems, table.letters, facts)


def _matched(match: Match | None, place: str) -> Match | None:
    """A person counts as found only inside the place the row names (the importer's area)."""
    return match if match is not None and match.village_code.startswith(prefix_of(place)) else None


def prepare_alerts(
    alerts: Alerts, hashes: list[str | None], *, allocate: Allocate, import_id: int, protector: Protector, now: Any
) -> Rows:
    """The rows to store, each matched by its hash; the counts the report shows."""
    count, people, values = len(alerts), alerts.facts.people, alerts.values
    places = values["division_code"]
    first = allocate("department_alerts", count)
    found = [_matched(people.get(digest or ""), place) for digest, place in zip(hashes, places)]
    rows = list(
        zip(
            county_keys(places),
            range(first, first + count),
            [m.village_code if m else place for m, place in zip(found, places)],
            [m.household_id if m else None for m in found],
            hashes,
            [mask(number or "") for number in alerts.ids],
            values["name"],
            values["department"],
            values["alert_date"],
            column(values, "amount", count),
            column(values, "description", count),
            [bool(m and m.monitored) for m in found],
            repeat(import_id),
            repeat(now),
        )
    )
    matched = sum(1 for m in found if m)
    monitored = sum(1 for m in found if m and m.monitored)
    written = {"alerts": count, "matched": matched, "unmatched": count - matched, "monitored": monitored}
    return one_table(DepartmentAlert, COLUMNS, rows, written)


ALERTS = Kind(
    name="alerts",
    label=_l("Department alerts"),
    fields=ALERT_FIELDS,
    place="division_code",
    facts=facts,
    check=check_alerts,
    prepare=prepare_alerts,
    counts=counted("alerts"),
    permission=ALERT_IMPORT,
    tag=Tag.ALERTS_IMPORTED,
    done=_l(
        "{alerts} alerts imported: {matched} matched to households ({monitored} already monitored), "
        "{unmatched} not found in the register."
    ),
    would=_l("{alerts} alerts would be imported."),
    history={"members": "alerts", "households": "matched"},
    tables={"alerts": "department_alerts"},
    id_field="id_number",
    action=_l("Import a department alert list"),
    help=_l(
        "One row per person and event from another department's list (hospital costs, civil affairs, "
        "disaster victims, unemployment, education, disabled persons' federation); matched by ID number."
    ),
)
