"""Selection use cases: mark a term's villages (by default every key and weak-branch village),
nominate cadres, run the matching, edit a proposed post (refused with the rule named) and
approve a county's proposal into postings — each one transaction with its audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from zhucun.core import audit
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict, Invalid
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.scope import access
from zhucun.core.scope import get as scoped_get
from zhucun.core.tx import conflict, lock, use_case
from zhucun.divisions.models import Division
from zhucun.divisions.queries import access_county
from zhucun.selection.cadres.models import Cadre, CadrePosting

from . import approval, areas, loader, refusals

# Every use case of a term's selection is found here (the API, the pages and the CLI call
# ``service.…``): the hand edits and the quotas live in modules of their own.
from .edits import assignment_row as _row
from .edits import edit_assignment as edit_assignment
from .edits import refusal as refusal
from .models import Assignment, MarkedVillage, MatchRun, Nomination
from .quotas import set_quota as set_quota
from .settings import NEED_CODES, RULES
from .solver import FS, Proposal
from .tags import LABELS as LABELS
from .tags import Tag

conflict("uq_selection_assignments_one_fs", "cadre_id", _l("The village already has a first secretary."))
POSTING_ROLE = {FS: "1", "member": "3"}


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
