"""The matching of an area on a real database: each county's run keeps its own objective,
bound and gap; a pairing with a village holds for that village alone; a unit's own quota
caps what the flow sends from it (the setting where it has none)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.factories import selection as cadre_factory
from zhucun.accounts.units.models import UnitPairing
from zhucun.core.auth import Principal
from zhucun.divisions.models import Division
from zhucun.selection.matching import loader, service
from zhucun.selection.matching.models import Assignment, MarkedVillage, MatchRun, Nomination, SelectionRuleSet
from zhucun.selection.matching.refusals import listing

TERM = 2029


def _villages(session, area, n):
    """``n`` villages of the area's county, the area's own village first."""
    others = session.scalars(
        select(Division.code)
        .where(Division.level == "village", Division.code.startswith(area.county[:6]), Division.code != area.village)
        .order_by(Division.code)
        .limit(n - 1)
    ).all()
    return [area.village, *others]


def _mark(session, codes, team_size=1):
    for code in codes:
        session.add(MarkedVillage(county_code=code[:6], term=TERM, village_code=code, needs=[], team_size=team_size))
    session.flush()


def _nominate(session, area, ids):
    for cadre_id in ids:
        session.add(Nomination(county_code=area.county[:6], term=TERM, cadre_id=cadre_id, division_code=area.county))
    session.flush()


def _cadres(session, settings, area, n):
    return [
        cadre_factory.cadre(
            session,
            settings,
            area.county,
            name=f"名额{k}",
            born="19850101",
            male=True,
            seq=900 + k,
            unit_id=area.unit_id,
            party_member=True,
            party_joined=date(2010, 7, 1),
            work_started=date(2008, 8, 1),
        ).id
        for k in range(n)
    ]


def test_each_county_of_an_area_keeps_its_own_objective_bound_and_gap(session, world):
    for area in (world.a, world.b):
        _mark(session, [area.village])
        _nominate(session, area, [area.cadre_id])
    prefecture = "522700000000"
    _, proposal = service.run_match(session, actor=Principal.system(), area=prefecture, term=TERM)
    runs = {r.county_code: r for r in session.scalars(select(MatchRun).where(MatchRun.term == TERM))}
    assert set(runs) == {world.a.county[:6], world.b.county[:6]}
    for area in (world.a, world.b):
        own = session.scalars(
            select(Assignment.value).where(Assignment.term == TERM, Assignment.county_code == area.county[:6])
        ).all()
        run = runs[area.county[:6]]
        assert len(own) == 1 and run.objective == round(sum(own), 2)
        # One village, one candidate: the county's bound is its own optimum, not the area's.
        assert run.bound == run.objective and run.gap == 0
        assert run.bound < round(proposal.bound, 2)
    assert round(proposal.bound, 2) == round(sum(r.bound for r in runs.values()), 2)


def test_a_pairing_with_a_village_holds_for_that_village_alone(session, settings, world):
    a_villages = _villages(session, world.a, 2)
    b_villages = _villages(session, world.b, 2)
    _mark(session, a_villages + b_villages)
    # A cadre of county A from B's unit, which is paired with one village of A only.
    outsider = cadre_factory.cadre(
        session,
        settings,
        world.a.county,
        name="外派",
        born="19850101",
        male=True,
        seq=950,
        unit_id=world.b.unit_id,
        party_member=True,
        party_joined=date(2010, 7, 1),
        work_started=date(2008, 8, 1),
    )
    _nominate(session, world.a, [outsider.id])
    session.add(UnitPairing(unit_id=world.b.unit_id, division_code=world.a.village))
    session.add(SelectionRuleSet(province="52", year=TERM, values={"pairing": "differ"}))
    session.flush()
    inst = loader.load(session, "520000000000", TERM).instance
    paired = dict(zip(inst.villages.code.tolist(), inst.villages.paired_units, strict=True))
    county_wide = set(session.scalars(select(UnitPairing.unit_id).where(UnitPairing.division_code == world.a.county)))
    assert paired[a_villages[0]] == county_wide | {world.b.unit_id} and paired[a_villages[1]] == county_wide
    # B's unit is paired with county B: every village of B.
    assert world.b.unit_id in paired[b_villages[0]] and world.b.unit_id in paired[b_villages[1]]
    refused = listing(inst, [[] for _ in inst.cadres.id])["refused"]
    assert [(r["village_code"], [x["code"] for x in r["rules"]]) for r in refused] == [
        (world.a.village, ["unit_pairing"])
    ]
    assert refused[0]["rules"][0]["label"] == "不符合派出单位对口规则（须为非对口单位）"


def test_a_units_own_quota_caps_the_flow_and_the_setting_holds_for_the_others(session, settings, world):
    codes = _villages(session, world.a, 3)
    _mark(session, codes)
    _nominate(session, world.a, _cadres(session, settings, world.a, 3))
    actor = Principal.system()
    assert len(service.propose(session, world.a.county, TERM)[1].assignments) == 3
    session.add(SelectionRuleSet(province="52", year=TERM, values={"unit_quota": 1}))
    session.flush()
    assert len(service.propose(session, world.a.county, TERM)[1].assignments) == 1
    service.set_quota(session, actor=actor, county=world.a.county, term=TERM, unit_id=world.a.unit_id, quota=2)
    loaded, proposal = service.propose(session, world.a.county, TERM)
    assert len(proposal.assignments) == 2 and set(loaded.instance.cadres.unit_quota.tolist()) == {2}
    # The quota row of another term is not this term's.
    assert set(loader.load(session, world.a.county, TERM + 1).instance.cadres.unit_quota.tolist()) <= {0}
