"""Sample requests for the selection routes, for the route × role tests (collected by
``tests/core/route_samples.py`` through the mechanism's manifest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.core.route_samples import Sample
from tests.factories import imports as import_files
from tests.factories.registry import id_number
from tests.factories.world import Area


def _cadre_fields(area: Area, seq: int) -> dict[str, Any]:
    return {
        "name": "赵志刚",
        "id_number": id_number(area.county[:6], "19880808", male=True, seq=seq),
        "division_code": area.county,
        "unit_id": area.unit_id,
        "party_member": True,
        "party_joined": "2012-05-04",
        "work_started": "2011-07-01",
        "education": "2",
        "rank": "41",
    }


def _cadre_form(area: Area, seq: int) -> dict[str, str]:
    return {k: ("1" if v is True else str(v)) for k, v in _cadre_fields(area, seq).items()}


BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
    ("POST", "/api/v1/cadres"): lambda a: Sample(json=_cadre_fields(a, 921)),
    ("PATCH", "/api/v1/cadres/{county_code}/{cadre_id}"): lambda a: Sample(
        json={"position": "科长", "reason": "职务调整"}
    ),
    ("POST", "/api/v1/cadres/{county_code}/{cadre_id}/postings"): lambda a: Sample(
        json={"village_code": a.village, "role": "工作队员", "start_date": "2025-03-01"}
    ),
    ("POST", "/api/v1/postings/{county_code}/{posting_id}/end"): lambda a: Sample(
        json={"end_date": "2025-12-31", "end_reason": "任期届满"}
    ),
    ("POST", "/api/v1/cadres/{county_code}/{cadre_id}/reveal"): lambda a: Sample(
        json={"field": "id_number", "reason": "核对身份"}
    ),
    ("POST", "/registry/cadres/new"): lambda a: Sample(data=_cadre_form(a, 922)),
    ("POST", "/registry/cadres/{county_code}/{cadre_id}/edit"): lambda a: Sample(
        data={
            "name": "李明",
            "position": "科长",
            "party_member": "1",
            "party_joined": "2010-07-01",
            "reason": "职务调整",
        }
    ),
    ("POST", "/registry/cadres/{county_code}/{cadre_id}/reveal"): lambda a: Sample(
        data={"field": "phone", "reason": "联系本人"}
    ),
    ("POST", "/registry/cadres/{county_code}/{cadre_id}/postings"): lambda a: Sample(
        data={"village_code": a.village, "role": "3", "start_date": "2025-03-01"}
    ),
    ("POST", "/registry/postings/{county_code}/{posting_id}/end"): lambda a: Sample(
        data={"end_date": "2025-12-31", "end_reason": "任期届满"}
    ),
    ("POST", "/api/v1/imports/cadres"): lambda a: Sample(files=import_files.cadres_upload(a)),
    ("POST", "/imports/cadres"): lambda a: Sample(files=import_files.cadres_upload(a)),
    ("PUT", "/api/v1/cadres/{county_code}/{cadre_id}/profile"): lambda a: Sample(
        json={"political": 5, "responsibility": 4, "ability": 4, "dedication": 3, "relations": 4, "reason": "年度考察"}
    ),
    ("POST", "/registry/cadres/{county_code}/{cadre_id}/profile"): lambda a: Sample(
        data={"political": "4", "responsibility": "4", "ability": "3", "dedication": "5", "relations": "", "reason": ""}
    ),
}

BODIES.update(
    {
        ("POST", "/api/v1/selection/{term}/counties/{county}/villages/defaults"): lambda a: Sample(),
        ("POST", "/api/v1/selection/{term}/villages/{code}"): lambda a: Sample(
            json={"needs": ["industry"], "team_size": 3}
        ),
        ("POST", "/api/v1/selection/{year}/cadres/{county_code}/{cadre_id}/nomination"): lambda a: Sample(
            json={"note": "推荐"}
        ),
        ("POST", "/api/v1/selection/{term}/counties/{county}/match"): lambda a: Sample(json={"dry_run": False}),
        ("POST", "/api/v1/selection/{term}/villages/{code}/assignments"): lambda a: Sample(
            json={"role": "member", "cadre_id": a.cadre_id}
        ),
        ("PUT", "/api/v1/selection/{term}/units/{unit_id}/quota"): lambda a: Sample(
            json={"county": a.county, "quota": 2}
        ),
        ("POST", "/api/v1/selection/{term}/counties/{county}/approve"): lambda a: Sample(
            json={"start_date": "2025-03-01", "reason": "县委组织部审定"}
        ),
        ("POST", "/selection/{term}/counties/{county}/defaults"): lambda a: Sample(data={}),
        ("POST", "/selection/{term}/counties/{county}/match"): lambda a: Sample(data={}),
        ("POST", "/selection/{term}/villages/{code}/assignments"): lambda a: Sample(
            data={"role": "member", "cadre_id": str(a.cadre_id)}
        ),
        ("POST", "/selection/{term}/counties/{county}/approve"): lambda a: Sample(
            data={"start_date": "2025-03-01", "reason": "县委组织部审定"}
        ),
    }
)


def _term(session, area: Area) -> int:
    """The term 2026 with the area's village marked (edits act on it) and another village of
    the county, with no team in post, marked for a team of one: 李明 proposed as its first
    secretary — a complete team that the approval can post. Nothing of the world is changed
    (the other samples, made beside this one, read it as it is)."""
    from sqlalchemy import select

    from zhucun.divisions.models import Division
    from zhucun.selection.cadres.models import CadrePosting
    from zhucun.selection.matching.models import Assignment, MarkedVillage, MatchRun, Nomination

    county = area.county[:6]
    if session.get(MarkedVillage, (county, 2026, area.village)) is None:
        serving = select(CadrePosting.village_code).where(
            CadrePosting.county_code == county, CadrePosting.end_date.is_(None)
        )
        other = session.scalars(
            select(Division.code)
            .where(Division.level == "village", Division.code.startswith(county), Division.code != area.village)
            .where(Division.code.not_in(serving))
            .order_by(Division.code)
        ).first()
        for code, size in ((area.village, 3), (other, 1)):
            session.add(MarkedVillage(county_code=county, term=2026, village_code=code, needs=[], team_size=size))
        session.add(Nomination(county_code=county, term=2026, cadre_id=area.cadre_id, division_code=area.county))
        session.add(
            MatchRun(
                county_code=county,
                term=2026,
                division_code=area.county,
                objective=200,
                bound=200,
                gap=0,
                greedy_objective=200,
                greedy_unfilled=2,
                method="flow",
                status="proposed",
            )
        )
        session.flush()
        session.add(
            Assignment(
                county_code=county,
                term=2026,
                cadre_id=area.cadre_id,
                village_code=other,
                role="first_secretary",
                first_secretary_of=other,
                value=200,
                reasons={},
                edited=False,
            )
        )
        session.flush()
    return 2026


PARAMS = {"term": _term}

BODIES.update(
    {
        ("POST", "/api/v1/helpers/assign"): lambda a: Sample(json={"county": a.county}),
        ("POST", "/api/v1/helpers/cadres/{county_code}/{cadre_id}/release"): lambda a: Sample(
            json={"reason": "调离本县"}
        ),
        ("POST", "/selection/helpers/counties/{county}/assign"): lambda a: Sample(data={}),
    }
)

# Incentive and guarantee's samples live beside the package's tests.
from tests.selection import guarantee_samples  # noqa: E402

BODIES.update(guarantee_samples.BODIES)
PARAMS.update(guarantee_samples.PARAMS)

# --- terms, handovers, lists, recalls ------------------------------------------------------


def _ended_posting(session, area: Area) -> None:
    """The area's first secretary's posting ended (the state a checklist or a replacement needs)."""
    from datetime import date

    from zhucun.selection.cadres.models import Cadre, CadrePosting

    posting = session.get(CadrePosting, (area.county[:6], area.posting_id))
    if posting.end_date is None:
        posting.end_date, posting.end_reason = date.today(), "召回"
        session.get(Cadre, (area.county[:6], area.posted_cadre_id)).division_code = area.county
        session.flush()


def _handover(session, area: Area) -> int:
    """A checklist of the area's ended posting with every item ticked, ready to close."""
    from datetime import date

    from zhucun.selection.terms.models import Handover, HandoverTick
    from zhucun.selection.terms.settings import HANDOVER

    _ended_posting(session, area)
    county = area.county[:6]
    if session.get(Handover, (county, area.posting_id)) is None:
        items = list(HANDOVER.items)
        session.add(
            Handover(
                county_code=county,
                posting_id=area.posting_id,
                cadre_id=area.posted_cadre_id,
                village_code=area.village,
                unit_id=area.unit_id,
                items=items,
                status="open",
                opened_on=date.today(),
            )
        )
        session.flush()
        for item in items:
            session.add(
                HandoverTick(
                    county_code=county, posting_id=area.posting_id, item=item, village_code=area.village, ticked_by="x"
                )
            )
        session.flush()
    return area.posting_id


def _recall(session, area: Area, *, approved: bool) -> int:
    """A recall of the area's first secretary: at the unit's step, or carried out with 李明
    nominated for the term so that a replacement is proposed."""
    from datetime import date

    from zhucun.core.ids import allocate
    from zhucun.procedures.models import Case
    from zhucun.procedures.service import version_for
    from zhucun.selection.matching.models import MarkedVillage, Nomination

    county = area.county[:6]
    facts = {
        "posting_id": area.posting_id,
        "cadre_id": area.posted_cadre_id,
        "name": "张卫东",
        "role": "1",
        "reasons": "长期不在岗",
        "term": 2024,
        "term_end": "2026-02-28",
    }
    if approved:
        _ended_posting(session, area)
        if session.get(MarkedVillage, (county, 2024, area.village)) is None:
            session.add(MarkedVillage(county_code=county, term=2024, village_code=area.village, needs=[], team_size=3))
        if session.get(Nomination, (county, 2024, area.cadre_id)) is None:
            session.add(
                Nomination(
                    county_code=county,
                    term=2024,
                    cadre_id=area.cadre_id,
                    division_code=area.county,
                    unit_id=area.unit_id,
                )
            )
    case = Case(
        county_code=county,
        id=allocate(session, "cases"),
        kind="recall",
        procedure_id=version_for(session, "recall", area.village, date.today()).id,
        village_code=area.village,
        step="carry_out",
        status="approved" if approved else "open",
        round=1,
        opened_on=date.today(),
        step_entered_on=date.today(),
        decided_on=date.today() if approved else None,
        related=False,
        escalated=False,
        facts=facts,
    )
    session.add(case)
    session.flush()
    return case.id


PARAMS.update(
    {
        "item": lambda session, area: "documents",
        "handover_id": _handover,
        "recall_id": lambda session, area: _recall(session, area, approved=False),
        "recalled_id": lambda session, area: _recall(session, area, approved=True),
    }
)

BODIES.update(
    {
        ("POST", "/api/v1/terms/counties/{county}/rotate"): lambda a: Sample(json={"term": 2024}),
        ("POST", "/api/v1/terms/handovers/{county_code}/{posting_id}/items/{item}"): lambda a: Sample(
            json={"note": "档案3盒"}
        ),
        ("POST", "/api/v1/terms/handovers/{county_code}/{handover_id}/close"): lambda a: Sample(),
        ("POST", "/api/v1/terms/lists/{county_code}"): lambda a: Sample(
            json={"term": 2024, "kind": "commendation", "cadre_id": a.cadre_id, "reason": "驻村工作成效突出"}
        ),
        ("POST", "/api/v1/recalls"): lambda a: Sample(
            json={"county_code": a.county[:6], "posting_id": a.posting_id, "reasons": "长期不在岗"}
        ),
        ("POST", "/api/v1/recalls/{county_code}/{recall_id}/actions"): lambda a: Sample(
            json={"action": "note", "reason": "已约谈"}
        ),
        ("POST", "/api/v1/recalls/{county_code}/{recalled_id}/replacement"): lambda a: Sample(
            json={"start_date": "2026-03-01", "reason": "接替召回人员"}
        ),
    }
)

BODIES.update(
    {
        ("POST", "/selection/terms/counties/{county}/rotate"): lambda a: Sample(data={"term": "2024"}),
        ("POST", "/selection/terms/handovers/{county_code}/{posting_id}/items/{item}"): lambda a: Sample(data={}),
        ("POST", "/selection/terms/handovers/{county_code}/{handover_id}/close"): lambda a: Sample(data={}),
        ("POST", "/selection/terms/lists/{county_code}"): lambda a: Sample(
            data={"term": "2024", "kind": "promotion", "cadre_id": str(a.cadre_id), "reason": "表现优秀"}
        ),
        ("POST", "/selection/recalls"): lambda a: Sample(
            data={"posting": f"{a.county[:6]}/{a.posting_id}", "reasons": "长期不在岗"}
        ),
        ("POST", "/selection/recalls/{county_code}/{recall_id}/actions"): lambda a: Sample(
            data={"action": "note", "reason": "已约谈"}
        ),
        ("POST", "/selection/recalls/{county_code}/{recalled_id}/replacement"): lambda a: Sample(
            data={"start_date": "2026-03-01", "reason": "接替召回人员"}
        ),
    }
)

# --- nominations many at once, withdrawn; villages marked one by one and unmarked ---------------


def _nominee(session, area: Area) -> int:
    """李明 nominated for 2025 (the ``year`` every route sample gets) and proposed nowhere:
    a nomination that may be withdrawn."""
    from zhucun.selection.matching.models import Nomination

    county = area.county[:6]
    if session.get(Nomination, (county, 2025, area.cadre_id)) is None:
        session.add(
            Nomination(
                county_code=county, term=2025, cadre_id=area.cadre_id, division_code=area.county, unit_id=area.unit_id
            )
        )
        session.flush()
    return area.cadre_id


PARAMS["nominee_id"] = _nominee

BODIES.update(
    {
        # 张卫东: not nominated for the term (李明 is, by ``_term``), so the request nominates one.
        ("POST", "/api/v1/selection/{term}/nominations"): lambda a: Sample(
            json={"cadres": [{"county_code": a.county[:6], "cadre_id": a.posted_cadre_id}], "note": "单位推荐"}
        ),
        ("DELETE", "/api/v1/selection/{year}/cadres/{county_code}/{nominee_id}/nomination"): lambda a: Sample(),
        ("DELETE", "/api/v1/selection/{term}/villages/{code}"): lambda a: Sample(),
        ("POST", "/selection/{term}/nominations"): lambda a: Sample(
            data={"action": "nominate", "cadre": f"{a.county[:6]}/{a.posted_cadre_id}", "note": "单位推荐"}
        ),
        ("POST", "/selection/{term}/counties/{county}/villages"): lambda a: Sample(
            data={"village_code": a.village, "needs": "industry", "team_size": "3", "note": "产业薄弱"}
        ),
        ("POST", "/selection/{term}/villages/{code}/unmark"): lambda a: Sample(data={}),
    }
)
