"""Keyring: AES-256-GCM blobs under versioned keys, HMAC lookup hashes, key files on disk."""

from __future__ import annotations

import hashlib
import hmac
import stat
from pathlib import Path

import pytest

from zhucun.config import get_settings
from zhucun.core import crypto
from zhucun.core.crypto import CryptoError, Keyring, key_version

ID = "11010519491231002X"


@pytest.fixture
def keyring(tmp_path: Path) -> Keyring:
    return Keyring.load_or_create(tmp_path / "keys")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip(keyring: Keyring) -> None:
    for plaintext in (ID, "", "13800138000", "6222 0202 0000 1234 567", "张三的身份证"):
        assert keyring.decrypt(keyring.encrypt(plaintext)) == plaintext


def test_the_blob_describes_itself_and_hides_the_plaintext(keyring: Keyring) -> None:
    blob = keyring.encrypt(ID)
    assert isinstance(blob, bytes)
    assert len(blob) == 1 + 2 + 12 + len(ID) + 16
    assert blob[0] == crypto.FORMAT and key_version(blob) == 1
    assert ID.encode() not in blob and ID[:6].encode() not in blob and ID[6:14].encode() not in blob
    assert keyring.encrypt(ID) != blob  # a fresh nonce every time


@pytest.mark.parametrize("where", ["format", "version", "nonce", "ciphertext", "tag"])
def test_a_flipped_byte_is_detected(keyring: Keyring, where: str) -> None:
    blob = bytearray(keyring.encrypt(ID))
    index = {"format": 0, "version": 2, "nonce": 5, "ciphertext": 20, "tag": len(blob) - 1}[where]
    blob[index] ^= 0x01
    with pytest.raises(CryptoError):
        keyring.decrypt(bytes(blob))


@pytest.mark.parametrize("blob", [b"", b"\x01\x00\x01", b"\x01\x00\x01" + bytes(27)])
def test_short_or_foreign_blobs_are_refused(keyring: Keyring, blob: bytes) -> None:
    with pytest.raises(CryptoError):
        keyring.decrypt(blob)


def test_a_blob_from_another_keyring_is_refused(keyring: Keyring, tmp_path: Path) -> None:
    other = Keyring.load_or_create(tmp_path / "other")
    with pytest.raises(CryptoError, match="altered"):
        other.decrypt(keyring.encrypt(ID))


def test_rotation(keyring: Keyring) -> None:
    old = keyring.encrypt(ID)
    assert keyring.rotate() == 2
    assert (keyring.current_version, keyring.versions) == (2, [1, 2])
    new = keyring.encrypt(ID)
    assert (key_version(old), key_version(new)) == (1, 2)
    assert keyring.decrypt(old) == keyring.decrypt(new) == ID
    moved = keyring.reencrypt(old)
    assert key_version(moved) == 2 and keyring.decrypt(moved) == ID
    assert keyring.reencrypt(new) == new


def test_a_rotation_on_disk_is_seen_by_every_keyring(keyring: Keyring) -> None:
    elsewhere = Keyring.load(keyring.key_dir)  # another process using the same keys
    old = elsewhere.encrypt(ID)
    keyring.rotate()
    new = keyring.encrypt(ID)
    assert elsewhere.decrypt(new) == ID  # loads the new key when it meets it
    assert elsewhere.current_version == 2
    assert elsewhere.rotate() == 3  # and rotates past it, never over it
    assert Keyring.load(keyring.key_dir).versions == [1, 2, 3]
    assert keyring.decrypt(old) == ID


def test_a_missing_key_version_is_reported(keyring: Keyring) -> None:
    blob = crypto.HEADER.pack(crypto.FORMAT, 9) + bytes(12 + 16 + 4)
    with pytest.raises(CryptoError, match="version 9"):
        keyring.decrypt(blob)


def test_lookup_hash_is_a_keyed_hmac_stable_across_rotation(keyring: Keyring) -> None:
    digest = keyring.lookup_hash(ID)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest != hashlib.sha256(ID.encode()).hexdigest()
    keyring.rotate()
    assert keyring.lookup_hash(ID) == digest
    assert Keyring.load_or_create(keyring.key_dir).lookup_hash(ID) == digest
    assert keyring.lookup_hash(ID[:17] + "8") != digest
    # The hash is HMAC-SHA256 under the key in lookup.key, nothing home-made.
    key = crypto._read_key(keyring.key_dir / crypto.LOOKUP_FILE)
    assert digest == hmac.new(key, ID.encode(), hashlib.sha256).hexdigest()


def test_another_lookup_key_gives_other_hashes(keyring: Keyring, tmp_path: Path) -> None:
    assert Keyring.load_or_create(tmp_path / "other").lookup_hash(ID) != keyring.lookup_hash(ID)


def test_key_files_are_private_and_kept(tmp_path: Path) -> None:
    key_dir = tmp_path / "var" / "keys"
    keyring = Keyring.load_or_create(key_dir)
    keyring.rotate()
    assert mode(key_dir) == 0o700
    names = sorted(path.name for path in key_dir.iterdir())
    assert names == ["enc-1.key", "enc-2.key", "lookup.key"]  # no temporary file left behind
    assert {mode(key_dir / name) for name in names} == {0o600}
    before = {name: (key_dir / name).read_bytes() for name in names}
    Keyring.load_or_create(key_dir)
    assert {name: (key_dir / name).read_bytes() for name in names} == before


def test_load_does_not_make_keys(tmp_path: Path) -> None:
    with pytest.raises(CryptoError, match="no lookup key"):
        Keyring.load(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_key_file_is_reported(keyring: Keyring) -> None:
    (keyring.key_dir / "enc-1.key").write_text("not base64!\n")
    with pytest.raises(CryptoError, match="does not hold a key"):
        Keyring.load(keyring.key_dir)
    (keyring.key_dir / "enc-1.key").write_text("c2hvcnQ=\n")
    with pytest.raises(CryptoError, match="32-byte key"):
        Keyring.load(keyring.key_dir)


def test_bulk_variants_agree_with_single_ones(keyring: Keyring) -> None:
    values = [f"1101051949123{i:04d}X" for i in range(2000)]
    blobs = keyring.encrypt_many(values)
    assert keyring.decrypt_many(blobs) == values
    assert len({blob[3:15] for blob in blobs}) == len(values)  # every nonce differs
    assert keyring.hash_many(values) == [keyring.lookup_hash(v) for v in values]
    assert keyring.encrypt_many([]) == [] and keyring.hash_many([]) == []


def test_default_keyring_uses_the_configured_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHUCUN_KEY_DIR", str(tmp_path / "configured"))
    get_settings.cache_clear()
    try:
        keyring = crypto.default_keyring()
        assert keyring.key_dir == (tmp_path / "configured").resolve()
        assert crypto.default_keyring() is keyring
        assert keyring.decrypt(keyring.encrypt(ID)) == ID
    finally:
        get_settings.cache_clear()
