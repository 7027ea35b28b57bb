"""Issue 13, on the demo county itself: after the 2026 elections most villages have sitting
officials, and the organisation department's one assignment for the county gives every
registered and monitored household exactly one helper, no helper over the cap — read back
from the coverage report and, independently, from the rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import Databases, make_settings
from zhucun.core.auth import Principal
from zhucun.core.db import Database
from zhucun.core.models import User
from zhucun.core.scope import Scope, bind
from zhucun.demo import county
from zhucun.demo.load import load
from zhucun.selection.helpers import queries, rules, service
from zhucun.selection.permissions import HELPER_WRITE

COUNTY = county.COUNTY[0]
# The demo county's own layout (about 200 villages), with few households: seconds, not minutes.
HOUSEHOLDS = 3000


@pytest.fixture(scope="module")
def demo_county(databases: Databases, key_dir: Path):
    url = databases.migrated("demo_helpers")
    db = Database(url)
    with db.session(write=True) as session:
        bind(session, Scope.everywhere())
        load(session, actor=Principal.system(), settings=make_settings(url, key_dir), households=HOUSEHOLDS)
    yield db
    db.dispose()


def _rows(db: Database, sql: str) -> list[tuple]:
    from sqlalchemy import text

    with db.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def test_most_villages_have_sitting_officials_after_the_elections(demo_county: Database) -> None:
    with_committee = {v for (v,) in _rows(demo_county, "SELECT DISTINCT village_code FROM village_officials")}
    sitting = {
        v for (v,) in _rows(demo_county, "SELECT DISTINCT village_code FROM village_officials WHERE term_end IS NULL")
    }
    assert len(sitting) >= 0.8 * len(with_committee) and sitting < with_committee
    # The terms that ended are still there, and each new term started as the old one ended.
    ended = _rows(demo_county, "SELECT min(term_end), max(term_end) FROM village_officials")[0]
    started = _rows(demo_county, "SELECT min(term_start) FROM village_officials WHERE term_end IS NULL")[0]
    assert str(ended[0]) >= "2026-01-01" and str(started[0]) >= "2026-01-01"


def test_one_assignment_gives_every_household_in_care_one_helper_within_the_cap(demo_county: Database) -> None:
    with demo_county.session(write=True) as session:
        user = session.scalars(select(User).where(User.username == "zzb")).one()
        zzb = Principal.of(user)
        bind(session, zzb.scope_for(HELPER_WRITE))
        summary = service.assign_helpers(session, actor=zzb, county=COUNTY)
        report = queries.report(session, COUNTY)
    # The demo load assigned them already: the county's assignment keeps every one of them.
    assert summary["without"] == 0 and summary["assigned"] + summary["kept"] == summary["households"] > 0
    assert summary["kept"] == summary["households"]
    assert report["total"]["households"] == summary["households"]
    assert report["total"]["without_helper"] == 0 and report["total"]["helpers_over_cap"] == 0
    assert all(v["without_helper"] == 0 for v in report["villages"])
    # The same read from the rows: one open assignment per household in care, and each
    # helper's load (a monitored or 特困 household weighs 2) within the cap.
    statuses = ", ".join(f"'{s}'" for s in rules.IN_CARE_STATUSES)
    monitored = ", ".join(f"'{s}'" for s in rules.MONITORED_STATUSES)
    rows = _rows(
        demo_county,
        f"SELECT h.id, h.status IN ({monitored}) OR h.attribute = '3', a.cadre_id, a.official_id, a.account_id "
        "FROM households h LEFT JOIN helper_assignments a ON a.county_code = h.county_code "
        f"AND a.household_id = h.id AND a.end_date IS NULL WHERE h.status IN ({statuses})",
    )
    assert len(rows) == summary["households"] and len({r[0] for r in rows}) == len(rows)
    assert all(any(helper is not None for helper in r[2:]) for r in rows)
    load = Counter()
    for _household, priority, *helper in rows:
        load[tuple(helper)] += 2 if priority else 1
    assert max(load.values()) <= rules.DEFAULT_CAP
    kinds = Counter(("cadre", "official", "account")[[h is not None for h in key].index(True)] for key in load)
    assert kinds["official"] > kinds["cadre"] > 0
