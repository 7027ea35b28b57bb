"""Recall through the procedure engine: proposed by the organisation department, carried out
by the dispatching unit; the posting ends with reason recall, the cadre goes onto the recall
list, a checklist opens, and the proposed replacement (nominated, eligible, not avoided) is
posted on approval for the rest of the term."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from zhucun.core.permissions import Role
from zhucun.procedures.models import Case
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.matching.models import Nomination
from zhucun.selection.terms.models import Handover, ListEntry, PostingTerm


def _propose(api, world, **extra):
    body = {"county_code": world.a.county[:6], "posting_id": world.a.posting_id, "reasons": "长期不在岗", **extra}
    return api(world.username(Role.ORG_DEPT)).post("/api/v1/recalls", json=body)


def _nominate(session, world, cadre_id, term=2024):
    session.add(
        Nomination(
            county_code=world.a.county[:6],
            term=term,
            cadre_id=cadre_id,
            division_code=world.a.county,
            unit_id=world.a.unit_id,
        )
    )
    session.flush()


def test_a_recall_is_proposed_then_carried_out_by_the_unit(api, world, session):
    _nominate(session, world, world.a.cadre_id)
    proposed = _propose(api, world)
    assert proposed.status_code == 201, proposed.text
    case = proposed.json()
    assert case["step"] == "carry_out" and case["status"] == "open" and case["facts"]["reasons"] == "长期不在岗"
    url = f"/api/v1/recalls/{case['county_code']}/{case['id']}/actions"
    # The organisation department may not carry it out: that step is the unit's.
    wrong = api(world.username(Role.ORG_DEPT)).post(url, json={"action": "pass"})
    assert wrong.status_code == 403 and wrong.json()["field"] == "action"
    assert _propose(api, world).status_code == 409
    done = api(world.username(Role.UNIT)).post(url, json={"action": "pass", "reason": "已召回"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "approved"
    # The unit sees no replacement; the organisation department sees the best nominee.
    assert done.json()["replacement"] is None
    replacement = api(world.username(Role.ORG_DEPT)).get(f"/api/v1/recalls/{case['county_code']}/{case['id']}")
    replacement = replacement.json()["replacement"]
    assert replacement["cadre_id"] == world.a.cadre_id and replacement["role"] == "1"
    posting = session.scalars(
        select(CadrePosting).where(
            CadrePosting.county_code == world.a.county[:6], CadrePosting.id == world.a.posting_id
        )
    ).one()
    assert posting.end_reason == "召回" and posting.end_date == date.today()
    entry = session.scalars(select(ListEntry).where(ListEntry.cadre_id == world.a.posted_cadre_id)).one()
    assert (entry.kind, entry.source, entry.term) == ("recall", "recall", 2024)
    assert session.get(Handover, (world.a.county[:6], world.a.posting_id)).status == "open"
    # The organisation department posts the replacement for the rest of the term.
    replace = f"/api/v1/recalls/{case['county_code']}/{case['id']}/replacement"
    posted = api(world.username(Role.ORG_DEPT)).post(
        replace, json={"start_date": date.today().isoformat(), "reason": "接替召回人员"}
    )
    assert posted.status_code == 200, posted.text
    new_id = posted.json()["replacement"]["posting_id"]
    term = session.get(PostingTerm, (world.a.county[:6], new_id))
    assert (term.term, term.term_end) == (2024, date(2026, 2, 28))
    assert (
        api(world.username(Role.ORG_DEPT))
        .post(replace, json={"start_date": date.today().isoformat(), "reason": "再次"})
        .status_code
        == 409
    )


def test_a_recall_without_an_eligible_candidate_proposes_no_replacement(api, world):
    case = _propose(api, world).json()
    url = f"/api/v1/recalls/{case['county_code']}/{case['id']}"
    assert api(world.username(Role.UNIT)).post(f"{url}/actions", json={"action": "pass"}).status_code == 200
    shown = api(world.username(Role.ORG_DEPT)).get(url).json()
    assert shown["status"] == "approved" and shown["replacement"] is None
    refused = api(world.username(Role.ORG_DEPT)).post(
        f"{url}/replacement", json={"start_date": date.today().isoformat(), "reason": "接替"}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "no_replacement"


def test_the_unit_may_send_a_recall_back_with_reasons(api, world):
    case = _propose(api, world).json()
    url = f"/api/v1/recalls/{case['county_code']}/{case['id']}/actions"
    unit = api(world.username(Role.UNIT))
    assert unit.post(url, json={"action": "reject"}).status_code == 422
    back = unit.post(url, json={"action": "reject", "reason": "该同志已整改"})
    assert back.status_code == 200 and back.json()["step"] == "propose"


def test_a_recall_of_another_county_is_not_found(api, world):
    body = {"county_code": world.b.county[:6], "posting_id": world.b.posting_id, "reasons": "长期不在岗"}
    assert api(world.username(Role.ORG_DEPT)).post("/api/v1/recalls", json=body).status_code == 404


def test_a_unit_sees_only_the_recalls_of_its_own_cadres(api, world, session):
    case = _propose(api, world).json()
    unit, org = api(world.username(Role.UNIT)), api(world.username(Role.ORG_DEPT))
    url = f"/api/v1/recalls/{case['county_code']}/{case['id']}"
    assert [c["id"] for c in unit.get("/api/v1/recalls").json()] == [case["id"]]
    assert unit.get(url).status_code == 200
    # The cadre moves to another unit: the recall is that unit's now, no longer this one's.
    session.execute(
        update(Cadre)
        .where(Cadre.county_code == case["county_code"], Cadre.id == world.a.posted_cadre_id)
        .values(unit_id=world.b.unit_id)
    )
    session.commit()
    assert unit.get("/api/v1/recalls").json() == []
    assert unit.get(url).status_code == 404
    assert unit.post(f"{url}/actions", json={"action": "pass", "reason": "已召回"}).status_code == 404
    assert session.get(Case, (case["county_code"], case["id"])).status == "open"
    # A reader of the county's area still sees every recall of the county.
    assert [c["id"] for c in org.get("/api/v1/recalls").json()] == [case["id"]]
    assert org.get(url).status_code == 200
