"""Cadre, posting and village official factories, made through the services."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tests.factories.registry import id_number
from zhucun.config import Settings
from zhucun.core.auth import Principal
from zhucun.core.protect import Protector
from zhucun.registry.officials import service as officials
from zhucun.registry.officials.models import VillageOfficial
from zhucun.registry.officials.schemas import OfficialIn
from zhucun.selection.cadres import postings, service
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.cadres.schemas import CadreIn, PostingEnd, PostingIn


def cadre(
    session: Session,
    settings: Settings,
    county: str,
    *,
    name: str,
    born: str,
    male: bool,
    seq: int,
    unit_id: int | None,
    actor: Principal | None = None,
    **fields,
) -> Cadre:
    data = CadreIn(
        name=name,
        id_number=id_number(county[:6], born, male=male, seq=seq),
        division_code=county,
        unit_id=unit_id,
        phone="13987654321",
        **fields,
    )
    return service.create_cadre(session, actor=actor or Principal.system(), protector=Protector.of(settings), data=data)


def posting(
    session: Session,
    cadre: Cadre,
    village: str,
    *,
    role: str = "1",
    start: str = "2024-03-01",
    end: str | None = None,
    actor: Principal | None = None,
) -> CadrePosting:
    actor = actor or Principal.system()
    row = postings.post_cadre(
        session,
        actor=actor,
        cadre=cadre,
        data=PostingIn(village_code=village, role=role, start_date=date.fromisoformat(start)),
    )
    if end:
        postings.end_posting(
            session,
            actor=actor,
            posting=row,
            cadre=cadre,
            data=PostingEnd(end_date=date.fromisoformat(end), end_reason="任期届满"),
        )
    return row


def official(
    session: Session,
    village_code: str,
    member_id: int,
    *,
    post: str = "23",
    start: str = "2021-01-10",
    actor: Principal | None = None,
) -> VillageOfficial:
    village = officials.access_village(session, village_code)
    return officials.appoint(
        session,
        actor=actor or Principal.system(),
        village=village,
        data=OfficialIn(member_id=member_id, post=post, term_start=date.fromisoformat(start)),
    )


def care_of(session: Session, username: str, county_code: str, household_id: int) -> None:
    """The account becomes the household's open helper (an assignment to the account), committed."""
    from sqlalchemy import insert, select

    from zhucun.core.ids import allocate
    from zhucun.core.models import User
    from zhucun.registry.models import Household
    from zhucun.selection.helpers.models import HelperAssignment

    account = session.scalar(select(User.id).where(User.username == username))
    home = session.scalars(
        select(Household).where(Household.county_code == county_code, Household.id == household_id)
    ).one()
    session.execute(
        insert(HelperAssignment).values(
            county_code=home.county_code,
            household_id=home.id,
            village_code=home.village_code,
            id=allocate(session, "helper_assignments"),
            account_id=account,
            start_date=date.today(),
        )
    )
    session.commit()


def api_cadre(api, world, seq: int, *, name: str | None = None, **extra) -> int:
    """A party-member cadre of the world's unit in county A, registered through the API as the
    organisation department; ``extra`` overrides any field. Returns the cadre's id."""
    from tests.factories.registry import id_number

    body = {
        "name": name or f"候选{seq}",
        "id_number": id_number(world.a.county[:6], "19880808", male=True, seq=seq),
        "division_code": world.a.county,
        "unit_id": world.a.unit_id,
        "party_member": True,
        "party_joined": "2012-05-04",
        "work_started": "2011-07-01",
        **extra,
    }
    response = api("zzb").post("/api/v1/cadres", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])
