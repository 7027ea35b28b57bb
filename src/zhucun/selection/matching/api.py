"""Selection API: a term's marked villages, nominations, candidates with their failed rules,
the matching (run, read, edit) and its approval into postings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from zhucun.core.addressing import CountyCode, moved
from zhucun.core.deps import Ctx, permit
from zhucun.core.pagination import int_id
from zhucun.divisions.queries import access_county
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.cadres.service import access_cadre
from zhucun.selection.permissions import MATCH_APPROVE, MATCH_READ, MATCH_WRITE, NOMINATE, QUOTA_WRITE, VILLAGE_MARK

from . import loader, queries, service
from .schemas import (
    ApprovedOut,
    ApproveIn,
    CandidateOut,
    EditIn,
    MarkedOut,
    MarkIn,
    MatchIn,
    MatchOut,
    NominationIn,
    NominationOut,
    QuotaIn,
    QuotaOut,
)

router = APIRouter(prefix="/api/v1/selection", tags=["selection"])
Term = Annotated[int, Path(ge=2000, le=2100, description="the term the term starts")]
Code = Annotated[str, Path(pattern=r"^\d{12}$")]
RowId = Annotated[int, int_id(2**63 - 1)]
AreaQ = Annotated[str | None, Query(pattern=r"^\d{12}$")]


@router.get("/{year}/villages", response_model=list[MarkedOut])
def list_marked(year: Term, ctx: Ctx = permit(MATCH_READ), area: AreaQ = None) -> list[MarkedOut]:
    return [MarkedOut.model_validate(m) for m in queries.marked(ctx.session, year, area)]


@router.post("/{term}/counties/{county}/villages/defaults", response_model=dict)
def mark_defaults(term: Term, county: Code, ctx: Ctx = permit(VILLAGE_MARK)) -> dict[str, int]:
    """Mark every key and weak-branch village of the county for the term."""
    return {"marked": service.mark_defaults(ctx.session, actor=ctx.principal, county=county, term=term)}


@router.post("/{term}/villages/{code}", response_model=MarkedOut)
def mark_village(term: Term, code: Code, body: MarkIn, ctx: Ctx = permit(VILLAGE_MARK)) -> MarkedOut:
    mark = service.mark_village(
        ctx.session,
        actor=ctx.principal,
        code=code,
        term=term,
        needs=body.needs,
        team_size=body.team_size,
        note=body.note,
    )
    return MarkedOut.model_validate(mark)


@router.post("/{year}/cadres/{county_code}/{cadre_id}/nomination", response_model=NominationOut, status_code=201)
def nominate(
    year: Term, county_code: CountyCode, cadre_id: RowId, body: NominationIn, ctx: Ctx = permit(NOMINATE)
) -> NominationOut:
    cadre = access_cadre(ctx.session, county_code, cadre_id)
    row = service.nominate(ctx.session, actor=ctx.principal, cadre=cadre, term=year, note=body.note)
    return NominationOut.model_validate(row)


@router.get("/{term}/counties/{county}/candidates", response_model=list[CandidateOut])
def candidates(term: Term, county: Code, ctx: Ctx = permit(MATCH_READ)) -> list[CandidateOut]:
    """Every nominated cadre with the eligibility rules each fails, named."""
    access_county(ctx.session, county)
    report = service.eligibility_report(loader.load(ctx.session, county, term))
    return [CandidateOut.model_validate(r) for r in report]


@router.post("/{term}/counties/{county}/match", response_model=MatchOut)
def match(term: Term, county: Code, body: MatchIn, ctx: Ctx = permit(MATCH_WRITE)) -> MatchOut:
    """Propose first secretaries and members for every marked village of the county."""
    if body.dry_run:
        access_county(ctx.session, county)
        loaded, proposal = service.propose(ctx.session, county, term)
    else:
        loaded, proposal = service.run_match(ctx.session, actor=ctx.principal, area=county, term=term)
    return MatchOut.model_validate(service.summary(loaded, proposal))


@router.post("/{term}/villages/{code}/assignments", response_model=dict)
def edit(term: Term, code: Code, body: EditIn, ctx: Ctx = permit(MATCH_WRITE)) -> dict[str, str | int]:
    """Put a cadre in a post of the village; a change that breaks a hard rule is refused, named."""
    row = service.edit_assignment(
        ctx.session,
        actor=ctx.principal,
        code=code,
        term=term,
        role=body.role,
        cadre_id=body.cadre_id,
        replaces=body.replaces,
    )
    return {"village_code": row.village_code, "cadre_id": row.cadre_id, "role": row.role}


@router.post("/{term}/counties/{county}/approve", response_model=ApprovedOut)
def approve(term: Term, county: Code, body: ApproveIn, ctx: Ctx = permit(MATCH_APPROVE)) -> ApprovedOut:
    """Create the postings of the county's proposal in one audited action."""
    count = service.approve(
        ctx.session, actor=ctx.principal, county=county, term=term, start=body.start_date, reason=body.reason
    )
    return ApprovedOut(postings=count)


@router.put("/{term}/units/{unit_id}/quota", response_model=QuotaOut)
def set_quota(
    term: Term, unit_id: Annotated[int, int_id(2**31 - 1)], body: QuotaIn, ctx: Ctx = permit(QUOTA_WRITE)
) -> QuotaOut:
    """How many of the unit's cadres in the county the term may send; a unit without its own
    quota has the province's setting."""
    row = service.set_quota(
        ctx.session, actor=ctx.principal, county=body.county, term=term, unit_id=unit_id, quota=body.quota
    )
    return QuotaOut.model_validate(row)


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"cadre_id": Cadre})
