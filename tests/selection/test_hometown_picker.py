"""A cadre's 籍贯 can be anywhere in China: its picker searches every division (names are
public reference data), while the area pickers stay within the reader's area."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.selection.test_cadres_web import _cadre_form
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import Cadre


def _unique_name_in(session, county: str) -> tuple[str, str]:
    """A division of that county whose name no other division carries (what a clerk types)."""
    rows = session.execute(
        select(Division.code, Division.name).where(Division.code.startswith(county[:6])).order_by(Division.code)
    ).all()
    for code, name in rows:
        if session.scalar(select(func.count()).where(Division.name == name)) == 1:
            return code, name
    raise AssertionError("no uniquely named division in the county")


def test_the_hometown_picker_finds_divisions_outside_the_readers_area(client, web, world, session):
    web("zzb")  # the organisation department of county a
    code, name = _unique_name_in(session, world.b.county)
    anywhere = client.get("/divisions/pick", params={"anywhere": "1", "hometown_code__q": name})
    assert anywhere.status_code == 200 and f'data-pick-code="{code}"' in anywhere.text
    # Across the country the path starts at the province, so that namesakes can be told apart.
    province = session.scalar(select(Division.name).where(Division.code == code[:2] + "0" * 10))
    assert province in anywhere.text
    inside = client.get("/divisions/pick", params={"division_code__q": name})
    assert code not in inside.text
    form = client.get("/registry/cadres/new").text
    assert 'hx-get="/divisions/pick?anywhere=1"' in form


def test_a_hometown_typed_by_its_exact_name_elsewhere_is_resolved(client, web, world, session):
    csrf = web("zzb")
    code, name = _unique_name_in(session, world.b.county)
    data = _cadre_form(csrf, world, hometown_code="", hometown_code__q=name)
    done = client.post("/registry/cadres/new", data=data, follow_redirects=False)
    assert done.status_code == 303, done.text
    saved = session.scalars(select(Cadre).where(Cadre.name == "黄志勇")).one()
    assert saved.hometown_code == code


def test_a_name_nowhere_in_china_is_refused_next_to_the_field(client, web, world, session):
    csrf = web("zzb")
    data = _cadre_form(csrf, world, hometown_code="", hometown_code__q="不存在的地方")
    refused = client.post("/registry/cadres/new", data=data)
    assert refused.status_code == 422 and 'id="hometown_code-error"' in refused.text
    assert session.scalar(select(func.count()).where(Cadre.name == "黄志勇")) == 0
