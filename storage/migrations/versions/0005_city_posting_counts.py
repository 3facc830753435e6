"""city aggregate: how many postings name each city, for the onboarding city step (was a count of every posting)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "city_posting_counts",
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("city", name=op.f("pk_city_posting_counts")),
    )
    # Postings stored before this revision count too.
    op.execute(
        "INSERT INTO city_posting_counts (city, postings) "
        "SELECT city, count(*) FROM postings WHERE city IS NOT NULL GROUP BY city"
    )


def downgrade() -> None:
    op.drop_table("city_posting_counts")
