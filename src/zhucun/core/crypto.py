"""Encryption and lookup hashes for personal data: ID numbers now, phones and bank accounts later.

Keys live in files under ``settings.key_dir``, never in the database, so that a dump of
the database reveals neither the numbers nor a way to test guesses against their hashes:

- ``enc-<version>.key``: AES-256-GCM keys; the highest version encrypts, all decrypt;
- ``lookup.key``: the HMAC-SHA256 key of lookup hashes. It is never rotated with the
  encryption keys, since every stored hash would have to be recomputed.
- ``audit.key``: the HMAC-SHA256 key that seals the heads of the audit trail's hash chains,
  so that whoever can write to the database still cannot rewrite a chain unnoticed.

A blob is ``FORMAT (1 byte) | key version (2 bytes, big-endian) | nonce (12) | ciphertext+tag``;
its first three bytes are bound to the ciphertext as associated data.
"""

from __future__ import annotations

import base64
import os
import re
import struct
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC

from ..config import get_settings

FORMAT = 1
HEADER = struct.Struct(">BH")
NONCE_SIZE = 12
TAG_SIZE = 16
KEY_SIZE = 32
LOOKUP_FILE = "lookup.key"
AUDIT_FILE = "audit.key"
ENC_FILE = re.compile(r"enc-(\d+)\.key")


class CryptoError(Exception):
    """A blob that cannot be read back: damaged, altered, or under a key that is missing."""


class Keyring:
    """The keys of one key directory, with the cipher objects made once and reused."""

    def __init__(self, key_dir: Path, enc_keys: dict[int, bytes], lookup_key: bytes) -> None:
        if not enc_keys:
            raise CryptoError(f"no encryption key in {key_dir}")
        self.key_dir = key_dir
        self._ciphers = {version: AESGCM(key) for version, key in enc_keys.items()}
        self._hmac = HMAC(lookup_key, hashes.SHA256())

    @classmethod
    def load(cls, key_dir: Path | str) -> Keyring:
        """The keys already in ``key_dir``; CryptoError when there are none."""
        key_dir = Path(key_dir)
        enc_keys = {
            int(match.group(1)): _read_key(path)
            for path in key_dir.glob("enc-*.key")
            if (match := ENC_FILE.fullmatch(path.name))
        }
        lookup = key_dir / LOOKUP_FILE
        if not lookup.exists():
            raise CryptoError(f"no lookup key in {key_dir}")
        return cls(key_dir, enc_keys, _read_key(lookup))

    @classmethod
    def load_or_create(cls, key_dir: Path | str) -> Keyring:
        """The keys in ``key_dir``, made on first use (directory 0700, files 0600)."""
        key_dir = Path(key_dir)
        _make_private_dir(key_dir)
        # A concurrent first start may win either race; its key is then the one kept.
        _write_new_key(key_dir / LOOKUP_FILE)
        if not any(ENC_FILE.fullmatch(path.name) for path in key_dir.glob("enc-*.key")):
            _write_new_key(key_dir / "enc-1.key")
        return cls.load(key_dir)

    @property
    def current_version(self) -> int:
        return max(self._ciphers)

    @property
    def versions(self) -> list[int]:
        return sorted(self._ciphers)

    def rotate(self) -> int:
        """Add an encryption key and make it current; the older ones stay to decrypt."""
        while not _write_new_key(self.key_dir / f"enc-{self.current_version + 1}.key"):
            self._reload()  # another process rotated first: go one past its key
        self._reload()
        return self.current_version

    def encrypt(self, plaintext: str) -> bytes:
        return self.encrypt_many([plaintext])[0]

    def encrypt_many(self, plaintexts: Iterable[str]) -> list[bytes]:
        """Encrypt a whole column under the current key, with one random nonce each."""
        values = list(plaintexts)
        version = self.current_version
        header = HEADER.pack(FORMAT, version)
        seal = self._ciphers[version].encrypt
        # Random 96-bit nonces are safe for about 2**32 blobs per key: rotate long before.
        pool = os.urandom(NONCE_SIZE * len(values))
        nonces = [pool[i : i + NONCE_SIZE] for i in range(0, len(pool), NONCE_SIZE)]
        return [header + nonce + seal(nonce, value.encode("utf-8"), header) for nonce, value in zip(nonces, values)]

    def decrypt(self, blob: bytes) -> str:
        blob = bytes(blob)
        cipher = self._cipher(key_version(blob))
        body = HEADER.size + NONCE_SIZE
        try:
            plain = cipher.decrypt(blob[HEADER.size : body], blob[body:], blob[: HEADER.size])
        except InvalidTag:
            raise CryptoError("the blob was altered or does not belong to this key") from None
        return plain.decode("utf-8")

    def decrypt_many(self, blobs: Iterable[bytes]) -> list[str]:
        return [self.decrypt(blob) for blob in blobs]

    def reencrypt(self, blob: bytes) -> bytes:
        """The same plaintext under the current key; a blob already there is returned as is."""
        if key_version(blob) == self.current_version:
            return bytes(blob)
        return self.encrypt(self.decrypt(blob))

    def lookup_hash(self, value: str) -> str:
        """Hex HMAC-SHA256 of an already normalised value, for finding equal values."""
        return self.hash_many([value])[0]

    def hash_many(self, values: Iterable[str]) -> list[str]:
        base = self._hmac
        digests = []
        for value in values:
            mac = base.copy()  # copying skips the key setup that HMAC() does each time
            mac.update(value.encode("utf-8"))
            digests.append(mac.finalize().hex())
        return digests

    def _cipher(self, version: int) -> AESGCM:
        if version not in self._ciphers:
            self._reload()  # another process may have rotated since this one started
        if version not in self._ciphers:
            raise CryptoError(f"no encryption key of version {version} in {self.key_dir}")
        return self._ciphers[version]

    def _reload(self) -> None:
        fresh = Keyring.load(self.key_dir)
        self._ciphers, self._hmac = fresh._ciphers, fresh._hmac


def key_version(blob: bytes) -> int:
    """The version of the key that encrypted ``blob``."""
    if len(blob) < HEADER.size + NONCE_SIZE + TAG_SIZE:
        raise CryptoError("the blob is too short to be one")
    form, version = HEADER.unpack_from(blob)
    if form != FORMAT:
        raise CryptoError(f"unknown blob format {form}")
    return int(version)


def default_keyring() -> Keyring:
    """The keyring of ``settings.key_dir``, made on first use."""
    return _keyring_at(get_settings().key_dir.resolve())


def keyring_for(key_dir: Path | str) -> Keyring:
    """The keyring of a key directory (made on first use), shared by every caller."""
    return _keyring_at(Path(key_dir).resolve())


@lru_cache
def _keyring_at(key_dir: Path) -> Keyring:
    return Keyring.load_or_create(key_dir)


def audit_key(key_dir: Path | str) -> bytes:
    """The key sealing the audit trail's chain heads, made on first use like the others."""
    return _audit_key_at(Path(key_dir).resolve())


@lru_cache
def _audit_key_at(key_dir: Path) -> bytes:
    _make_private_dir(key_dir)
    _write_new_key(key_dir / AUDIT_FILE)
    return _read_key(key_dir / AUDIT_FILE)


def _make_private_dir(key_dir: Path) -> None:
    if not key_dir.is_dir():
        key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        key_dir.chmod(0o700)  # mkdir's mode is cut by the umask


def _read_key(path: Path) -> bytes:
    try:
        key = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except ValueError:
        raise CryptoError(f"{path} does not hold a key") from None
    if len(key) != KEY_SIZE:
        raise CryptoError(f"{path} does not hold a {KEY_SIZE}-byte key")
    return key


def _write_new_key(path: Path) -> bool:
    """Write a fresh random key to ``path`` unless it exists; whether this call wrote it.

    The key is written whole to a private temporary file (mkstemp makes it 0600) and then
    hard-linked into place, which fails if the name is taken: a reader never sees half a
    key, and two processes never overwrite each other's.
    """
    if path.exists():
        return False
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-", suffix=".key")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(base64.b64encode(os.urandom(KEY_SIZE)).decode("ascii") + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(temporary)
    _fsync_dir(path.parent)  # losing a key after a crash would lose the data under it
    return True


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
