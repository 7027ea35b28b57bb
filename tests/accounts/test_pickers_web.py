"""Pickers instead of typed codes: a division or a unit found by part of its name, within
the caller's area, and a form that resolves a typed name or says why it cannot."""

from __future__ import annotations

from sqlalchemy import func, select

from zhucun.accounts.units.models import Unit
from zhucun.core.models import User
from zhucun.divisions.models import Division


def _name(session, code: str) -> str:
    return session.scalar(select(Division.name).where(Division.code == code))


def test_the_division_picker_finds_by_part_of_a_name_with_the_path(client, web, world, session):
    web("zzb")
    village = _name(session, world.a.village)
    page = client.get("/divisions/pick", params={"division_code__q": village[1:]})
    assert page.status_code == 200
    assert f'data-pick-code="{world.a.village}"' in page.text
    assert f'data-pick-label="{village}"' in page.text
    assert f"{_name(session, world.a.township)} › {village}" in page.text
    # The other county's villages are outside this account's area.
    other = client.get("/divisions/pick", params={"q": _name(session, world.b.village)})
    assert world.b.village not in other.text


def test_the_unit_picker_finds_the_units_of_the_area(client, web, world, session):
    web("zzb")
    name = session.scalar(select(Unit.name).where(Unit.id == world.a.unit_id))
    page = client.get("/registry/units/pick", params={"unit_id__q": name[:2]})
    assert page.status_code == 200 and f'data-pick-code="{world.a.unit_id}"' in page.text


def _create(client, csrf, **fields):
    data = {
        "csrf_token": csrf,
        "display_name": "新帮扶人",
        "password": "Xinyonghu-mima-5512",
        "role": "helper",
        **fields,
    }
    return client.post("/users/new", data=data, follow_redirects=False)


def test_a_typed_village_name_is_resolved_when_nothing_was_picked(client, web, world, session):
    csrf = web("admin")
    village = _name(session, world.a.village)
    made = _create(client, csrf, username="picker_typed", division_code="", division_code__q=village)
    assert made.status_code == 303, made.text
    user = session.scalar(select(User).where(User.username == "picker_typed"))
    assert user.division_code == world.a.village


def test_a_name_that_matches_nothing_is_a_located_error_and_nothing_is_written(client, web, world, session):
    csrf = web("admin")
    before = session.scalar(select(func.count()).select_from(User))
    refused = _create(client, csrf, username="picker_nothing", division_code="", division_code__q="没有这个村")
    assert refused.status_code == 422
    assert 'id="division_code-error"' in refused.text and "没有这个村" in refused.text
    # What was typed stays in the box, to be corrected rather than typed again.
    assert 'name="division_code__q" class="form-control is-invalid"' in refused.text
    assert 'value="没有这个村"' in refused.text
    assert session.scalar(select(func.count()).select_from(User)) == before


def test_the_user_page_names_the_area_and_the_unit(client, web, world, session):
    web("admin")
    user_id = session.scalar(select(User.id).where(User.username == world.username("unit")))
    page = client.get(f"/users/{user_id}").text
    unit = session.scalar(select(Unit.name).where(Unit.id == world.a.unit_id))
    assert unit in page and _name(session, world.a.county) in page
    assert f">{world.a.county}<" not in page


def test_a_role_without_an_area_is_refused_at_the_area_field_with_the_roles_label(client, web, world, session):
    csrf = web("admin")
    refused = _create(client, csrf, username="picker_none", division_code="", division_code__q="")
    assert refused.status_code == 422
    error = refused.text.split('id="division_code-error"')[1].split("</small>")[0]
    assert "帮扶责任人" in error and "乡镇、村" in error
    assert "helper" not in refused.text.split("<main")[1].replace('value="helper"', "")
    county = _name(session, world.a.county)
    at_county = _create(client, csrf, username="picker_county", division_code="", division_code__q=county)
    assert at_county.status_code == 422 and f'value="{county}"' in at_county.text
