"""The audit trail's "who" filter picks a person by name (not an account name typed by heart)."""

from __future__ import annotations

from sqlalchemy import select

from zhucun.core.models import User


def _person(session, username: str) -> str:
    return session.scalar(select(User.display_name).where(User.username == username))


def test_the_who_filter_is_a_picker_of_people_by_name(client, web, world, session):
    web("admin")
    name = _person(session, "xczx")
    found = client.get("/audit/people", params={"actor__q": name[1:]})
    assert found.status_code == 200 and 'data-pick-code="xczx"' in found.text and name in found.text
    page = client.get("/audit", params={"actor": "xczx"}).text
    assert 'data-testid="picker-actor"' in page and f'value="{name}"' in page
    assert "账号名" not in page


def test_a_typed_exact_name_becomes_the_filter_and_an_unknown_one_is_said_at_the_field(client, web, world, session):
    web("admin")
    name = _person(session, "xczx")
    typed = client.get("/audit", params={"actor": "", "actor__q": name}, follow_redirects=False)
    location = typed.headers["location"]
    assert typed.status_code == 303 and location.startswith("/audit?") and location.endswith("&actor=xczx")
    unknown = client.get("/audit", params={"actor": "", "actor__q": "没有这个人"})
    assert unknown.status_code == 200 and 'id="actor-error"' in unknown.text and 'value="没有这个人"' in unknown.text
