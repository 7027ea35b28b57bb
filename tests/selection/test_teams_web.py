"""The work team on the village's page, the teams page with incomplete teams, and the
warning of a village without sitting officials."""

from __future__ import annotations

from sqlalchemy import select

from zhucun.core.permissions import Role
from zhucun.selection.cadres.models import Cadre


def test_the_village_page_loads_its_work_team(client, web, world, session):
    web(world.username(Role.ORG_DEPT))
    page = client.get(f"/divisions/{world.a.village}").text
    assert f'hx-get="/registry/villages/{world.a.village}/team"' in page
    assert f'href="/registry/households?village={world.a.village}"' in page
    team = client.get(f"/registry/villages/{world.a.village}/team")
    name = session.scalar(select(Cadre.name).where(Cadre.id == world.a.posted_cadre_id))
    assert team.status_code == 200 and name in team.text and "第一书记" in team.text


def test_the_teams_page_filters_incomplete_teams_in_the_area(client, web, world):
    web(world.username(Role.ORG_DEPT))
    everything = client.get("/registry/teams")
    assert everything.status_code == 200 and "共 " in everything.text
    incomplete = client.get("/registry/teams?incomplete=1").text
    # Every row left by the filter carries the mark; the other county is not in this area.
    rows = incomplete.count('<tr><td><a href="/divisions/')
    assert incomplete.count("badge text-bg-warning") == rows and world.b.village not in incomplete


def test_a_village_without_sitting_officials_is_flagged(client, web, world):
    web(world.username(Role.ADMIN, "b"))
    bare = world.b.village[:-1] + ("2" if world.b.village[-1] != "2" else "3")
    page = client.get(f"/registry/villages/{bare}/officials")
    assert page.status_code == 200 and 'data-testid="no-sitting-officials"' in page.text
    web(world.username(Role.ADMIN))
    seated = client.get(f"/registry/villages/{world.a.village}/officials").text
    assert 'data-testid="no-sitting-officials"' not in seated
