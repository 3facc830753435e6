"""roadmap item ids are never reused: an old button names an item by id, and SQLite handed a deleted
item's id to the next new one (INTEGER PRIMARY KEY without AUTOINCREMENT); PostgreSQL's sequence never did

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("roadmap_items", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("roadmap_items", recreate="always", table_kwargs={"sqlite_autoincrement": False}):
        pass
