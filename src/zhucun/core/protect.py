"""Protecting personal numbers: ID numbers, phones and bank accounts are stored as
ciphertext, found by a keyed hash, and shown masked. One place decides what a masked
value looks like, and revealing a value is an audited act (see ``service.reveal``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from zhucun.config import Settings
from zhucun.core import idnumbers
from zhucun.core.crypto import Keyring, keyring_for


def mask_phone(phone: str | None) -> str | None:
    """138****5678: the operator prefix and the last four digits."""
    if not phone:
        return None
    digits = phone if phone.isdigit() else re.sub(r"\D", "", phone)
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) <= 7:
        return "*" * (len(digits) - 4) + digits[-4:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_bank(account: str | None) -> str | None:
    """**** **** 1234: only the last four digits of a bank account."""
    if not account:
        return None
    digits = account if account.isdigit() else re.sub(r"\s", "", account)
    return "**** " + digits[-4:] if len(digits) > 4 else "****"


def mask_ids(normalized: Sequence[str]) -> list[str]:
    """``idnumbers.mask`` over a column of 18-character numbers, without its per-value parsing."""
    return [value[:6] + "********" + value[14:] if len(value) == 18 else idnumbers.mask(value) for value in normalized]


@dataclass(frozen=True)
class Protected:
    cipher: bytes | None
    hash: str | None
    masked: str | None


class Protector:
    """Encrypts, hashes and masks with the keys of one key directory."""

    def __init__(self, keyring: Keyring):
        self.keyring = keyring

    @classmethod
    def of(cls, settings: Settings) -> Protector:
        return cls(keyring_for(settings.key_dir))

    def id_number(self, normalized: str | None) -> Protected:
        if not normalized:
            return Protected(None, None, None)
        return Protected(
            self.keyring.encrypt(normalized), self.keyring.lookup_hash(normalized), idnumbers.mask(normalized)
        )

    def id_numbers(
        self,
        normalized: Sequence[str],
        hashes: Sequence[str] | None = None,
    ) -> tuple[list[bytes], list[str], list[str]]:
        """The same for a whole import at once (one cipher object, no per-row set-up);
        ``hashes`` already computed (to find people registered before) are reused."""
        return (
            self.keyring.encrypt_many(normalized),
            list(hashes) if hashes is not None else self.keyring.hash_many(normalized),
            mask_ids(normalized),
        )

    def id_hashes(self, normalized: Sequence[str]) -> list[str]:
        """Lookup hashes alone: an import finds people already registered before it writes."""
        return self.keyring.hash_many(normalized)

    def phones(self, phones: Sequence[str | None]) -> tuple[list[bytes | None], list[str | None]]:
        """Ciphertexts and masked forms of a column of phone numbers (None stays None)."""
        return self._many(phones, mask_phone)

    def banks(self, accounts: Sequence[str | None]) -> tuple[list[bytes | None], list[str | None]]:
        return self._many(accounts, mask_bank)

    def _many(
        self,
        values: Sequence[str | None],
        mask: Callable[[str], str | None],
    ) -> tuple[list[bytes | None], list[str | None]]:
        present = [i for i, value in enumerate(values) if value]
        ciphers: list[bytes | None] = [None] * len(values)
        masked: list[str | None] = [None] * len(values)
        for i, blob in zip(present, self.keyring.encrypt_many([values[i] for i in present])):  # type: ignore[misc]
            ciphers[i], masked[i] = blob, mask(values[i])  # type: ignore[arg-type]
        return ciphers, masked

    def phone(self, phone: str | None) -> Protected:
        if not phone:
            return Protected(None, None, None)
        return Protected(self.keyring.encrypt(phone), None, mask_phone(phone))

    def bank(self, account: str | None) -> Protected:
        if not account:
            return Protected(None, None, None)
        return Protected(self.keyring.encrypt(account), None, mask_bank(account))

    def lookup(self, raw_id: str) -> str | None:
        """The lookup hash of an ID number typed in a search box, or None if it is not one."""
        check = idnumbers.check(raw_id)
        return self.keyring.lookup_hash(check.normalized) if check.valid and check.normalized else None

    def reveal(self, cipher: bytes | None) -> str | None:
        return self.keyring.decrypt(cipher) if cipher else None
