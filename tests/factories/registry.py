"""Registry factories: valid ID numbers and households made through the service."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from zhucun.config import Settings
from zhucun.core.auth import Principal
from zhucun.core.idnumbers import check_char
from zhucun.core.ids import allocate
from zhucun.core.protect import Protector
from zhucun.registry import service
from zhucun.registry.models import Household, Member
from zhucun.registry.schemas import HouseholdIn, MemberIn

_sequence = count(100)


def id_number(region: str, born: str, *, male: bool, seq: int | None = None) -> str:
    """A valid 18-character ID number: region (6 digits), birth date YYYYMMDD, sex digit."""
    number = seq if seq is not None else next(_sequence)
    third = (number % 5) * 2 + (1 if male else 0)
    body = f"{region}{born}{number // 10 % 100:02d}{third}"
    return body + check_char(body)


def household(
    session: Session,
    settings: Settings,
    village: str,
    household_no: str,
    *,
    actor: Principal | None = None,
    members: int = 3,
    status: str = "12",
) -> Household:
    region = village[:6]
    people = [
        MemberIn(name="张建国", id_number=id_number(region, "19650312", male=True), relation="02"),
        MemberIn(name="李秀英", id_number=id_number(region, "19680705", male=False), relation="10"),
        MemberIn(name="张小明", id_number=id_number(region, "19980101", male=True), relation="20"),
        MemberIn(name="张小红", id_number=id_number(region, "20020202", male=False), relation="30"),
    ][:members]
    data = HouseholdIn(
        household_no=household_no,
        village_code=village,
        members=people,
        status=status,
        attribute="1",
        main_cause="因病",
        phone="13812345678",
        bank_account="6222021234567890123",
    )
    return service.create_household(
        session, actor=actor or Principal.system(), protector=Protector.of(settings), data=data
    )


def register_again(session: Session, member: Member, household: Household, relation: str = "97") -> int:
    """The same person on the roll of another household too, written directly as an old
    import would have (the service refuses it); returns the new registration's id."""
    values = {column.key: getattr(member, column.key) for column in Member.__table__.columns}
    values.update(
        county_code=household.county_code,
        id=allocate(session, "members"),
        household_id=household.id,
        village_code=household.village_code,
        relation=relation,
        status="1",
    )
    session.execute(insert(Member).values(**values))
    session.execute(
        update(Household)
        .where(Household.county_code == household.county_code, Household.id == household.id)
        .values(member_count=Household.member_count + 1)
    )
    return values["id"]


def family(
    session: Session,
    settings: Settings,
    village: str,
    household_no: str,
    roll: list[tuple[str, str]],
    *,
    first: int,
    actor: Principal | None = None,
) -> Household:
    """A household of ``roll`` (relation to the head, name), with ID numbers made from
    ``first`` onwards (a birth date per person, so that numbers never clash)."""
    region = village[:6]
    people = []
    for offset, (relation, name) in enumerate(roll):
        index = first + offset
        born = (date(1940, 1, 1) + timedelta(days=index)).strftime("%Y%m%d")
        male = relation in ("02", "11", "20", "22", "23", "28", "41", "51", "71", "73")
        people.append(MemberIn(name=name, id_number=id_number(region, born, male=male, seq=index), relation=relation))
    data = HouseholdIn(household_no=household_no, village_code=village, members=people, status="11")
    return service.create_household(
        session, actor=actor or Principal.system(), protector=Protector.of(settings), data=data
    )
