"""Each role's home page is its work: counts from one query each, in the role's area, each
opening the list behind it — and the list agrees with the count."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, func, select

from zhucun.core.audit import AuditEntry
from zhucun.core.permissions import Role
from zhucun.registry.catalogues import MONITORED_STATUSES
from zhucun.registry.models import Household

ITEM = re.compile(
    r'<a class="card tone-\w+" href="([^"]+)" data-testid="work-item">\s*<div class="card-body[^"]*">\s*'
    r'(?:<div class="count" data-testid="work-count">([\d,]+)</div>)?\s*<div class="small">([^<]+)</div>'
)


def work(client) -> dict[str, tuple[str, int | None]]:
    page = client.get("/")
    assert page.status_code == 200
    return {label: (url, int(n.replace(",", "")) if n else None) for url, n, label in ITEM.findall(page.text)}


def _households(session, world, *statuses: str) -> int:
    statement = select(func.count()).where(Household.village_code.startswith(world.a.county[:6]))
    if statuses:
        statement = statement.where(Household.status.in_(statuses))
    return session.scalar(statement)


def test_the_bureau_sees_the_households_of_its_county_and_the_lists_agree(client, web, world, session):
    web(world.username(Role.RR_BUREAU))
    items = work(client)
    for label, expected in (
        ("全部农户", _households(session, world)),
        ("监测户", _households(session, world, *MONITORED_STATUSES)),
    ):
        url, n = items[label]
        assert n == expected, label
        assert f"共 {n:,} 条" in client.get(url).text, label
    assert items["全部农户"][1] > 0


def test_a_first_secretary_sees_the_village_and_its_team(client, web, world):
    web(world.username(Role.FIRST_SECRETARY))
    items = work(client)
    assert any(url == f"/divisions/{world.a.village}" for url, _ in items.values())
    url, team = items["我们的工作队"]
    assert url.startswith(f"/divisions/{world.a.village}") and team is not None and team >= 1


def test_the_organisation_department_sees_teams_to_complete(client, web, world):
    web(world.username(Role.ORG_DEPT))
    items = work(client)
    url, short = items["在岗工作队不齐的重点村"]
    assert url == "/registry/teams?incomplete=1"
    page = client.get(url).text
    assert f"共 {short:,} 条" in page


def test_the_auditor_sees_the_chains_state_at_their_last_check(client, web, world, session):
    web(world.username(Role.AUDITOR))
    county = world.a.county_code
    entries = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.county_code == county))
    items = work(client)
    assert items["条审计记录，尚未核验"] == ("/audit/verify", entries)
    assert client.get("/audit/verify").status_code == 200
    # The check is in the trail, and the home page reads it instead of walking the chains.
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "audit:chain:verified")).one()
    assert entry.division_code == world.a.county and entry.after == {"checked": entries, "findings": 0, "first": None}
    [(label, (url, n))] = [(k, v) for k, v in work(client).items() if "核验时完好" in k]
    assert (url, n) == ("/audit/verify", entries) and f"{entry.at:%Y-%m-%d %H:%M}" in label
    session.execute(delete(AuditEntry).where(AuditEntry.county_code == county, AuditEntry.seq == 2))
    session.commit()
    assert 'data-testid="verify-failed"' in client.get("/audit/verify").text
    [(label, (url, n))] = [(k, v) for k, v in work(client).items() if "被篡改" in k]
    assert n == 1 and f"{county}-3" in label
    assert "核验了审计链" in client.get("/audit?action=audit:chain:verified").text


@pytest.mark.parametrize("role", [Role.HELPER, Role.TOWNSHIP, Role.VILLAGE_COMMITTEE, Role.UNIT, Role.ADMIN])
def test_every_count_opens_a_page(client, web, world, role):
    web(world.username(role))
    for label, (url, _n) in work(client).items():
        assert client.get(url).status_code == 200, (label, url)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.RR_BUREAU, Role.TOWNSHIP, Role.FIRST_SECRETARY], ids=str)
def test_the_home_page_offers_a_few_shortcuts_not_the_whole_menu(client, web, world, role):
    web(world.username(role))
    page = client.get("/").text
    shortcuts = re.findall(
        r'class="btn btn-outline-secondary btn-sm" href="([^"]+)"', page.split('data-testid="shortcuts"')[1]
    )
    menu = re.findall(r'class="nav-link[^"]*" href="([^"]+)"', page)
    assert 0 < len(shortcuts) <= 4, shortcuts
    assert set(shortcuts) <= set(menu)
    # None repeats a count above it: each opens a place the work does not.
    assert not set(shortcuts) & {url.split("?")[0] for url, _n in work(client).values()}
