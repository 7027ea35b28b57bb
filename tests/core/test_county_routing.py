"""Every read of a county-keyed table names its county, so that on Citus a county's or a
township's request touches one county's shard.

Every GET route, and every unsafe route with its sample request, is called by a
county-level account (a county's administrator, who holds every permission) and a
township-level one, about objects of their own county; the SQL they send is captured
(``before_cursor_execute``) and each county-keyed table a SELECT, UPDATE or DELETE reads
must carry a ``county_code`` predicate: ``= value``, ``IN (values)``, ``= ANY(array)``, or
an equality with another county-keyed table's ``county_code`` (a co-located join, which
Citus routes with the other side's value).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from tests.core.route_samples import SELF_ROUTES, sample_for
from tests.core.route_table import ROUTES, route_id, send
from tests.factories.auth import bearer_headers, cookie_headers
from zhucun.core.db import Base
from zhucun.core.permissions import Role, role_has
from zhucun.core.scope import is_county_keyed, without_county_routing

COUNTY_KEYED = sorted(
    {m.class_.__tablename__ for m in Base.registry.mappers if is_county_keyed(m.class_)}, key=len, reverse=True
)
ROUTED = [r for r in ROUTES if r[2] is not True and r[2] is not None and (r[0], r[1]) not in SELF_ROUTES]
VALUE = r"(?:\?|%\(\w+\)s|'\d{6}')"
# Reads that cross counties on purpose, each with why.
ACROSS_COUNTIES: dict[tuple[str, str], str] = {}


def _occurrences(sql: str) -> list[tuple[str, str]]:
    """(table, alias) of every county-keyed table a statement reads."""
    found = []
    names = "|".join(COUNTY_KEYED)
    for match in re.finditer(rf"\b(?:FROM|JOIN|UPDATE|,)\s+({names})\b(?!\s*=)(?:\s+AS\s+(\w+))?", sql):
        found.append((match.group(1), match.group(2) or match.group(1)))
    return found


def _routed(sql: str, alias: str) -> bool:
    column = rf"\b{re.escape(alias)}\.county_code"
    if re.search(rf"{column}\s*(?:=\s*{VALUE}|IN\s*\(\s*{VALUE}|=\s*ANY\s*\()", sql):
        return True
    # A co-located join: equal to another county-keyed table's county_code.
    other = r"\w+\.county_code"
    return bool(re.search(rf"{column}\s*=\s*{other}|{other}\s*=\s*{column}", sql))


def unrouted(statements: list[str]) -> list[str]:
    """The statements that read a county-keyed table without naming its county."""
    bad = []
    for sql in statements:
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head not in {"SELECT", "UPDATE", "DELETE", "WITH"}:
            continue
        missing = sorted({table for table, alias in _occurrences(sql) if not _routed(sql, alias)})
        if missing:
            bad.append(f"{', '.join(missing)}: {' '.join(sql.split())[:400]}")
    return bad


def test_the_checker_tells_a_routed_read_from_an_unrouted_one():
    assert (
        unrouted(["SELECT households.id FROM households WHERE households.county_code = ? AND households.id = ?"]) == []
    )
    assert unrouted(["SELECT h.id FROM households AS h WHERE h.county_code IN (?, ?)"]) == []
    assert (
        unrouted(
            [
                "SELECT members.id FROM members JOIN households ON households.county_code = members.county_code "
                "WHERE members.county_code = %(c)s"
            ]
        )
        == []
    )
    assert unrouted(["SELECT households.id FROM households WHERE households.village_code >= ?"]) != []
    assert unrouted(["SELECT divisions.code FROM divisions"]) == []
    assert unrouted(["UPDATE divisions SET population=?, households=? WHERE divisions.code = ?"]) == []


ACTORS = ("admin_a", Role.TOWNSHIP)


def _capture(engine, client, request) -> list[str]:
    sent: list[str] = []

    def listen(_conn, _cursor, statement, _params, _context, _many) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return sent


def test_without_the_predicate_the_checker_fails_a_list(client, db, engine, settings, world):
    """The baseline switch shows the test would catch a scope that forgot the county."""
    headers = bearer_headers(db, settings, "admin_a")
    with without_county_routing():
        sent = _capture(engine, client, lambda: client.get("/api/v1/households", headers=headers))
    assert any("households" in line for line in unrouted(sent))
    sent = _capture(engine, client, lambda: client.get("/api/v1/households", headers=headers))
    assert unrouted(sent) == [] and any("FROM households" in s for s in sent)


@pytest.mark.parametrize("route", ROUTED, ids=route_id)
def test_reads_of_county_keyed_tables_name_the_county(route, client, db, engine, settings, world, session):
    method, path, permission = route
    if (method, path) in ACROSS_COUNTIES:
        pytest.skip(ACROSS_COUNTIES[(method, path)])
    sample = sample_for(session, method, path, world.a)
    failures = []
    for actor in ACTORS:
        username = world.a.users[actor] if isinstance(actor, Role) else actor
        if isinstance(actor, Role) and not role_has(actor, permission):
            continue
        if path.startswith("/api/"):
            headers, csrf = bearer_headers(db, settings, username), None
        else:
            headers, csrf = cookie_headers(db, settings, username)
        sent = _capture(engine, client, lambda h=headers, c=csrf: send(client, method, path, sample, h, c))
        failures += [f"{username}: {line}" for line in unrouted(sent)]
    assert not failures, "\n".join(failures)
