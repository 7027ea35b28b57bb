"""Selection use cases: mark a term's villages (by default every key and weak-branch village),
nominate cadres, run the matching, edit a proposed post (refused with the rule named) and
approve a county's proposal into postings — each one transaction with its audit entry."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from sqlalchemy import case, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from zhucun.accounts.units.models import Unit
from zhucun.core import audit, present
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict, Invalid
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.present import Action
from zhucun.core.scope import access, access_by
from zhucun.core.scope import get as scoped_get
from zhucun.core.tx import conflict, lock, use_case
from zhucun.divisions.models import Division
from zhucun.divisions.queries import access_county
from zhucun.selection.cadres.models import Cadre, CadrePosting

from . import approval, areas, loader, refusals
from .check import violations
from .models import Assignment, MarkedVillage, MatchRun, Nomination, UnitQuota
from .rules import reasons, unit_capacity
from .settings import NEED_CODES, RULES
from .solver import FS, Proposal

conflict("uq_selection_assignments_one_fs", "cadre_id", _l("The village already has a first secretary."))
POSTING_ROLE = {FS: "1", "member": "3"}


class Tag(StrEnum):
    MARKED = "selection:village:marked"
    UNMARKED = "selection:village:unmarked"
    NOMINATED = "selection:nomination:created"
    MATCHED = "selection:match:proposed"
    EDITED = "selection:match:edited"
    APPROVED = "selection:match:approved"
    QUOTA_SET = "selection:quota:set"


LABELS = present.actions(
    {
        Tag.MARKED: Action(_l("Village marked for a team"), _l("marked {object} for a work team"), clauses=False),
        Tag.UNMARKED: Action(
            _l("Village unmarked"), _l("took {object} off the villages for a work team"), clauses=False
        ),
        Tag.NOMINATED: Action(_l("Cadre nominated"), _l("nominated {object} for the term"), clauses=False),
        Tag.MATCHED: Action(_l("Matching proposed"), _l("proposed the work teams of {object}"), clauses=False),
        Tag.EDITED: Action(_l("Proposal edited"), _l("edited the proposed work teams of {object}"), clauses=False),
        Tag.APPROVED: Action(_l("Matching approved"), _l("approved the work teams of {object}"), clauses=False),
        Tag.QUOTA_SET: Action(_l("Unit quota set"), _l("set the quota of {object} for the term"), clauses=False),
    }
)


def default_needs(division: Division) -> list[str]:
    """What a village's flags say it needs, before the county refines it."""
    flags = (
        ("is_weak_branch", "party"),
        ("is_key_village", "industry"),
        ("is_relocation_site", "relocation"),
        ("is_ethnic_area", "ethnic"),
        ("is_poor_village", "collective"),
    )
    return [need for flag, need in flags if getattr(division, flag)]


@use_case
def mark_defaults(session: Session, *, actor: Principal, county: str, term: int) -> int:
    """Mark every key and weak-branch village of the county not yet marked for the term."""
    access_county(session, county)
    rules = loader.rules_for(session, county[:2], term)
    marked = select(MarkedVillage.village_code).where(MarkedVillage.term == term)
    villages = session.scalars(
        select(Division)
        .where(Division.parent_code.startswith(county[:6]), Division.level == "village")
        .where(or_(Division.is_key_village.is_(True), Division.is_weak_branch.is_(True)))
        .where(Division.code.not_in(marked))
        .order_by(Division.code)
    ).all()
    rows = [
        {"county_code": county[:6], "term": term, "village_code": v.code, "needs": default_needs(v)} for v in villages
    ]
    if rows:
        session.execute(insert(MarkedVillage).values(team_size=rules.team_size), rows)
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.MARKED,
        entity="county",
        entity_id=county,
        division=county,
        after={"term": term, "villages": [r["village_code"] for r in rows]},
    )
    return len(rows)


def _check_needs(needs: list[str]) -> None:
    unknown = [n for n in needs if n not in NEED_CODES]
    if unknown:
        raise Invalid(_l("Unknown need: {need}."), field="needs", code="unknown_need", need=unknown[0])


@use_case
def mark_village(
    session: Session, *, actor: Principal, code: str, term: int, needs: list[str], team_size: int, note: str | None
) -> MarkedVillage:
    """Mark one village for the term, or change its needs and team size."""
    village = access(session, Division, code)
    if village.level != "village":
        raise Invalid(_l("{division} is not a village."), field="code", code="not_a_village", division=code)
    _check_needs(needs)
    rules = loader.rules_for(session, code[:2], term)
    if team_size < rules.team_size:
        raise Invalid(_l("A team has at least {n} members."), field="team_size", code="team_size", n=rules.team_size)
    mark = lock(session, MarkedVillage, code[:6], term, code)
    before = None if mark is None else {"needs": mark.needs, "team_size": mark.team_size, "note": mark.note}
    if mark is None:
        mark = MarkedVillage(county_code=code[:6], term=term, village_code=code)
        session.add(mark)
    mark.needs, mark.team_size, mark.note = needs, team_size, note
    session.flush()
    after = {"needs": needs, "team_size": team_size, "note": note}
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.MARKED,
        entity="village",
        entity_id=code,
        division=code,
        before=before,
        after={"term": term, **after},
    )
    return mark


@use_case
def nominate(session: Session, *, actor: Principal, cadre: Cadre, term: int, note: str | None) -> Nomination:
    """A unit nominates its cadre for the term (once)."""
    if scoped_get(session, Nomination, (cadre.county_code, term, cadre.id)) is not None:
        raise Conflict(_l("The cadre is already nominated for this term."), field="cadre_id", code="nominated")
    row = Nomination(
        county_code=cadre.county_code,
        term=term,
        cadre_id=cadre.id,
        division_code=cadre.county_code + "000000",
        unit_id=cadre.unit_id,
        note=note,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.NOMINATED,
        entity="cadre",
        entity_id=cadre.id,
        division=cadre.division_code,
        after={"term": term, "unit_id": cadre.unit_id, "note": note},
    )
    return row


def propose(session: Session, area: str, term: int) -> tuple[loader.Loaded, Proposal]:
    """The proposal for an area without writing anything (a dry run); an area without a
    marked village has an empty proposal, not an error."""
    return areas.joined(areas.parts(session, area, term), loader.rules_for(session, area[:2], term))


@use_case
def run_match(session: Session, *, actor: Principal, area: str, term: int) -> tuple[loader.Loaded, Proposal]:
    """Match every marked village of the area and keep the proposal, county by county, each
    county's run with its own objective, bound and gap."""
    access(session, Division, area)
    found = areas.parts(session, area, term)
    loaded, proposal = areas.joined(found, loader.rules_for(session, area[:2], term))
    counties = [county for county, _, _ in found]
    if not counties:
        return loaded, proposal  # nothing marked: nothing to keep
    approved = session.scalars(
        select(MatchRun.county_code).where(
            MatchRun.term == term, MatchRun.county_code.in_(counties), MatchRun.status == "approved"
        )
    ).first()
    if approved:
        raise Conflict(_l("The term's proposal is already approved."), field="area", code="approved")
    session.execute(delete(Assignment).where(Assignment.term == term, Assignment.county_code.in_(counties)))
    session.execute(delete(MatchRun).where(MatchRun.term == term, MatchRun.county_code.in_(counties)))
    rows = [_row(loaded, term, vi, ci, role, value) for vi, ci, role, value in proposal.assignments]
    if rows:
        session.execute(insert(Assignment), rows)
    for county, _, own in found:
        _save_run(session, own, county, term)
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.MATCHED,
        entity="division",
        entity_id=area,
        division=area,
        after=summary(loaded, proposal, refused=False),
    )
    return loaded, proposal


def _row(loaded: loader.Loaded, term: int, vi: int, ci: int, role: str, value: float) -> dict[str, Any]:
    inst = loaded.instance
    village = str(inst.villages.code[vi])
    return {
        "county_code": village[:6],
        "term": term,
        "cadre_id": int(inst.cadres.id[ci]),
        "village_code": village,
        "role": role,
        "first_secretary_of": village if role == FS else None,
        "value": round(value, 2),
        "reasons": reasons(inst.villages, inst.cadres, vi, ci, inst.rules, NEED_CODES),
        "edited": False,
    }


def _save_run(session: Session, proposal: Proposal, county: str, term: int) -> None:
    """The county's run with the figures of its own solve (see ``areas``)."""
    session.add(
        MatchRun(
            county_code=county,
            term=term,
            division_code=county + "000000",
            objective=round(proposal.objective, 2),
            bound=round(proposal.bound, 2),
            gap=proposal.gap,
            greedy_objective=round(proposal.greedy_objective, 2),
            greedy_unfilled=proposal.greedy_unfilled,
            method=proposal.method,
            status="proposed",
        )
    )
    session.flush()


def summary(loaded: loader.Loaded, proposal: Proposal, *, refused: bool = True) -> dict[str, Any]:
    """The proposal as the CLI's --json and the API show it: with the candidates refused per
    village and the failed eligibility rules per cadre (``refused=False`` for the audit entry,
    which keeps what was proposed, not who was not)."""
    inst = loaded.instance
    named = refusals.listing(inst, loaded.faults, [(v, c) for v, c, _, _ in proposal.assignments]) if refused else {}
    return {
        "objective": round(proposal.objective, 2),
        "bound": round(proposal.bound, 2),
        "gap": round(proposal.gap, 6),
        "greedy_objective": round(proposal.greedy_objective, 2),
        "greedy_unfilled": proposal.greedy_unfilled,
        "method": proposal.method,
        "unfilled": [{"village_code": str(inst.villages.code[v]), "missing": m} for v, m in proposal.unfilled],
        "assignments": [
            {"village_code": str(inst.villages.code[v]), "cadre_id": int(inst.cadres.id[c]), "role": role}
            for v, c, role, _ in proposal.assignments
        ],
        **named,
    }


def refusal(code: str, params: dict[str, Any]) -> Invalid:
    """A broken hard rule as the located 422 a reviewer reads."""
    known = code if code in RULES or code == "not_eligible" else "not_nominated"
    rule = refusals.label(known, params)
    return Invalid(_l("The change breaks a rule: {rule}."), field="cadre_id", code=code, rule=rule)


def _edit_faults(inst: Any, planned: list[tuple[int, int, str]], vi: int, ci: int) -> list[tuple[str, dict[str, Any]]]:
    """The rules the planned set breaks because of this edit: the cadre's own faults, a relative
    of theirs already in the team, and the village's posts over their number."""
    found = []
    for code, p in violations(inst, planned):
        mine = ci in (p.get("cadre"), p.get("relative"))
        here = code == "post_taken" and p.get("village") == vi
        if mine or here:
            found.append((code, p))
    return found


def _quota_faults(inst: Any, planned: list[tuple[int, int, str]], ci: int) -> list[tuple[str, dict[str, Any]]]:
    """The cadre's unit over its quota (its own for the term, else the setting) with this edit."""
    c = inst.cadres
    units = np.unique(c.unit)
    capacity = int(unit_capacity(c, units, inst.rules.unit_quota)[np.searchsorted(units, c.unit[ci])])
    used = sum(1 for _, k, _ in planned if c.unit[k] == c.unit[ci])
    return [("unit_quota", {"n": capacity})] if c.unit[ci] >= 0 and used > capacity else []


@use_case
def edit_assignment(
    session: Session, *, actor: Principal, code: str, term: int, role: str, cadre_id: int, replaces: int | None
) -> Assignment:
    """Put a cadre in a village's post — in place of another (``replaces``) or in an empty post
    (``replaces`` None) — refused with every rule it breaks named."""
    mark = access_by(session, MarkedVillage, term=term, village_code=code)
    run = lock(session, MatchRun, code[:6], term)
    if run is not None and run.status == "approved":
        raise Conflict(_l("The term's proposal is already approved."), field="cadre_id", code="approved")
    loaded = loader.load(session, code[:6].ljust(12, "0"), term)
    inst = loaded.instance
    index = {int(c): i for i, c in enumerate(inst.cadres.id)}
    villages = {str(v): i for i, v in enumerate(inst.villages.code)}
    if cadre_id not in index:
        raise refusal("not_nominated", {})
    current = list(
        session.scalars(select(Assignment).where(Assignment.term == term, Assignment.county_code == code[:6]))
    )
    if replaces is not None and not any(a.cadre_id == replaces and a.village_code == code for a in current):
        raise Invalid(_l("The cadre to replace is not in this village's team."), field="replaces", code="replaces")
    kept = [a for a in current if a.cadre_id not in (replaces, cadre_id)]
    planned = [(villages[a.village_code], index[a.cadre_id], a.role) for a in kept]
    vi, ci = villages[mark.village_code], index[cadre_id]
    planned.append((vi, ci, role))
    faults = _edit_faults(inst, planned, vi, ci) + _quota_faults(inst, planned, ci)
    if faults:
        raise refusals.edit_refusal(faults, inst.rules, loaded.faults[ci])
    session.execute(
        delete(Assignment).where(
            Assignment.term == term,
            Assignment.county_code == code[:6],
            Assignment.cadre_id.in_([cadre_id] + ([replaces] if replaces else [])),
        )
    )
    row = _row(loaded, term, vi, ci, role, 0.0)
    value = inst.rules.fs_post_value if role == FS else inst.rules.member_post_value
    row.update(edited=True, value=round(value, 2))
    session.execute(insert(Assignment), [row])
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.EDITED,
        entity="village",
        entity_id=code,
        division=code,
        before={"replaces": replaces},
        after={"term": term, "cadre_id": cadre_id, "role": role},
    )
    return access(session, Assignment, (code[:6], term, cadre_id))


@use_case
def approve(session: Session, *, actor: Principal, county: str, term: int, start: date, reason: str) -> int:
    """Turn the county's proposal into postings, all in one audited action."""
    access_county(session, county)
    run = lock(session, MatchRun, county[:6], term)
    if run is None:
        raise Invalid(_l("There is no proposal to approve."), field="county", code="no_proposal")
    if run.status == "approved":
        raise Conflict(_l("The term's proposal is already approved."), field="county", code="approved")
    approval.check(session, county[:6], term)
    rows = list(
        session.scalars(select(Assignment).where(Assignment.county_code == county[:6], Assignment.term == term))
    )
    ids = [a.cadre_id for a in rows]
    busy = session.scalars(
        select(CadrePosting.cadre_id).where(
            CadrePosting.county_code == county[:6], CadrePosting.cadre_id.in_(ids), CadrePosting.end_date.is_(None)
        )
    ).first()
    if busy is not None:
        raise Conflict(_l("A proposed cadre has been posted meanwhile; match again."), code="already_posted")
    first = allocate(session, "cadre_postings", len(rows)) if rows else 0
    postings = [
        {
            "county_code": county[:6],
            "id": first + k,
            "cadre_id": a.cadre_id,
            "village_code": a.village_code,
            "role": POSTING_ROLE[a.role],
            "start_date": start,
        }
        for k, a in enumerate(rows)
    ]
    if postings:
        session.execute(insert(CadrePosting), postings)
    if rows:
        # Posted cadres serve in their villages from now on: one UPDATE for the county.
        session.execute(
            update(Cadre)
            .where(Cadre.county_code == county[:6], Cadre.id.in_(ids))
            # A searched CASE: Citus mis-types the simple form ``CASE id WHEN …`` in an UPDATE
            # it routes to a shard ("operator does not exist: bigint = boolean").
            .values(division_code=case(*((Cadre.id == a.cadre_id, a.village_code) for a in rows)))
            .execution_options(synchronize_session=False)
        )
    run.status, run.approved_on = "approved", start
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.APPROVED,
        entity="county",
        entity_id=county,
        division=county,
        after={
            "term": term,
            "start": start,
            "postings": [(p["cadre_id"], p["village_code"], p["role"]) for p in postings],
        },
        reason=reason,
    )
    return len(postings)


@use_case
def set_quota(session: Session, *, actor: Principal, county: str, term: int, unit_id: int, quota: int) -> UnitQuota:
    """How many of the unit's cadres in the county the term may send (its own quota)."""
    access_county(session, county)
    unit = access(session, Unit, unit_id)
    row = lock(session, UnitQuota, county[:6], term, unit_id)
    before = None if row is None else {"quota": row.quota}
    if row is None:
        row = UnitQuota(county_code=county[:6], term=term, unit_id=unit_id, division_code=county[:6] + "000000")
        session.add(row)
    row.quota = quota
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.QUOTA_SET,
        entity="unit",
        entity_id=unit.id,
        division=county,
        before=before,
        after={"term": term, "county": county, "quota": quota},
    )
    return row


def eligibility_report(loaded: loader.Loaded) -> list[dict[str, Any]]:
    """Each nominated cadre with the rules they fail, named."""
    inst = loaded.instance
    return [
        {
            "cadre_id": int(cid),
            "name": loaded.names[int(cid)],
            "first_secretary": bool(inst.cadres.fs_ok[i]),
            "member": bool(inst.cadres.member_ok[i]),
            "faults": [
                {"code": code, "label": str(RULES[code]).format(**params), **params}
                for code, params in loaded.faults[i]
            ],
        }
        for i, cid in enumerate(inst.cadres.id)
    ]
