"""password history; login throttling per user name and client address

The throttle table holds only transient counters, so it is recreated with its new key.

Revision ID: 20261204_0008
Revises: 20261123_0007
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0008"
down_revision = "20261123_0007"
branch_labels = None
depends_on = None

LOCAL = {"distribution": "local"}


def upgrade() -> None:
    # On Citus the foreign key to the accounts waits until the table exists (local tables both).
    citus.create_table(
        "password_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_history_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_history")),
        info=LOCAL,
    )
    op.create_index(op.f("ix_password_history_user_id"), "password_history", ["user_id"])
    citus.add_foreign_keys()
    op.drop_table("login_throttle")
    _throttle(address=True)


def downgrade() -> None:
    op.drop_table("login_throttle")
    _throttle(address=False)
    op.drop_index(op.f("ix_password_history_user_id"), table_name="password_history")
    op.drop_table("password_history")


def _throttle(*, address: bool) -> None:
    key = ["username", "address"] if address else ["username"]
    extra = (
        [sa.Column("address", sa.String(length=45), nullable=False), sa.Column("lockouts", sa.Integer(), nullable=False)]
        if address
        else []
    )
    op.create_table(
        "login_throttle",
        sa.Column("username", sa.String(length=64), nullable=False),
        *extra,
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint(*key, name=op.f("pk_login_throttle")),
        info=LOCAL,
    )
