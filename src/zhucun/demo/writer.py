"""Writing a generated county into the database in bulk, in the caller's transaction.

Ids come in blocks (``core.ids.allocate``), personal numbers are encrypted, hashed and
masked a county at a time, and rows go out through ``core.bulk.copy_rows`` (binary COPY
on PostgreSQL, executemany on SQLite): no ORM object is ever made for a row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from itertools import repeat
from typing import Any

import numpy as np
from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from zhucun.accounts.units.models import Unit, UnitPairing
from zhucun.core.protect import Protector, mask_bank, mask_phone
from zhucun.registry.kinship.models import KinRelation
from zhucun.registry.models import Household, HouseholdBenefit, HouseholdIncome, Member
from zhucun.registry.officials.models import VillageOfficial
from zhucun.selection.cadres.models import Cadre, CadrePosting

from ..core.bulk import copy_rows
from ..core.ids import allocate
from ..divisions.models import FLAGS, Division, VillageGroup
from . import identity
from .cadres import POSITIONS, ROTATION, Teams
from .register import Register

TABLES: tuple[Table, ...] = tuple(
    m.__table__
    for m in (  # type: ignore[attr-defined]
        Household,
        Member,
        HouseholdIncome,
        HouseholdBenefit,
        VillageOfficial,
        KinRelation,
        Cadre,
        CadrePosting,
    )
)
_FLAG_DEFAULTS = dict.fromkeys(FLAGS, False)


class Writer:
    """Streams counties into one session; remembers the provinces and prefectures written."""

    def __init__(self, session: Session, protector: Protector, now: datetime):
        self.session = session
        self.protector = protector
        self.now = now
        self.binary = session.get_bind().dialect.name == "postgresql"
        self.written: set[str] = set()

    def divisions(self, rows: list[dict[str, Any]], groups: list[dict[str, Any]]) -> None:
        upper = [r["code"] for r in rows if r["level"] in ("province", "prefecture") and r["code"] not in self.written]
        existing = set(self.session.scalars(select(Division.code).where(Division.code.in_(upper)))) if upper else set()
        fresh = [{**_FLAG_DEFAULTS, **r} for r in rows if r["code"] not in existing and r["code"] not in self.written]
        self.written.update(upper)
        self.session.execute(insert(Division), fresh)
        if groups:
            self.session.execute(insert(VillageGroup), groups)

    def units(self, units: list[dict[str, str]], county_code: str) -> list[int]:
        ids = [
            self.session.scalar(insert(Unit).values(**u, division_code=county_code).returning(Unit.id)) for u in units
        ]
        self.session.execute(insert(UnitPairing), [{"unit_id": uid, "division_code": county_code} for uid in ids])
        return ids

    def county(
        self, reg: Register, teams: Teams, rng: np.random.Generator
    ) -> tuple[dict[str, int], dict[str, np.ndarray]]:
        """Every registry row of one county: how many rows went to each table, and the ids
        given to the households and members (by their index in the register)."""
        county = reg.spec.prefix
        member_ids, cadre_ids = self._id_numbers(rng, reg, teams)
        household_id = self._ids(Household, reg.households)
        member_id = self._ids(Member, reg.members)
        counts = {
            "households": self._copy(Household, county, self._households(rng, reg, household_id)),
            "members": self._copy(Member, county, self._members(reg, household_id, member_id, member_ids)),
            "incomes": self._copy(HouseholdIncome, county, self._incomes(reg, household_id)),
            "benefits": self._copy(HouseholdBenefit, county, self._benefits(reg, household_id)),
            "officials": self._copy(VillageOfficial, county, self._officials(reg, member_id)),
            "kin": self._copy(KinRelation, county, self._kin(reg, member_id)),
        }
        counts["cadres"], counts["postings"] = self._teams(rng, reg, teams, cadre_ids, county)
        return counts, {"household": household_id, "member": member_id}

    # Each table: a dict of columns (lists or constants) in one place, zipped into rows.

    def _households(self, rng: np.random.Generator, reg: Register, ids: np.ndarray) -> dict[str, Any]:
        n = reg.households
        codes = [v["code"] for v in reg.villages]
        village_code = np.array(codes, dtype="<U12")[reg.village]
        width = max(4, len(str(int(reg.number.max(initial=0)))))
        phones = identity.phones(rng, n)
        has_phone = (rng.random(n) < 0.92).tolist()
        banked = ((reg.status != "00") | (reg.attribute != "1") | (rng.random(n) < 0.3)).tolist()
        banks = identity.bank_accounts(rng, n)
        phone_plain = [ph if has else None for ph, has in zip(phones, has_phone)]
        bank_plain = [b if has else None for b, has in zip(banks, banked)]
        return {
            "id": ids.tolist(),
            "household_no": np.char.add(village_code, np.char.zfill(reg.number.astype(str), width)).tolist(),
            "village_code": village_code.tolist(),
            "group_number": _none_if(reg.group, 0),
            "head_name": [reg.name[i] for i in reg.comp.start.tolist()],
            "member_count": reg.comp.size.tolist(),
            "address": self._addresses(reg),
            "phone_cipher": self._encrypt(phone_plain),
            "phone_masked": [mask_phone(v) for v in phone_plain],
            "bank_cipher": self._encrypt(bank_plain),
            "bank_masked": [mask_bank(v) for v in bank_plain],
            "attribute": reg.attribute.tolist(),
            "status": reg.status.tolist(),
            "main_cause": _none_if(reg.main_cause, ""),
            "other_causes": _none_if(reg.other_causes, ""),
            "registered_year": _none_if(reg.registered_year, 0),
            "exited_year": _none_if(reg.exited_year, 0),
            "housing_safe": reg.housing_safe.tolist(),
            "water_safe": reg.water_safe.tolist(),
            "cultivated_land_mu": _decimals(reg.land),
            "forest_land_mu": _decimals(reg.forest),
            "productive_assets": reg.assets.astype(np.int64).tolist(),
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _members(self, reg: Register, household_id: np.ndarray, ids: np.ndarray, numbers: list[str]) -> dict[str, Any]:
        person, comp = reg.people, reg.comp
        cipher, hashes = self.protector.keyring.encrypt_many(numbers), self.protector.keyring.hash_many(numbers)
        village_code = np.array([v["code"] for v in reg.villages], dtype="<U12")[reg.village][comp.household]
        return {
            "id": ids.tolist(),
            "household_id": household_id[comp.household].tolist(),
            "village_code": village_code.tolist(),
            "relation": comp.relation.tolist(),
            "education": person.education.tolist(),
            "student": person.student.tolist(),
            "health": person.health.tolist(),
            "disability": person.disability.tolist(),
            "disability_grade": _none_if(person.disability_grade, ""),
            "labour": person.labour.tolist(),
            "migrant_months": person.migrant_months.astype(np.int64).tolist(),
            "medical_insurance": person.medical_insurance.tolist(),
            "pension_insurance": person.pension_insurance.tolist(),
            "status": "1",
            "created_at": self.now,
            "updated_at": self.now,
            "name": reg.name,
            # identity.masks gives what idnumbers.mask would, for a county at a time.
            "id_cipher": cipher,
            "id_hash": hashes,
            "id_masked": identity.masks(numbers),
            "gender": np.where(comp.male, "1", "2").tolist(),
            "birth_date": reg.birth.tolist(),
            "ethnicity": person.ethnicity.tolist(),
        }

    def _incomes(self, reg: Register, household_id: np.ndarray) -> dict[str, Any]:
        inc = reg.incomes
        return {
            "household_id": household_id[inc.household].tolist(),
            "year": inc.year.tolist(),
            **{
                name: getattr(inc, name).astype(np.int64).tolist()
                for name in ("wage", "production", "property", "transfer", "production_costs")
            },
        }

    def _benefits(self, reg: Register, household_id: np.ndarray) -> dict[str, Any]:
        b = reg.benefits
        ids = self._ids(HouseholdBenefit, len(b.household))
        codes = np.array([v["code"] for v in reg.villages], dtype="<U12")
        granted = (b.year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + b.day.astype("timedelta64[D]")
        return {
            "id": ids.tolist(),
            "household_id": household_id[b.household].tolist(),
            "village_code": codes[reg.village[b.household]].tolist(),
            "year": b.year.tolist(),
            "program": b.program.tolist(),
            "amount": b.amount.astype(np.int64).tolist(),
            "granted_on": granted.tolist(),
            "note": None,
        }

    def _officials(self, reg: Register, member_id: np.ndarray) -> dict[str, Any]:
        o = reg.officials
        codes = [v["code"] for v in reg.villages]
        return {
            "id": self._ids(VillageOfficial, len(o.member)).tolist(),
            "member_id": member_id[o.member].tolist() if o.member else [],
            "village_code": [codes[v] for v in o.village],
            "post": o.post,
            "term_start": o.term_start,
            "term_end": o.term_end,
        }

    def _kin(self, reg: Register, member_id: np.ndarray) -> dict[str, Any]:
        o = reg.officials
        return {
            "member_a": member_id[o.kin_a].tolist() if o.kin_a else [],
            "member_b": member_id[o.kin_b].tolist() if o.kin_b else [],
            "kind": o.kin_kind,
            "note": o.kin_note,
            "created_at": self.now,
        }

    def _teams(
        self, rng: np.random.Generator, reg: Register, t: Teams, numbers: list[str], county: str
    ) -> tuple[int, int]:
        n = len(t.unit)
        if not n:
            return 0, 0
        ids = self._ids(Cadre, n)
        codes = [v["code"] for v in reg.villages]
        phones = identity.phones(rng, n)
        cadres = {
            "id": ids.tolist(),
            "education": t.education.tolist(),
            "speciality": t.speciality.tolist(),
            "party_member": t.party_member.tolist(),
            "party_joined": t.party_joined,
            "work_started": t.work_started,
            "rank": t.rank.tolist(),
            "position": [POSITIONS.get(r, "科员") for r in t.rank.tolist()],
            "unit_id": t.unit.astype(np.int64).tolist(),
            "health": "1",
            "division_code": [codes[v] if v >= 0 else reg.spec.code for v in t.posted.tolist()],
            "created_at": self.now,
            "updated_at": self.now,
            "name": _cadre_names(rng, t),
            "id_cipher": self.protector.keyring.encrypt_many(numbers),
            "id_hash": self.protector.keyring.hash_many(numbers),
            "id_masked": identity.masks(numbers),
            "gender": np.where(t.male, "1", "2").tolist(),
            "birth_date": t.birth.tolist(),
            "ethnicity": "01",
            "phone_cipher": self._encrypt(phones),
            "phone_masked": [mask_phone(v) for v in phones],
        }
        postings = {
            "id": self._ids(CadrePosting, n).tolist(),
            "cadre_id": ids.tolist(),
            "village_code": [codes[v] for v in t.village.tolist()],
            "role": t.role.tolist(),
            "start_date": t.start,
            "end_date": t.end,
            "end_reason": [ROTATION if e else None for e in t.end],
        }
        return self._copy(Cadre, county, cadres), self._copy(CadrePosting, county, postings)

    def _id_numbers(self, rng: np.random.Generator, reg: Register, t: Teams) -> tuple[list[str], list[str]]:
        """Members' and cadres' numbers drawn together, so that none repeats in the county."""
        region = np.concatenate([np.full(reg.members, int(reg.spec.prefix)), t.region])
        numbers = identity.id_numbers(
            rng, region, np.concatenate([reg.birth, t.birth]), np.concatenate([reg.comp.male, t.male])
        )
        return numbers[: reg.members], numbers[reg.members :]

    def _addresses(self, reg: Register) -> list[str]:
        return [
            f"{reg.places[v]}{g}组{no}号" if g else f"{reg.places[v]}{no}号"
            for v, g, no in zip(reg.village.tolist(), reg.group.tolist(), reg.number.tolist())
        ]

    def _encrypt(self, values: list[str | None]) -> list[bytes | None]:
        present = [v for v in values if v is not None]
        sealed = iter(self.protector.keyring.encrypt_many(present))
        return [next(sealed) if v is not None else None for v in values]

    def _ids(self, model: Any, count: int) -> np.ndarray:
        if not count:
            return np.zeros(0, dtype=np.int64)
        first = allocate(self.session, model.__tablename__, count)
        return np.arange(first, first + count, dtype=np.int64)

    def _copy(self, model: Any, county: str, columns: dict[str, Any]) -> int:
        """Rows of ``columns`` (lists, or one value for every row) with the county key first."""
        length = next((len(v) for v in columns.values() if isinstance(v, list)), 0)
        values = [v if isinstance(v, list) else repeat(v, length) for v in columns.values()]
        rows = zip(repeat(county, length), *values)
        return copy_rows(self.session, model.__table__, ["county_code", *columns], rows, binary=self.binary)


@contextmanager
def deferred_indexes(session: Session, tables: Sequence[Table] = TABLES) -> Iterator[bool]:
    """Load first, index afterwards, as pg_restore does: when every table is empty, drop
    their secondary indexes (and on PostgreSQL their unique and foreign keys) for the load
    and build them again at the end, in the same transaction. Yields whether it did."""
    if any(session.execute(select(text("1")).select_from(t).limit(1)).first() for t in tables):
        yield False
        return
    postgresql = session.get_bind().dialect.name == "postgresql"
    indexes = [ix for t in tables for ix in t.indexes]
    constraints = [
        c
        for t in tables
        for c in t.constraints
        if postgresql and c.name and c.__visit_name__ in ("unique_constraint", "foreign_key_constraint")
    ]
    connection = session.connection()
    for constraint in constraints:
        connection.execute(DropConstraint(constraint))
    for index in indexes:
        connection.execute(DropIndex(index))
    yield True
    for index in indexes:
        connection.execute(CreateIndex(index))
    for constraint in sorted(constraints, key=lambda c: c.__visit_name__ == "foreign_key_constraint"):
        connection.execute(AddConstraint(constraint))


def _none_if(values: np.ndarray, empty: Any) -> list[Any]:
    return [None if v == empty else v for v in values.tolist()]


def _decimals(values: np.ndarray) -> list[Decimal]:
    # Tenths of a mu as integers, so that no float reaches a numeric column.
    return [Decimal(v).scaleb(-1) for v in np.rint(values * 10).astype(np.int64).tolist()]


def _cadre_names(rng: np.random.Generator, t: Teams) -> list[str]:
    from . import names

    birth_year = t.birth.astype("datetime64[Y]").astype(np.int64) + 1970
    return names.full_names(rng, names.surnames(rng, len(t.unit)), t.male, birth_year, np.full(len(t.unit), "01"))
