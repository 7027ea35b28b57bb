"""The test world: the demo county (A) and a small second county (B), an account for
every role in each, and one dispatching unit per county. Built once per test session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tests.factories import selection as cadre_factory
from zhucun.accounts import service as accounts
from zhucun.accounts.units.models import Unit, UnitPairing
from zhucun.config import Settings
from zhucun.core.auth import Principal
from zhucun.core.permissions import ROLE_LEVELS, Role
from zhucun.demo import county as demo_county
from zhucun.demo.load import load as load_demo
from zhucun.divisions.models import Division, VillageGroup
from zhucun.registry.kinship import service as kinship
from zhucun.registry.kinship.schemas import KinIn
from zhucun.registry.models import Household, Member
from zhucun.registry.snapshots import service as snapshots

from . import registry as registry_factory

PASSWORD = "Zhucun2026"


@dataclass
class Area:
    county: str
    township: str
    village: str
    unit_id: int
    users: dict[Role, str] = field(default_factory=dict)
    household_id: int = 0
    member_id: int = 0
    household2_id: int = 0
    # 李明, back in the county after a past posting; 张卫东, first secretary of the village now.
    cadre_id: int = 0
    posted_cadre_id: int = 0
    posting_id: int = 0
    official_id: int = 0
    # A declared relation (the two heads are brothers), and the registration in the other
    # county of the person ``member_id`` names (A's only: see ``_registry_cases``).
    kin_a: int = 0
    kin_b: int = 0
    duplicate_id: int = 0

    @property
    def county_code(self) -> str:
        """The county key of the area's rows: the first segment of their paths (core.addressing)."""
        return self.county[:6]

    def code_for(self, role: Role) -> str | None:
        levels = ROLE_LEVELS[role]
        for level, code in (("county", self.county), ("township", self.township), ("village", self.village)):
            if level in levels:
                return code
        return None


@dataclass
class World:
    a: Area
    b: Area
    password: str = PASSWORD

    def username(self, role: Role, area: str = "a") -> str:
        return getattr(self, area).users[role]


B_COUNTY = ("522798000000", "白岩县")


def _county_b(session: Session) -> Area:
    rows = [{"code": B_COUNTY[0], "name": B_COUNTY[1], "level": "county", "parent_code": "522700000000"}]
    for t in (1, 2):
        township = f"522798{100 + t:03d}000"
        rows.append({"code": township, "name": f"白岩{t}镇", "level": "township", "parent_code": B_COUNTY[0]})
        for v in (1, 2, 3):
            rows.append(
                {
                    "code": f"{township[:9]}{200 + v:03d}",
                    "name": f"白岩{t}镇{v}村",
                    "level": "village",
                    "parent_code": township,
                    "is_key_village": v == 1,
                    "latitude": 26.1,
                    "longitude": 107.1,
                    "checkin_radius_m": 1500,
                    "population": 1000 * v,
                    "households": 300 * v,
                }
            )
    flags = dict.fromkeys(
        (
            "is_poor_village",
            "is_exited",
            "is_key_village",
            "is_weak_branch",
            "is_relocation_site",
            "is_ethnic_area",
            "is_western",
        ),
        False,
    )
    session.execute(insert(Division), [{**flags, **r} for r in rows])
    session.execute(insert(VillageGroup), [{"village_code": "522798101201", "number": 1, "name": "一组"}])
    unit_id = session.scalar(
        insert(Unit)
        .values(name="白岩县财政局", level="county", kind="government", division_code=B_COUNTY[0])
        .returning(Unit.id)
    )
    session.execute(insert(UnitPairing).values(unit_id=unit_id, division_code=B_COUNTY[0]))
    return Area(B_COUNTY[0], "522798101000", "522798101201", unit_id)


def _staff(session: Session, settings: Settings, area: Area, seq: int) -> None:
    """Two cadres of the area's unit (one posted now, one back from a posting) and a village official."""
    back = cadre_factory.cadre(
        session,
        settings,
        area.county,
        name="李明",
        born="19860412",
        male=True,
        seq=seq,
        unit_id=area.unit_id,
        party_member=True,
        party_joined=date(2010, 7, 1),
        work_started=date(2009, 8, 1),
        education="2",
        rank="41",
    )
    cadre_factory.posting(session, back, area.village, role="3", start="2022-03-01", end="2024-02-29")
    posted = cadre_factory.cadre(
        session,
        settings,
        area.county,
        name="张卫东",
        born="19820915",
        male=True,
        seq=seq + 1,
        unit_id=area.unit_id,
        party_member=True,
        party_joined=date(2005, 6, 1),
        work_started=date(2004, 7, 1),
        education="1",
        rank="32",
        position="副处长",
    )
    area.posting_id = cadre_factory.posting(session, posted, area.village, role="1", start="2024-03-01").id
    area.cadre_id, area.posted_cadre_id = back.id, posted.id
    area.official_id = cadre_factory.official(session, area.village, area.member_id).id


def _head(session: Session, household_id: int) -> Member:
    return session.scalars(select(Member).where(Member.household_id == household_id, Member.relation == "02")).one()


def _registry_cases(session: Session, actor: Principal, a: Area, b: Area) -> None:
    """In each county a declared relation and a frozen 2025; A's member also on B's roll."""
    for area in (a, b):
        first, second = _head(session, area.household_id), _head(session, area.household2_id)
        kinship.declare(
            session,
            actor=actor,
            a=first,
            b=second,
            data=KinIn(member_a=first.id, member_b=second.id, kind="sibling", reason="入户核实"),
        )
        area.kin_a, area.kin_b = first.id, second.id
    # Only A's person is registered twice: B's person registered in A would show B's
    # region code (in the masked ID) to A's users, rightly, and trip the scope markers.
    person = session.scalars(select(Member).where(Member.id == a.member_id)).one()
    other = session.scalars(select(Household).where(Household.id == b.household2_id)).one()
    a.duplicate_id = registry_factory.register_again(session, person, other)
    for area in (a, b):
        snapshots.freeze(session, actor=actor, county=area.county[:6], year=2025, reason="年度动态调整")


def build(session: Session, settings: Settings, households: int = 0) -> World:
    """``households``: generated registers in county A. None by default: factories of other
    mechanisms make their own households there, and generated household numbers and ID
    numbers would stand in their way (tests/demo generates into databases of its own)."""
    actor = Principal.system()
    load_demo(session, actor=actor, settings=settings, seed=1, households=households)

    from zhucun.core.models import User

    _rows, _groups = demo_county.generate(1)
    shuji = session.scalars(select(User).where(User.username == "shuji")).one()
    village = shuji.grants[0].division_code
    a = Area(
        demo_county.COUNTY[0],
        village[:9] + "000",
        village,
        session.scalars(select(Unit.id).where(Unit.division_code == demo_county.COUNTY[0]).order_by(Unit.id)).first(),
    )
    for user in session.scalars(select(User)):
        a.users[Role(user.grants[0].role)] = user.username
    b = _county_b(session)
    for role in Role:
        if role == Role.ADMIN:
            code = b.county
        else:
            code = b.code_for(role)
        name = f"{role.value.replace('_', '')}_b"
        accounts.create_user(
            session,
            actor=actor,
            settings=settings,
            username=name,
            display_name=f"B {role.value}",
            password=PASSWORD,
            division_code=code,
            must_change_password=False,
            check_password=False,
            grants=[accounts.GrantSpec(role.value, code, b.unit_id if role == Role.UNIT else None)],
        )
        b.users[role] = name
    for area in (a, b):
        home = registry_factory.household(session, settings, area.village, area.county[:6] + "0001")
        other = registry_factory.household(session, settings, area.village, area.county[:6] + "0002", members=2)
        area.household_id, area.household2_id = home.id, other.id
        area.member_id = session.scalars(
            select(Member.id).where(Member.household_id == home.id).order_by(Member.id.desc())
        ).first()
    for index, area in enumerate((a, b)):
        _staff(session, settings, area, 700 + 10 * index)
    _registry_cases(session, actor, a, b)
    # A county-level administrator of A, so that scope tests cover a scoped admin too.
    accounts.create_user(
        session,
        actor=actor,
        settings=settings,
        username="admin_a",
        display_name="A admin",
        password=PASSWORD,
        division_code=a.county,
        must_change_password=False,
        check_password=False,
        grants=[accounts.GrantSpec(Role.ADMIN.value, a.county)],
    )
    session.commit()
    return World(a, b)
