"""The audit trail's hash chains: ``zhucun audit verify`` on a committed database that is then
tampered with behind the application's back, the verify API and page, and the audit list."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select, text

from tests.factories.cli import count_rows, execute, scalar
from tests.factories.world import World
from zhucun.core import audit
from zhucun.core.audit import GENESIS, AuditEntry, AuditHead, canonical
from zhucun.core.db import make_engine

NBS_FURONG = Path(__file__).parent.parent / "divisions" / "data" / "nbs_430102_furong.csv"
A = "522799"
PASSWORD = "Chain2026pass"


# --- zhucun audit verify -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def chain_db(fresh_database, cli) -> str:
    """A committed database after some actions: init, the demo county, a table import."""
    url = fresh_database("chain")
    run = cli(url)
    for args in (
        ("init", "--admin", "root", "--password", PASSWORD),
        ("demo", "--seed", "1"),
        ("divisions", "import", str(NBS_FURONG)),
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
    return url


@pytest.fixture
def pristine(chain_db: str) -> Iterator[str]:
    """The chain database; whatever a test does to the trail is undone afterwards."""
    engine = make_engine(chain_db)
    tables = (AuditEntry.__table__, AuditHead.__table__)
    with engine.connect() as connection:
        saved = {t.name: [dict(r._mapping) for r in connection.execute(select(t))] for t in tables}
    yield chain_db
    with engine.begin() as connection:
        for table in tables:
            connection.execute(delete(table))
            connection.execute(insert(table), saved[table.name])
    engine.dispose()


def last_seq(url: str, county: str = A) -> int:
    return scalar(url, "SELECT max(seq) FROM audit_entries WHERE county_code = :c", c=county)


def test_an_untouched_trail_verifies(cli, pristine):
    result = cli(pristine)("audit", "verify")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"审计日志完整：已校验 {count_rows(pristine, 'audit_entries')} 条记录。"
    english = cli(pristine)("audit", "verify", lang="en")
    assert (
        english.stdout.strip() == f"The audit trail is intact: {count_rows(pristine, 'audit_entries')} entries checked."
    )


@pytest.mark.parametrize(
    "change",
    [
        "reason = '无'",
        "actor_name = 'someone'",
        "division_code = '522799101000'",
        "after = NULL",
        "at = at",
        "prev_hash = hash",
    ],
    ids=["reason", "actor", "division", "after", "unchanged", "prev_hash"],
)
def test_a_changed_entry_is_detected_and_named(cli, pristine, change):
    execute(pristine, f"UPDATE audit_entries SET {change} WHERE county_code = '{A}' AND seq = 3")
    result = cli(pristine)("audit", "verify")
    if change == "at = at":  # an UPDATE that changes nothing is no tampering
        assert result.exit_code == 0
        return
    assert result.exit_code == 1
    assert f"记录 {A}-3 异常" in result.stderr


def test_a_changed_entry_is_named_in_english(cli, pristine):
    execute(pristine, f"UPDATE audit_entries SET reason = 'covered up' WHERE county_code = '{A}' AND seq = 2")
    result = cli(pristine)("audit", "verify", lang="en")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Entry {A}-2 is bad: content does not match its hash"


def test_a_deleted_middle_entry_is_detected_and_named(cli, pristine):
    execute(pristine, f"DELETE FROM audit_entries WHERE county_code = '{A}' AND seq = 3")
    result = cli(pristine)("audit", "verify", lang="en")
    assert result.exit_code == 1
    assert f"{A}-3" in result.stderr  # "Entry 522799-4 is bad: sequence gap: expected 522799-3"
    assert "sequence gap" in result.stderr


def test_a_deleted_last_entry_is_detected_and_named(cli, pristine):
    last = last_seq(pristine)
    execute(pristine, f"DELETE FROM audit_entries WHERE county_code = '{A}' AND seq = {last}")
    result = cli(pristine)("audit", "verify")
    assert result.exit_code == 1
    assert f"记录 {A}-{last} 异常" in result.stderr


def forge(url: str, county: str, seq: int, prev_hash: str) -> None:
    """Append an entry as a tamperer who knows the hashing would: every hash computed right."""
    engine = make_engine(url)
    with engine.begin() as connection:
        template = connection.execute(
            select(AuditEntry.__table__).where(AuditEntry.county_code == A).order_by(AuditEntry.seq)
        ).first()
        entry = AuditEntry(
            **{
                **template._mapping,
                "county_code": county,
                "seq": seq,
                "prev_hash": prev_hash,
                "action": "division:division:updated",
                "reason": "补录",
            }
        )
        entry.hash = entry.compute_hash()
        connection.execute(
            insert(AuditEntry.__table__), {c.name: getattr(entry, c.name) for c in AuditEntry.__table__.columns}
        )
    engine.dispose()


def test_an_inserted_entry_is_detected_and_named_even_with_valid_hashes(cli, pristine):
    last = last_seq(pristine)
    forge(
        pristine,
        A,
        last + 1,
        scalar(pristine, f"SELECT hash FROM audit_entries WHERE county_code = '{A}' AND seq = {last}"),
    )
    result = cli(pristine)("audit", "verify")
    assert result.exit_code == 1
    assert f"记录 {A}-{last + 1} 异常" in result.stderr


def test_an_inserted_entry_in_the_middle_is_detected_and_named(cli, pristine):
    # Make room at seq 3 and put a copy of entry 2 there: its previous hash is entry 1's.
    execute(pristine, f"UPDATE audit_entries SET seq = seq + 1000 WHERE county_code = '{A}' AND seq >= 3")
    execute(pristine, f"UPDATE audit_entries SET seq = seq - 999 WHERE county_code = '{A}' AND seq >= 1003")
    execute(
        pristine,
        "INSERT INTO audit_entries SELECT county_code, 3, at, actor_id, actor_name, via, ip, action, "
        "entity, entity_id, division_code, before, after, reason, prev_hash, hash FROM audit_entries "
        f"WHERE county_code = '{A}' AND seq = 2",
    )
    result = cli(pristine)("audit", "verify")
    assert result.exit_code == 1
    assert f"记录 {A}-3 异常" in result.stderr


def test_a_forged_chain_without_a_head_is_detected(cli, pristine):
    forge(pristine, "522700", 1, GENESIS)
    result = cli(pristine)("audit", "verify")
    assert result.exit_code == 1
    assert "记录 522700-1 异常" in result.stderr


def test_each_broken_chain_is_named(cli, pristine):
    execute(pristine, f"UPDATE audit_entries SET reason = 'x' WHERE county_code = '{A}' AND seq = 2")
    execute(pristine, "UPDATE audit_entries SET reason = 'y' WHERE county_code = '000000' AND seq = 1")
    result = cli(pristine)("audit", "verify")
    assert result.exit_code == 1
    assert "记录 000000-1 异常" in result.stderr and f"记录 {A}-2 异常" in result.stderr


def rewrite_chain(url: str, county: str = A) -> None:
    """Rewrite a whole chain as a tamperer with write access to the database would: change an
    entry, then recompute every plain SHA-256 hash after it and the head's, in SQL."""
    engine = make_engine(url)
    with engine.begin() as connection:
        rewrite_rows(connection, county)
    engine.dispose()


def rewrite_rows(connection, county: str) -> None:
    rows = connection.execute(
        select(AuditEntry.__table__).where(AuditEntry.county_code == county).order_by(AuditEntry.seq)
    ).all()
    prev = GENESIS
    for row in rows:
        entry = AuditEntry(**{**row._mapping, "prev_hash": prev})
        if entry.seq == 2:
            entry.reason = "从未发生"
        prev = hashlib.sha256(canonical(entry.content()).encode()).hexdigest()
        connection.execute(
            text("UPDATE audit_entries SET reason = :r, prev_hash = :p, hash = :h WHERE county_code = :c AND seq = :s"),
            {"r": entry.reason, "p": entry.prev_hash, "h": prev, "c": county, "s": entry.seq},
        )
    connection.execute(text("UPDATE audit_heads SET hash = :h WHERE county_code = :c"), {"h": prev, "c": county})


def test_a_whole_chain_rewritten_with_plain_hashes_is_detected(cli, pristine):
    rewrite_chain(pristine)
    result = cli(pristine)("audit", "verify", lang="en")
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Entry {A}-{last_seq(pristine)} is bad: chain head's seal does not match: the chain was rewritten"
    )
    assert "000000" not in result.stderr  # the other chains are intact


def test_a_removed_seal_is_detected(cli, pristine):
    execute(pristine, f"UPDATE audit_heads SET mac = NULL WHERE county_code = '{A}'")
    result = cli(pristine)("audit", "verify", lang="en")
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == f"Entry {A}-{last_seq(pristine)} is bad: chain head is not sealed with the audit key"
    )


def test_a_seal_under_another_key_is_detected(cli, pristine, tmp_path):
    result = cli(pristine)("audit", "verify", lang="en", env={"ZHUCUN_KEY_DIR": str(tmp_path / "other")})
    assert result.exit_code == 1
    assert f"Entry {A}-{last_seq(pristine)} is bad: chain head's seal does not match" in result.stderr


def test_sealing_reseals_intact_chains_only_and_is_audited(cli, pristine):
    execute(pristine, f"UPDATE audit_heads SET mac = NULL WHERE county_code = '{A}'")
    execute(pristine, "UPDATE audit_entries SET reason = 'x' WHERE county_code = '000000' AND seq = 1")
    execute(pristine, "UPDATE audit_heads SET mac = NULL WHERE county_code = '000000'")
    last = last_seq(pristine)
    result = cli(pristine)("audit", "seal", "--reason", "升级后首次封存", lang="en")
    assert result.exit_code == 1
    assert result.stdout.strip() == f"Chain {A} sealed."
    assert result.stderr.strip() == "Entry 000000-1 is bad: content does not match its hash"
    sealed = scalar(
        pristine, f"SELECT action || ' ' || reason FROM audit_entries WHERE county_code = '{A}' AND seq = {last + 1}"
    )
    assert sealed == "audit:chain:sealed 升级后首次封存"
    verified = cli(pristine)("audit", "verify", lang="en")
    assert verified.stderr.strip() == "Entry 000000-1 is bad: content does not match its hash"


# --- the verify API and page -------------------------------------------------------------------


def entries_in(session, county: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.county_code == county))


def test_the_verify_api_checks_the_auditors_county(api, session, world: World):
    jiwei = api("jiwei")
    entries = entries_in(session, A)
    body = jiwei.get("/api/v1/audit/verify").json()
    assert body == {"ok": True, "checked": entries, "findings": []}
    # The check itself is recorded, after the entries it checked.
    assert entries_in(session, A) == entries + 1
    session.execute(text(f"UPDATE audit_entries SET reason = '改过' WHERE county_code = '{A}' AND seq = 2"))
    body = jiwei.get("/api/v1/audit/verify").json()
    assert (body["ok"], [f["ref"] for f in body["findings"]]) == (False, [f"{A}-2"])
    assert body["findings"][0]["problem"] == "内容与其哈希值不符"
    english = jiwei.get("/api/v1/audit/verify", headers={"Accept-Language": "en"}).json()
    assert english["findings"][0]["problem"] == "content does not match its hash"


def test_the_verify_api_detects_a_rewritten_chain_even_after_later_entries(api, session, world: World):
    rewrite_rows(session.connection(), A)
    # A writer does not extend a seal that no longer holds: the rewrite stays visible.
    audit.record(session, actor=audit.SYSTEM, action="test:chain:later", entity="test", division=A)
    session.flush()
    session.commit()
    jiwei = api("jiwei")  # logging in is recorded too
    last = session.scalar(select(AuditHead.seq).where(AuditHead.county_code == A))
    body = jiwei.get("/api/v1/audit/verify").json()
    assert body["ok"] is False
    assert body["findings"] == [{"ref": f"{A}-{last}", "problem": "链头的封签不符：哈希链被改写过"}]


def test_an_auditor_of_county_b_verifies_only_county_b(api, session, world: World):
    session.execute(text(f"UPDATE audit_entries SET reason = '改过' WHERE county_code = '{A}' AND seq = 2"))
    auditor = api("auditor_b")  # logging in is recorded too
    entries = entries_in(session, "522798")
    body = auditor.get("/api/v1/audit/verify").json()
    assert body == {"ok": True, "checked": entries, "findings": []}


def test_the_verify_page(client, web, session):
    web("jiwei")
    entries = entries_in(session, A)
    page = client.get("/audit/verify")
    assert page.status_code == 200 and 'data-testid="verify-ok"' in page.text
    assert f"全部 {entries} 条记录完整无误。" in page.text
    session.execute(text(f"DELETE FROM audit_entries WHERE county_code = '{A}' AND seq = 2"))
    page = client.get("/audit/verify?lang=en")
    assert 'data-testid="verify-failed"' in page.text
    assert "The audit trail has been tampered with." in page.text
    assert f"<code>{A}-3</code>: sequence gap: expected {A}-2" in page.text


def test_verifying_needs_the_permission(api, client, web):
    assert api("zzb").get("/api/v1/audit/verify").status_code == 403
    web("zhen")
    assert client.get("/audit/verify").status_code == 403


# --- the audit list ----------------------------------------------------------------------------


def walk(client, params: dict, limit: int = 7) -> list[dict]:
    items, cursor = [], None
    while True:
        body = client.get(
            "/api/v1/audit", params={**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        ).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_an_auditor_of_county_b_sees_none_of_county_a(api, world: World):
    auditor_b = api("auditor_b")
    entries = walk(auditor_b, {})
    assert entries and all(e["division_code"].startswith("522798") for e in entries)
    assert {e["county_code"] for e in entries} == {"522798"}


def test_an_auditor_of_county_a_sees_none_of_county_b(api, session):
    entries = walk(api("jiwei"), {})
    assert entries and all(e["division_code"].startswith(A) for e in entries)
    in_a = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.division_code.startswith(A)))
    assert len(entries) == in_a


def test_the_list_pages_newest_first_without_repeating(api):
    entries = walk(api("admin"), {}, limit=7)
    keys = [(e["county_code"], e["seq"]) for e in entries]
    assert len(keys) == len(set(keys)) and keys == sorted(keys, reverse=True)
    assert all(e["ref"] == f"{e['county_code']}-{e['seq']}" for e in entries)


def test_the_list_filters(api, session, world: World):
    admin = api("admin")
    created = walk(admin, {"action": "account:user"})
    assert created and all(e["action"].startswith("account:user") for e in created)
    shuji_id = session.scalar(text("SELECT id FROM users WHERE username = 'shuji'"))
    about_shuji = walk(admin, {"entity": "user", "entity_id": str(shuji_id)})
    assert [e["action"] for e in about_shuji] == ["account:user:created"]
    by_admin = walk(admin, {"actor": "admin"})
    assert by_admin and {e["actor_name"] for e in by_admin} == {"admin"}
    first = min(session.scalars(select(AuditEntry.at)))
    assert walk(admin, {"until": (first - timedelta(days=1)).date().isoformat()}) == []
    assert len(walk(admin, {"since": first.date().isoformat()})) == session.scalar(
        select(func.count()).select_from(AuditEntry)
    )
    assert admin.get("/api/v1/audit", params={"since": "昨天"}).json()["field"] == "since"


def test_the_list_needs_the_permission(api):
    assert api("zzb").get("/api/v1/audit").status_code == 403
