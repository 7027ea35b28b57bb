"""Recall and replacement through the procedure engine (procedure ``recall``): the county
leading group (organisation department) proposes with its reasons, the dispatching unit
carries it out. On completion the posting ends with reason recall, a checklist opens, the
cadre goes onto the term's recall list, and a replacement is proposed from the term's
nominated, eligible and non-avoided cadres — posted when the organisation department approves."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core import present
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict, Invalid
from zhucun.core.i18n import _l
from zhucun.core.present import Action as Told
from zhucun.core.scope import get as scoped_get
from zhucun.core.scope import scope_of
from zhucun.core.tx import lock, use_case
from zhucun.procedures import definitions as d
from zhucun.procedures import service as procedures
from zhucun.procedures.engine import PASS, Action
from zhucun.procedures.models import Case
from zhucun.registry.history import CHANGE_TAGS
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.cadres.postings import post_cadre
from zhucun.selection.cadres.schemas import PostingIn
from zhucun.selection.cadres.service import access_cadre, history
from zhucun.selection.helpers import leaving as helpers
from zhucun.selection.matching import loader
from zhucun.selection.matching.rules import fit, pair_faults
from zhucun.selection.matching.solver import FS

from . import queries, rules
from .models import PostingTerm
from .service import add_entry, mark_for_term, open_handovers

KIND = "recall"
# The recall procedure's step labels (definitions.py keeps them as plain data), for gettext.
STEP_LABELS = (_l("Proposal by the county leading group"), _l("Carried out by the dispatching unit"))
RECALL_REASON = "召回"


class Tag(StrEnum):
    PROPOSED = "selection:recall:proposed"
    RECALLED = "selection:recall:completed"
    REPLACED = "selection:recall:replaced"


LABELS = present.actions(
    {
        Tag.PROPOSED: Told(_l("Recall proposed"), _l("proposed the recall of {object}"), clauses=False),
        Tag.RECALLED: Told(_l("Cadre recalled"), _l("recalled {object}"), clauses=False),
        Tag.REPLACED: Told(_l("Replacement posted"), _l("posted {object} as a replacement"), clauses=False),
    }
)


def recalls(session: Session, county: str, status: str | None = None) -> list[Case]:
    """The county's recall cases in the scope, the latest first (a unit's: its own cadres')."""
    statement = select(Case).where(Case.county_code == county[:6], Case.kind == KIND)
    if status:
        statement = statement.where(Case.status == status)
    found = list(session.scalars(statement.order_by(Case.opened_on.desc(), Case.id.desc())))
    own = units_cadres(session, county)
    return found if own is None else [c for c in found if int(c.facts["cadre_id"]) in own]


def units_cadres(session: Session, county: str) -> set[int] | None:
    """The ids of the county's cadres a unit's account manages, or None for a reader of an area.

    A case carries a village, not a unit: the scope sees a unit's recalls only through its
    cadres (the cadres' table is scoped by unit as well as by area)."""
    scope = scope_of(session)
    if scope is None or all(area.unit_id is None for area in scope.areas):
        return None
    return set(session.scalars(select(Cadre.id).where(Cadre.county_code == county[:6])))


def _term_of(session: Session, posting: CadrePosting) -> dict[str, Any]:
    row = next(r for r in queries.open_terms(session, posting.county_code) if r["posting_id"] == posting.id)
    return {"term": row["term"], "term_end": row["term_end"].isoformat()}


@use_case
def propose(session: Session, *, actor: Principal, posting: CadrePosting, cadre: Cadre, reasons: str, on: date) -> Case:
    """The county leading group proposes to recall a posted cadre, with its reasons."""
    posting = lock(session, CadrePosting, posting.county_code, posting.id) or posting
    if posting.end_date is not None:
        raise Conflict(_l("This posting has already ended."), field="posting_id", code="posting_ended")
    if not reasons.strip():
        raise Invalid(_l("The reasons are required."), field="reasons", code="reason_required")
    running = [c for c in recalls(session, posting.county_code, "open") if c.facts.get("posting_id") == posting.id]
    if running:
        raise Conflict(_l("A recall of this posting is already under way."), field="posting_id", code="recall_open")
    facts = {"posting_id": posting.id, "cadre_id": cadre.id, "name": cadre.name, "role": posting.role}
    facts |= {"reasons": reasons.strip(), **_term_of(session, posting)}
    case = procedures.open_case(
        session, actor=actor, kind=KIND, village_code=posting.village_code, household_id=None, facts=facts, on=on
    )
    procedures.act(session, actor=actor, case=case, action=Action(PASS, on, reason=reasons.strip()))
    history(session, actor, Tag.PROPOSED, cadre, None, {"case_id": case.id}, reasons.strip())  # type: ignore[arg-type]
    return case


@use_case
def act(session: Session, *, actor: Principal, case: Case, action: Action) -> Case:
    """The unit carries the recall out (or sends it back with reasons); anyone may add a note."""
    # The unit's account reaches only its own cadres: the scope refuses another unit's recall.
    access_cadre(session, case.county_code, int(case.facts["cadre_id"]))
    return procedures.act(session, actor=actor, case=case, action=action)


def _complete(session: Session, case: Case, actor: Principal, procedure: d.Procedure) -> None:
    """What a carried-out recall does (registered as the procedure's outcome)."""
    facts = dict(case.facts or {})
    on = case.decided_on or date.today()
    posting = lock(session, CadrePosting, case.county_code, int(facts["posting_id"]))
    cadre = lock(session, Cadre, case.county_code, int(facts["cadre_id"]))
    if posting is None or cadre is None or posting.end_date is not None:
        raise Conflict(_l("This posting has already ended."), field="action", code="posting_ended")
    posting.end_date, posting.end_reason = max(on, posting.start_date), RECALL_REASON
    cadre.division_code = cadre.county_code + "000000"
    session.flush()
    # The recalled cadre's households get other helpers now; the case keeps what happened.
    moved = helpers.release(session, actor=actor, county=case.county_code, cadres=[cadre.id], reason=RECALL_REASON)
    case.facts = {**facts, "helpers": moved}
    open_handovers(session, [{**_posting_row(posting), "unit_id": cadre.unit_id}], on)
    add_entry(
        session,
        actor,
        cadre,
        term=int(facts["term"]),
        kind="recall",
        reason=facts["reasons"],
        source="recall",
        ref={"case_id": case.id},
    )
    # The village goes back into the term's matching; the replacement is proposed from the
    # county's nominees when the organisation department looks (the unit sees its own only).
    mark_for_term(session, case.county_code, [posting.village_code], int(facts["term"]))
    history(session, actor, Tag.RECALLED, cadre, {"posting_id": posting.id}, {"case_id": case.id}, facts["reasons"])  # type: ignore[arg-type]
    session.flush()


def _posting_row(posting: CadrePosting) -> dict[str, Any]:
    return {
        "county_code": posting.county_code,
        "posting_id": posting.id,
        "cadre_id": posting.cadre_id,
        "village_code": posting.village_code,
    }


def proposed(session: Session, case: Case) -> dict[str, Any] | None:
    """The replacement of a carried-out recall: the one posted, else the best candidate now."""
    facts = case.facts or {}
    if facts.get("replacement"):
        return dict(facts["replacement"])
    if case.status != "approved":
        return None
    posting = scoped_get(session, CadrePosting, (case.county_code, int(facts["posting_id"])))
    if posting is None:
        return None
    return replacement_for(session, posting, int(facts["term"]), exclude=int(facts["cadre_id"]))


def replacement_for(session: Session, posting: CadrePosting, term: int, *, exclude: int) -> dict[str, Any] | None:
    """The best nominated cadre of the term for the vacated post: eligible for the role, not
    avoided for the village (matching's rules over all candidates at once), not posted."""
    loaded = loader.load(session, posting.county_code + "000000", term)
    inst = loaded.instance
    where = np.flatnonzero(inst.villages.code == posting.village_code)
    if not len(where) or not len(inst.cadres.id):
        return None
    vi, everyone = np.array([int(where[0])]), np.arange(len(inst.cadres.id))
    role = FS if posting.role == "1" else "member"
    allowed = (inst.cadres.fs_ok if role == FS else inst.cadres.member_ok).copy()
    allowed &= inst.cadres.id != exclude
    for broken in pair_faults(inst.villages, inst.cadres, vi, everyone, inst.rules).values():
        allowed &= ~broken[0]
    team = set(
        session.scalars(
            select(CadrePosting.cadre_id).where(
                CadrePosting.county_code == posting.county_code,
                CadrePosting.village_code == posting.village_code,
                CadrePosting.end_date.is_(None),
            )
        )
    )
    for a, b in inst.kin_pairs:
        for mine, other in ((a, b), (b, a)):
            if int(inst.cadres.id[other]) in team:
                allowed[mine] = False
    best = rules.best_candidate(allowed, fit(inst.villages, inst.cadres, vi, everyone, inst.rules)[0])
    if best is None:
        return None
    cadre_id = int(inst.cadres.id[best])
    return {"cadre_id": cadre_id, "name": loaded.names[cadre_id], "role": posting.role, "posting_id": None}


@use_case
def approve_replacement(session: Session, *, actor: Principal, case: Case, start: date, reason: str) -> CadrePosting:
    """Post the proposed replacement for the rest of the recalled cadre's term."""
    case = lock(session, Case, case.county_code, case.id) or case
    facts = dict(case.facts or {})
    if case.status != "approved":
        raise Conflict(_l("The recall has not been carried out yet."), field="start_date", code="recall_open")
    chosen = proposed(session, case)
    if not chosen:
        raise Invalid(
            _l("No eligible replacement was found; match the village again."), field="start_date", code="no_replacement"
        )
    if chosen.get("posting_id"):
        raise Conflict(_l("The replacement is already posted."), field="start_date", code="replaced")
    cadre = access_cadre(session, case.county_code, int(chosen["cadre_id"]))
    data = PostingIn(village_code=case.village_code, role=chosen["role"], start_date=start, reason=reason)
    posting = post_cadre(session, actor=actor, cadre=cadre, data=data)
    session.add(
        PostingTerm(
            county_code=posting.county_code,
            posting_id=posting.id,
            village_code=posting.village_code,
            term=int(facts["term"]),
            term_end=date.fromisoformat(facts["term_end"]),
        )
    )
    facts["replacement"] = {**chosen, "posting_id": posting.id}
    case.facts = facts
    session.flush()
    history(session, actor, Tag.REPLACED, cadre, None, {"case_id": case.id, "posting_id": posting.id}, reason)  # type: ignore[arg-type]
    return posting


procedures.OUTCOMES[KIND] = _complete
# A cadre's history keeps the verb of a tag only: these verbs of the cadre read as recall steps.
CHANGE_TAGS.update({("cadre", tag.value.rsplit(":", 1)[1]): tag.value for tag in Tag})
