"""market aggregates: per role, how many postings there are and how many ask for each skill

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "role_skill_counts",
        sa.Column("role_id", sa.String(length=24), nullable=False),
        sa.Column("skill_id", sa.String(length=24), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("role_id", "skill_id", name=op.f("pk_role_skill_counts")),
    )
    op.create_table(
        "role_posting_counts",
        sa.Column("role_id", sa.String(length=24), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("role_id", name=op.f("pk_role_posting_counts")),
    )
    # Postings stored before this revision count too.
    op.execute(
        "INSERT INTO role_posting_counts (role_id, postings) "
        "SELECT role_id, count(*) FROM postings WHERE role_id IS NOT NULL GROUP BY role_id"
    )
    op.execute(
        "INSERT INTO role_skill_counts (role_id, skill_id, postings) "
        "SELECT p.role_id, s.skill_id, count(*) FROM posting_skills s JOIN postings p ON p.id = s.posting_id "
        "WHERE p.role_id IS NOT NULL GROUP BY p.role_id, s.skill_id"
    )


def downgrade() -> None:
    op.drop_table("role_posting_counts")
    op.drop_table("role_skill_counts")
