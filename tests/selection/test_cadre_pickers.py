"""The cadre pages choose a village and a unit with pickers (never a select of every village):
the posting form's village within the reader's area, the cadre form's unit by name; a typed
exact name is resolved, anything else is said at the field and nothing is written."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.selection.test_cadres_web import _cadre_form
from zhucun.accounts.units.models import Unit
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import Cadre, CadrePosting

DAY = "2025-01-01"


def _name(session, code: str) -> str:
    return session.scalar(select(Division.name).where(Division.code == code))


def _postings(session) -> int:
    return session.scalar(select(func.count()).select_from(CadrePosting))


def test_the_posting_form_picks_a_village_of_the_readers_area(client, web, world, session):
    web("zzb")
    page = client.get(f"/registry/cadres/{world.a.county_code}/{world.a.cadre_id}").text
    assert '<select class="form-select" name="village_code"' not in page
    assert 'data-testid="picker-village_code"' in page and 'hx-get="/divisions/pick?level=village"' in page
    other = client.get(
        "/divisions/pick", params={"level": "village", "village_code__q": _name(session, world.b.village)}
    )
    assert world.b.village not in other.text


def test_a_village_typed_by_its_exact_name_is_posted_to(client, web, world, session):
    csrf = web("zzb")
    posted = client.post(
        f"/registry/cadres/{world.a.county_code}/{world.a.cadre_id}/postings",
        data={
            "csrf_token": csrf,
            "village_code": "",
            "village_code__q": _name(session, world.a.village),
            "role": "3",
            "start_date": "2025-01-01",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text[posted.text.find("<main") :]
    village = session.scalar(
        select(CadrePosting.village_code).where(
            CadrePosting.county_code == world.a.county_code, CadrePosting.cadre_id == world.a.cadre_id
        )
    )
    assert village == world.a.village


def test_another_countys_village_typed_is_refused_at_the_field(client, web, world, session):
    csrf = web("zzb")
    before = _postings(session)
    typed = _name(session, world.b.village)
    refused = client.post(
        f"/registry/cadres/{world.a.county_code}/{world.a.cadre_id}/postings",
        data={
            "csrf_token": csrf,
            "village_code": "",
            "village_code__q": typed,
            "role": "3",
            "start_date": "2025-01-01",
        },
    )
    assert refused.status_code == 422
    assert 'id="village_code-error"' in refused.text and f'value="{typed}"' in refused.text
    assert _postings(session) == before


def test_the_cadre_form_picks_its_unit_by_name(client, web, world, session):
    csrf = web("zzb")
    form = client.get("/registry/cadres/new").text
    assert '<select class="form-select" name="unit_id"' not in form
    assert 'hx-get="/registry/units/pick"' in form
    unit = session.scalar(select(Unit.name).where(Unit.id == world.a.unit_id))
    made = client.post(
        "/registry/cadres/new",
        data=_cadre_form(csrf, world, unit_id="", unit_id__q=unit),
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text[made.text.find("<main") :]
    assert session.scalar(select(Cadre.unit_id).where(Cadre.name == "黄志勇")) == world.a.unit_id


def test_a_unit_name_matching_nothing_is_said_at_the_field(client, web, world, session):
    csrf = web("zzb")
    before = session.scalar(select(func.count()).select_from(Cadre))
    refused = client.post("/registry/cadres/new", data=_cadre_form(csrf, world, unit_id="", unit_id__q="没有这个单位"))
    assert refused.status_code == 422
    assert 'id="unit_id-error"' in refused.text and 'value="没有这个单位"' in refused.text
    assert session.scalar(select(func.count()).select_from(Cadre)) == before
