"""Kinship avoidance from the registry itself: two nominated cadres are residents of the
county (their ID numbers are on a household's roll), brothers; their father lives in
village A, their uncle lives in village B and sits on its village committee. The proposal
keeps both out of A (kin living there) and B (kin in office), never puts the brothers in one
team, and names each refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import registry as registry_factory
from tests.factories import selection as cadre_factory
from zhucun.core.auth import Principal
from zhucun.core.errors import Invalid
from zhucun.divisions.models import Division
from zhucun.registry.kinship import service as kinship
from zhucun.registry.kinship.schemas import KinIn
from zhucun.registry.models import Member
from zhucun.selection.matching import service
from zhucun.selection.matching.models import Assignment, MarkedVillage, Nomination

TERM = 2031
FIRST = 16000  # the family's people are born from 1940-01-01 + FIRST days (in 1983)


def _born(index: int) -> str:
    return (date(1940, 1, 1) + timedelta(days=index)).strftime("%Y%m%d")


def _cadre(session, settings, area, *, name, index):
    """A cadre whose ID number is that of the ``index``-th person the family factory made."""
    return cadre_factory.cadre(
        session,
        settings,
        area.county,
        name=name,
        born=_born(index),
        male=True,
        seq=index,
        unit_id=area.unit_id,
        party_member=True,
        party_joined=date(2010, 7, 1),
        work_started=date(2008, 8, 1),
    ).id


def _head(session, household):
    return session.scalars(select(Member).where(Member.household_id == household.id, Member.relation == "02")).one()


def test_kin_living_kin_in_office_and_kin_in_one_team_are_refused_by_name(session, settings, world):
    area = world.a
    va, vb, vc = session.scalars(
        select(Division.code)
        .where(Division.level == "village", Division.code.startswith(area.county[:6]), Division.code != area.village)
        .order_by(Division.code)
        .limit(3)
    ).all()
    roll = [("02", "王大山"), ("20", "王小山"), ("20", "王小水")]
    home = registry_factory.family(session, settings, va, va[:6] + "7001", roll, first=FIRST)
    uncle_home = registry_factory.family(session, settings, vb, vb[:6] + "7002", [("02", "王二山")], first=FIRST + 10)
    father, uncle = _head(session, home), _head(session, uncle_home)
    data = KinIn(member_a=father.id, member_b=uncle.id, kind="sibling", reason="入户核实")
    kinship.declare(session, actor=Principal.system(), a=father, b=uncle, data=data)
    cadre_factory.official(session, vb, uncle.id)
    elder = _cadre(session, settings, area, name="王小山", index=FIRST + 1)
    younger = _cadre(session, settings, area, name="王小水", index=FIRST + 2)
    stranger = _cadre(session, settings, area, name="赵平", index=FIRST + 50)
    for code in (va, vb, vc):
        session.add(MarkedVillage(county_code=code[:6], term=TERM, village_code=code, needs=[], team_size=2))
    for cadre_id in (elder, younger, stranger):
        session.add(Nomination(county_code=area.county[:6], term=TERM, cadre_id=cadre_id, division_code=area.county))
    session.flush()

    loaded, proposal = service.propose(session, area.county, TERM)
    result = service.summary(loaded, proposal)
    teams: dict[str, set[int]] = {}
    for a in result["assignments"]:
        teams.setdefault(a["village_code"], set()).add(a["cadre_id"])
    assert not any({elder, younger} <= team for team in teams.values())
    assert not {elder, younger} & (teams.get(va, set()) | teams.get(vb, set()))
    refused = {(r["village_code"], r["cadre_id"]): r["rules"] for r in result["refused"]}
    for cadre_id in (elder, younger):
        assert [r["code"] for r in refused[(va, cadre_id)]] == ["kin_in_village"]
        assert [r["label"] for r in refused[(va, cadre_id)]] == ["近亲属居住在该村"]
        assert "kin_official" in [r["code"] for r in refused[(vb, cadre_id)]]
        assert "近亲属在该村任职" in [r["label"] for r in refused[(vb, cadre_id)]]
    # One brother is in village C's team; the other is refused there for him, named.
    placed = teams[vc] & {elder, younger}
    assert len(placed) == 1
    (other,) = {elder, younger} - placed
    assert [(r["code"], r["label"]) for r in refused[(vc, other)]] == [("kin_in_team", "近亲属在同一工作队")]
    assert stranger not in {cadre for (_, cadre) in refused}

    # A hand edit that puts the other brother beside him is refused, the rule named.
    service.run_match(session, actor=Principal.system(), area=area.county, term=TERM)
    kept = {a.cadre_id: a.role for a in session.scalars(select(Assignment).where(Assignment.village_code == vc))}
    # The brother's team-mate, in whichever post the solver gave him (first secretary or member).
    mate = next(iter(set(kept) - {elder, younger}))
    with pytest.raises(Invalid) as refused_edit:
        service.edit_assignment(
            session, actor=Principal.system(), code=vc, term=TERM, role=kept[mate], cadre_id=other, replaces=mate
        )
    assert refused_edit.value.code == "kin_in_team"
    assert refused_edit.value.message == "此项调整违反规则：近亲属在同一工作队。"
    with pytest.raises(Invalid) as at_home:
        service.edit_assignment(
            session, actor=Principal.system(), code=va, term=TERM, role="member", cadre_id=other, replaces=None
        )
    assert at_home.value.message == "此项调整违反规则：近亲属居住在该村。"
