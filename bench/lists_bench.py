"""List pages at national scale: the first page and a page deep in a 10-million-member
PostgreSQL register, through the API as a user sees it, against OFFSET paging measured in
the same run.

    python -m bench.run --only lists [--quick]

Goals: p95 under 100 ms, and a deep page no slower than twice the first. A county account's
pages are also measured without the county predicate (``county_code = …``, which routes a
query to one shard on Citus) against the division range alone, to show what it costs or
saves on one PostgreSQL node. The dataset is
``bench.datasets.national`` (built by the generator benchmark, or here on first use).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from bench import datasets
from zhucun.accounts import service as accounts
from zhucun.app import create_app
from zhucun.config import Settings
from zhucun.core.auth import Principal, configure_hashing
from zhucun.core.codes import prefix_upper_bound
from zhucun.core.crypto import Keyring
from zhucun.core.db import Database
from zhucun.core.pagination import encode_cursor
from zhucun.core.scope import Scope, bind, without_county_routing
from zhucun.registry.models import Member

REPEAT = 40
PASSWORD = "Bench2026pw"
FAST = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}


def run(env) -> dict:
    if not env.pg_url:
        return {"skipped": "no PostgreSQL server"}
    members = 300_000 if env.quick else 10_000_000
    results = _lists(env.pg_url, members)
    citus = os.environ.get("CITUS_URL")
    if citus:
        # The same pages on a Citus coordinator (its workers registered): the county predicate
        # is what routes a county account's query to one shard there.
        print("  on Citus:")
        results["citus"] = _lists(citus, members)
    return results


def _lists(server: str, members: int) -> dict:
    url = datasets.national(server, members=members)
    settings = Settings(database_url=url, key_dir=datasets.KEY_DIR, **FAST)
    configure_hashing(settings)
    db = Database(url)
    try:
        county = _accounts(db, settings)
        with TestClient(create_app(settings, db)) as client:
            results = {"members": _count(db)}
            for label, username in (("national", "bench_admin"), ("county", "bench_county")):
                results[label] = _scenario(client, db, username, county if label == "county" else None)
            results["county_predicate"] = _county_predicate(client, db, county)
            results["search"] = _searches(client, db)
    finally:
        db.dispose()
    return results


def _accounts(db: Database, settings: Settings) -> str:
    """A national administrator and a county bureau account (made once per dataset)."""
    with db.begin() as session:
        bind(session, Scope.everywhere())
        county = session.scalar(select(Member.village_code).order_by(Member.village_code).limit(1))[:6] + "000000"
        existing = set(session.scalars(text("SELECT username FROM users")))
        for name, role, area in (("bench_admin", "admin", None), ("bench_county", "rr_bureau", county)):
            if name not in existing:
                accounts.create_user(
                    session,
                    actor=Principal.system(),
                    settings=settings,
                    username=name,
                    display_name=name,
                    password=PASSWORD,
                    division_code=area,
                    grants=[accounts.GrantSpec(role, area)],
                    must_change_password=False,
                )
    return county


def _count(db: Database) -> int:
    with db.begin(write=False) as session:
        return session.scalar(select(func.count()).select_from(Member))


def _timed(call: Callable[[], object]) -> dict:
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2)}


def _county_range(county: str | None) -> str:
    if not county:
        return ""
    return f"WHERE village_code >= '{county[:6]}' AND village_code < '{prefix_upper_bound(county[:6])}'"


def _deep_key(db: Database, county: str | None, depth: int) -> tuple[list, int]:
    """The sort key of the row ``depth`` rows into the list (found once, not timed)."""
    where = _county_range(county)
    with db.engine.connect() as connection:
        total = connection.scalar(text(f"SELECT count(*) FROM members {where}"))
        depth = min(depth, total - 100)
        row = connection.execute(
            text(f"SELECT village_code, id FROM members {where} ORDER BY village_code, id OFFSET :d LIMIT 1"),
            {"d": depth},
        ).one()
    return [row[0], row[1]], depth


def _scenario(client: TestClient, db: Database, username: str, county: str | None) -> dict:
    token = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    key, depth = _deep_key(db, county, 9_000_000 if county is None else 150_000)
    cursor = encode_cursor(key)

    def page(**params: object) -> None:
        response = client.get("/api/v1/members", params={"limit": 50, **params}, headers=headers)
        assert response.status_code == 200 and len(response.json()["items"]) == 50, response.text

    first = _timed(page)
    deep = _timed(lambda: page(cursor=cursor))
    offset = _offset_baseline(db, county, depth)
    result = {
        "depth": depth,
        "first_page": first,
        "deep_page": deep,
        "offset_baseline_deep": offset,
        "deep_over_first_p95": round(deep["p95_ms"] / first["p95_ms"], 2),
        "offset_over_keyset_deep_p95": round(offset["p95_ms"] / deep["p95_ms"], 1),
    }
    print(
        f"  {username:<14} first p95 {first['p95_ms']:7.1f} ms  deep({depth:,}) p95 {deep['p95_ms']:7.1f} ms "
        f"({result['deep_over_first_p95']}×)  OFFSET at the same depth p95 {offset['p95_ms']:8.1f} ms "
        f"({result['offset_over_keyset_deep_p95']}× slower)"
    )
    return result


def _offset_baseline(db: Database, county: str | None, depth: int) -> dict:
    """The same page by OFFSET, straight in SQL (no HTTP), as the common alternative."""
    where = _county_range(county)
    sql = text(f"SELECT * FROM members {where} ORDER BY village_code, id OFFSET :d LIMIT 50")
    with db.engine.connect() as connection:
        repeat = max(3, REPEAT // 8)
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            connection.execute(sql, {"d": depth}).all()
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(samples[-1], 2)}


def _searches(client: TestClient, db: Database) -> dict:
    token = client.post("/api/v1/auth/token", data={"username": "bench_admin", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    with db.engine.connect() as connection:
        name, cipher = connection.execute(text("SELECT name, id_cipher FROM members ORDER BY id DESC LIMIT 1")).one()
    number = Keyring.load(datasets.KEY_DIR).decrypt(bytes(cipher))
    results = {}
    for label, q in (("name_prefix", name[:2]), ("full_name", name), ("id_number", number)):
        results[label] = _timed(
            lambda q=q: client.get("/api/v1/members", params={"q": q, "limit": 50}, headers=headers).raise_for_status()
        )
        print(f"  search {label:<12} p95 {results[label]['p95_ms']:7.1f} ms")
    return results


def _county_predicate(client: TestClient, db: Database, county: str) -> dict:
    """The county account's list pages with the county predicate and with the range alone."""
    token = client.post("/api/v1/auth/token", data={"username": "bench_county", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    key, depth = _deep_key(db, county, 150_000)
    pages = {
        "members_first": ("/api/v1/members", {}),
        "members_deep": ("/api/v1/members", {"cursor": encode_cursor(key)}),
        "households_first": ("/api/v1/households", {}),
    }
    results = {}
    for label, (path, params) in pages.items():

        def page(path: str = path, params: dict = params) -> None:
            response = client.get(path, params={"limit": 50, **params}, headers=headers)
            assert response.status_code == 200 and response.json()["items"], response.text

        routed = _timed(page)
        with without_county_routing():
            range_only = _timed(page)
        ratio = round(range_only["p95_ms"] / routed["p95_ms"], 2)
        results[label] = {"with_county": routed, "range_only": range_only, "range_only_over_with_county_p95": ratio}
        print(
            f"  bench_county   {label:<17} with county_code p95 {routed['p95_ms']:7.1f} ms  "
            f"range only p95 {range_only['p95_ms']:7.1f} ms  ({ratio}×)"
        )
    results["deep_depth"] = depth
    return results
