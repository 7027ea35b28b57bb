"""One window for the favouritism report and the case-level kinship check: an official
whose term ended within ``Settings.kin_official_years`` still counts for both, one whose
term ended before it for neither (the case check once counted sitting officials only)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from zhucun.config import Settings
from zhucun.core.auth import Principal
from zhucun.identification import favouritism, service
from zhucun.identification.schemas import CaseIn
from zhucun.registry.models import Household
from zhucun.registry.officials.models import VillageOfficial


def _end_term(session, world, ended: date) -> None:
    session.execute(
        VillageOfficial.__table__.update().where(VillageOfficial.id == world.a.official_id).values(term_end=ended)
    )
    session.commit()


def _both(session, world, years: int) -> tuple[bool, bool]:
    """(the case check flags the related household, the report counts it) for a window."""
    today = date.today()
    since = favouritism.since_default(today, years)
    household = session.scalars(select(Household).where(Household.id == world.a.household2_id)).one()
    flagged = service.related_path(session, household, since) is not None
    behind = {h["id"] for h in favouritism.households_behind(session, household.village_code, 2, since)}
    return flagged, household.id in behind


def test_the_case_check_and_the_report_share_the_window(session, world):
    today = date.today()
    assert Settings().kin_official_years == favouritism.YEARS == 3
    assert _both(session, world, 3) == (True, True)  # sitting
    _end_term(session, world, date(today.year - 1, 6, 30))
    assert _both(session, world, 3) == (True, True)  # left last year: inside three years
    assert _both(session, world, 1) == (False, False)  # a window of this year only
    _end_term(session, world, date(today.year - 4, 6, 30))
    assert _both(session, world, 3) == (False, False)
    assert _both(session, world, 5) == (True, True)


def test_opening_a_case_uses_the_configured_window(session, world):
    today = date.today()
    _end_term(session, world, date(today.year - 1, 6, 30))
    data = CaseIn(kind="monitoring", household_id=world.a.household2_id, category="22")
    narrow = service.open_case(session, actor=Principal.system(), data=data, on=today, official_years=1)
    assert narrow.related is False and narrow.related_path is None
    session.execute(narrow.__table__.delete().where(narrow.__table__.c.id == narrow.id))
    session.commit()
    wide = service.open_case(session, actor=Principal.system(), data=data, on=today, official_years=3)
    assert wide.related is True and "→" in wide.related_path
