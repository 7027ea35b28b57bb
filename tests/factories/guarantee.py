"""Guarantee factories: a work fund for the world's first secretary, made through the service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.world import Area
from zhucun.core.auth import Principal
from zhucun.core.scope import ACROSS_AREAS
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.guarantee import service
from zhucun.selection.guarantee.models import WorkFund
from zhucun.selection.guarantee.schemas import FundIn


def fund(session: Session, area: Area, *, year: int | None = None, amount: str | None = None) -> WorkFund:
    """The first secretary's own fund of the year (this year by default), opened once."""
    year = year or date.today().year
    county = area.county[:6]
    found = session.scalars(
        select(WorkFund)
        .where(WorkFund.county_code == county, WorkFund.cadre_id == area.posted_cadre_id, WorkFund.year == year)
        .execution_options(**ACROSS_AREAS)
    ).first()
    if found is not None:
        return found
    cadre = session.scalars(
        select(Cadre)
        .where(Cadre.county_code == county, Cadre.id == area.posted_cadre_id)
        .execution_options(**ACROSS_AREAS)
    ).one()
    data = FundIn(kind="secretary", year=year, amount=Decimal(amount) if amount else None)
    return service.open_fund(session, actor=Principal.system(), cadre=cadre, data=data)
