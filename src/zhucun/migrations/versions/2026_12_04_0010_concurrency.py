"""rules the database holds: one head per household, one open posting per cadre, one holder
of a single-holder village post, a post held once by a resident; member counts repaired

Checked in the services too, but two requests that both passed a check could both write;
these partial unique indexes refuse the second (a located 409, see core.tx.conflict).
Before they are built, rows that already break a rule (left by such races) are reported
and the upgrade stops: which member is the head, or which term is the current one, is for
a person to decide, not a migration. Member counts, derived from the roll, are recounted.

Revision ID: 20261204_0010
Revises: 20261204_0009
Create Date: 2026-11-23 23:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261204_0010"
down_revision = "20261204_0009"
branch_labels = None
depends_on = None

# Frozen here: the rules as they stand at this revision.
HEAD = "relation IN ('01', '02') AND status = '1'"
OPEN_POSTING = "end_date IS NULL"
SINGLE_OPEN = "term_end IS NULL AND post IN ('11', '21', '31')"
OPEN_TERM = "term_end IS NULL"

# name, table, columns, condition, what a breach is called in the report
INDEXES = (
    ("ix_members_one_head", "members", ("county_code", "household_id"), HEAD, "households with more than one head"),
    (
        "ix_cadre_postings_one_open",
        "cadre_postings",
        ("county_code", "cadre_id"),
        OPEN_POSTING,
        "cadres with more than one open posting",
    ),
    (
        "ix_village_officials_one_holder",
        "village_officials",
        ("county_code", "village_code", "post"),
        SINGLE_OPEN,
        "village posts with more than one current holder",
    ),
    (
        "ix_village_officials_held_once",
        "village_officials",
        ("county_code", "member_id", "post"),
        OPEN_TERM,
        "residents holding the same post twice",
    ),
)

RECOUNT = """
UPDATE households SET member_count = (
    SELECT count(*) FROM members m
    WHERE m.county_code = households.county_code AND m.household_id = households.id AND m.status = '1'
)
WHERE member_count <> (
    SELECT count(*) FROM members m
    WHERE m.county_code = households.county_code AND m.household_id = households.id AND m.status = '1'
)
"""


def _breaches(table: str, columns: tuple[str, ...], condition: str) -> list[tuple]:
    keys = ", ".join(columns)
    statement = f"SELECT {keys} FROM {table} WHERE {condition} GROUP BY {keys} HAVING count(*) > 1 ORDER BY {keys}"
    return list(op.get_bind().execute(sa.text(statement)).fetchall())


def upgrade() -> None:
    found = []
    for _name, table, columns, condition, label in INDEXES:
        rows = _breaches(table, columns, condition)
        if rows:
            keys = "; ".join("/".join(str(v) for v in row) for row in rows[:20])
            found.append(f"{len(rows)} {label} ({', '.join(columns)}: {keys}{' …' if len(rows) > 20 else ''})")
    if found:
        raise RuntimeError(
            "The database holds rows that break rules this revision makes constraints; correct them "
            "(through the application, with a reason) and upgrade again: " + "; ".join(found)
        )
    op.execute(RECOUNT)
    for name, table, columns, condition, _label in INDEXES:
        where = sa.text(condition)
        op.create_index(name, table, list(columns), unique=True, postgresql_where=where, sqlite_where=where)


def downgrade() -> None:
    for name, table, _columns, _condition, _label in reversed(INDEXES):
        op.drop_index(name, table_name=table)
