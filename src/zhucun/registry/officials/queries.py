"""Village official reads: a village's officials (current first, then past terms) with
the residents' names, and an official's history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.registry.models import Member, RegistryChange
from zhucun.registry.officials.models import VillageOfficial

from .schemas import OfficialOut


def officials_of(session: Session, village_code: str, *, current: bool | None = None) -> list[OfficialOut]:
    # An outer join: an official whose resident has since moved away stays on the list.
    statement = (
        select(VillageOfficial, Member.name)
        .outerjoin(
            Member, (Member.county_code == VillageOfficial.county_code) & (Member.id == VillageOfficial.member_id)
        )
        .where(VillageOfficial.village_code == village_code)
    )
    if current is not None:
        ended = VillageOfficial.term_end.is_not(None)
        statement = statement.where(~ended if current else ended)
    statement = statement.order_by(
        VillageOfficial.term_end.is_not(None),
        VillageOfficial.post,
        VillageOfficial.term_start.desc(),
        VillageOfficial.id,
    )
    return [_out(official, name) for official, name in session.execute(statement)]


def official_out(session: Session, official: VillageOfficial) -> OfficialOut:
    name = session.scalar(
        select(Member.name).where(Member.county_code == official.county_code, Member.id == official.member_id)
    )
    return _out(official, name)


def _out(official: VillageOfficial, name: str | None) -> OfficialOut:
    out = OfficialOut.model_validate(official)
    out.member_name = name
    return out


def history_of(session: Session, official: VillageOfficial, limit: int = 50) -> list[RegistryChange]:
    return list(
        session.scalars(
            select(RegistryChange)
            .where(
                RegistryChange.county_code == official.county_code,
                RegistryChange.entity == "official",
                RegistryChange.entity_id == official.id,
            )
            .order_by(RegistryChange.id.desc())
            .limit(limit)
        )
    )


def residents(session: Session, village_code: str, limit: int = 3000) -> list[Member]:
    """The village's residents on a roll, for choosing an official."""
    return list(
        session.scalars(
            select(Member)
            .where(Member.village_code == village_code, Member.status == "1")
            .order_by(Member.name, Member.id)
            .limit(limit)
        )
    )
