"""Rotating the key of personal data: the census of values per key, a new current key, and
every stored value moved onto it in committed batches, resumably, with hashes unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories.cli import scalar
from zhucun.core import keys
from zhucun.core.audit import SYSTEM, AuditEntry
from zhucun.core.crypto import Keyring, key_version
from zhucun.models import metadata
from zhucun.registry.models import Household, Member


@pytest.fixture
def keyring(key_dir: Path, tmp_path: Path) -> Keyring:
    """The suite's keys copied, so that a rotation here leaves the shared ones as they are."""
    return Keyring.load(shutil.copytree(key_dir, tmp_path / "keys"))


def plaintexts(session, keyring: Keyring) -> dict[tuple[str, int], tuple[str | None, str | None]]:
    rows = session.execute(select(Member.county_code, Member.id, Member.id_cipher, Member.id_hash)).all()
    return {(c, i): (None if blob is None else keyring.decrypt(blob), digest) for c, i, blob, digest in rows}


def by_version(session) -> dict[int, int]:
    counts: dict[int, int] = {}
    for count in keys.census(session, metadata):
        counts[count.version] = counts.get(count.version, 0) + count.count
    return counts


def test_the_census_counts_every_stored_value_by_key(session, keyring):
    stored = sum(
        session.scalar(select(func.count()).where(column.is_not(None)))
        for _table, columns in keys.cipher_columns(metadata)
        for column in columns
    )
    assert stored > 0
    assert by_version(session) == {1: stored}
    names = {(t.name, c.name) for t, columns in keys.cipher_columns(metadata) for c in columns}
    assert {
        ("members", "id_cipher"),
        ("cadres", "id_cipher"),
        ("households", "phone_cipher"),
        ("households", "bank_cipher"),
    } <= names


def test_rotation_then_reencryption_keeps_every_number_and_hash(session, keyring):
    before = plaintexts(session, keyring)
    total = sum(by_version(session).values())
    assert keys.rotate(session, keyring, actor=SYSTEM, reason="年度轮换") == 2
    assert by_version(session) == {1: total}  # rotating alone rewrites nothing
    done = keys.reencrypt(session, metadata, keyring, actor=SYSTEM, batch=7)
    assert done["members"] == sum(1 for plain, _ in before.values() if plain is not None)
    assert by_version(session) == {2: total}
    assert plaintexts(session, keyring) == before  # same numbers, same lookup hashes
    blob = session.scalar(select(Household.bank_cipher).where(Household.bank_cipher.is_not(None)).limit(1))
    assert key_version(blob) == 2
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "keyring").order_by(AuditEntry.seq)
    ).all()
    assert actions == [keys.ROTATED, keys.REENCRYPTED]
    assert sum(keys.reencrypt(session, metadata, keyring, actor=SYSTEM).values()) == 0


def test_a_stopped_reencryption_loses_nothing_and_resumes(session, keyring):
    before = plaintexts(session, keyring)
    keys.rotate(session, keyring, actor=SYSTEM)

    class Stop(Exception):
        pass

    def stop_after_first(table: str, count: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        keys.reencrypt(session, metadata, keyring, actor=SYSTEM, batch=3, progress=stop_after_first)
    session.rollback()
    counts = by_version(session)
    first_table_columns = len(keys.cipher_columns(metadata)[0][1])
    # The first batch of three rows was committed, the rest left as it was.
    assert 3 <= counts[2] <= 3 * first_table_columns and counts[1] > 0
    keys.reencrypt(session, metadata, keyring, actor=SYSTEM, batch=50)
    assert set(by_version(session)) == {2}
    assert plaintexts(session, keyring) == before


def test_the_command_line_rotates_and_reports(fresh_database, cli, tmp_path):
    url = fresh_database("keys")
    env = {"ZHUCUN_KEY_DIR": str(tmp_path / "keys")}
    run = cli(url)
    assert run("demo", "--villages", "2", "--households", "60", env=env).exit_code == 0
    keyring = Keyring.load(tmp_path / "keys")
    members = scalar(url, "SELECT count(*) FROM members WHERE id_cipher IS NOT NULL")
    status = run("id", "keys", "status", lang="en", env=env)
    assert status.exit_code == 0 and f"members.id_cipher: {members} under key 1" in status.output
    assert "Every value is under the current key." in status.output
    rotated = run("id", "keys", "rotate", "--reason", "年度轮换", lang="zh_CN", env=env)
    assert rotated.exit_code == 0, rotated.output
    assert "密钥 2" in rotated.output
    after = run("id", "keys", "status", lang="en", env=env)
    assert f"members.id_cipher: {members} under key 2" in after.output and "under key 1" not in after.output
    assert Keyring.load(tmp_path / "keys").versions == [1, 2] and keyring.versions == [1]
    assert run("audit", "verify", env=env).exit_code == 0
    assert scalar(url, "SELECT count(*) FROM audit_entries WHERE entity = 'keyring'") == 2
