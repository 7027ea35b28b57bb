"""What a member file's checks need from the database, read in bulk through the engine's
lookup: the divisions it names, each village's groups, and the household numbers already
taken in its counties (each county once per import)."""

from __future__ import annotations

from sqlalchemy import select

from zhucun.core.db import chunked
from zhucun.core.imports.checks import division_codes
from zhucun.core.imports.lookup import IN_LIST, Lookup
from zhucun.core.imports.readers import Table
from zhucun.divisions.models import VillageGroup
from zhucun.registry.import_kind.rules import Facts
from zhucun.registry.models import Household

groups_table, households_table = VillageGroup.__table__, Household.__table__


class MemberFacts:
    def __init__(self, lookup: Lookup):
        self.lookup = lookup
        self.counties: set[str] = set()
        self.groups: dict[str, dict[str, int]] = {}
        self.households: set[tuple[str, str]] = set()

    def __call__(self, table: Table) -> Facts:
        lookup = self.lookup
        new = lookup.look_up(division_codes(table.values("village_code")))
        villages = [code for code in new if lookup.divisions.levels.get(code) == "village"]
        counties = {code[:6] for code in villages} - self.counties
        if villages:
            self._groups(villages)
        if counties:
            statement = select(households_table.c.county_code, households_table.c.household_no).where(
                households_table.c.county_code.in_(sorted(counties))
            )
            self.households |= set(lookup.read(statement))
            self.counties |= counties
        return Facts(lookup.divisions, self.groups, self.households)

    def _groups(self, villages: list[str]) -> None:
        for part in chunked(sorted(villages), IN_LIST):
            statement = select(groups_table.c.village_code, groups_table.c.number, groups_table.c.name).where(
                groups_table.c.village_code.in_(part)
            )
            for village, number, name in self.lookup.read(statement):
                self.groups.setdefault(village, {})[name] = number
