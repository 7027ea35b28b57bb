"""On a Citus cluster (``make test-citus``): a county account's list and household pages are
routed to its county's shard, as Citus's own tenant statistics count them.

Citus counts a query against a tenant (a value of the distribution column) only when it is
routed to one shard by that value; a query that fans out to every shard is counted against
none. So after the pages of county A's accounts, the counters name county A and no other
county — the other county's shard was not read.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.skipif(
    os.environ.get("ZHUCUN_TEST_CITUS") != "1", reason="needs a Citus cluster (make test-citus CITUS_URL=…)"
)


def _tenants(engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT tenant_attribute, sum(query_count_in_this_period + query_count_in_last_period) "
                "FROM citus_stat_tenants GROUP BY tenant_attribute"
            )
        ).all()
    return {tenant: int(count) for tenant, count in rows if count}


@pytest.fixture
def tracked(engine, world):
    """Tenant statistics on, from zero once the test world (both counties) is written."""
    _on_every_node(engine, "ALTER SYSTEM SET citus.stat_tenants_track = 'all'")
    engine.dispose()  # new connections read the setting
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("SELECT citus_stat_tenants_reset()"))
    yield
    _on_every_node(engine, "ALTER SYSTEM RESET citus.stat_tenants_track")


def _on_every_node(engine, statement: str) -> None:
    """A setting on the coordinator and the workers: a query routed to a shard is counted on
    the node that runs it, and the view gathers every node's counts."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))
        connection.execute(text("SELECT pg_reload_conf()"))
        connection.execute(text("SELECT run_command_on_workers(:c)"), {"c": statement})
        connection.execute(text("SELECT run_command_on_workers('SELECT pg_reload_conf()')"))


@pytest.mark.parametrize("username", ["zhen", "xczx"])
def test_a_county_accounts_pages_are_routed_to_its_county(tracked, engine, client, web, api, world, username):
    web(username)
    county, other = world.a.county_code, world.b.county_code
    pages = [
        "/registry/households",
        "/registry/members",
        f"/registry/households/{county}/{world.a.household_id}",
    ]
    for path in pages:
        assert client.get(path).status_code == 200, path
    bearer = api(username)
    assert bearer.get("/api/v1/households").status_code == 200
    assert bearer.get(f"/api/v1/households/{county}/{world.a.household_id}").status_code == 200
    counted = _tenants(engine)
    assert counted.get(county, 0) > 0, counted
    assert other not in counted, counted
