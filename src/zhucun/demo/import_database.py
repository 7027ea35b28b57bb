"""A small database to import into, for the import tests and benchmarks: migrated, with the
demo county's divisions and one dispatching unit, and no accounts (so it is quick)."""

from __future__ import annotations


def prepare_database(url: str) -> list[str]:
    """Migrate a fresh database and load the demo county's divisions and a unit (no accounts,
    so it is quick), for tests and benchmarks; returns its villages."""
    from sqlalchemy import insert

    from zhucun.accounts.units.models import Unit
    from zhucun.core.db import Database
    from zhucun.core.migrate import upgrade
    from zhucun.demo import county
    from zhucun.divisions.models import Division, VillageGroup

    upgrade(url)
    rows, groups = county.generate(1)
    flags = dict.fromkeys(
        (
            "is_poor_village",
            "is_exited",
            "is_key_village",
            "is_weak_branch",
            "is_relocation_site",
            "is_ethnic_area",
            "is_western",
        ),
        False,
    )
    db = Database(url)
    try:
        with db.begin() as session:
            session.execute(insert(Division), [{**flags, **row} for row in rows])
            session.execute(insert(VillageGroup), groups)
            session.execute(
                insert(Unit).values(
                    name="省交通运输厅", level="provincial", kind="government", division_code=county.COUNTY[0]
                )
            )
    finally:
        db.dispose()
    return [row["code"] for row in rows if row["level"] == "village"]
