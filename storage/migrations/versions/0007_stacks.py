"""stacks: a student's stack and the order of what they lack; postings' stack, publication date and remote
flag; market aggregates per role, stack and source (recounted by the application with the catalog's groups);
a student's own postings erased with them and kept out of the shared city counts

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stack", sa.String(length=24), nullable=True))
    with op.batch_alter_table("user_skills", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.SmallInteger(), server_default="0", nullable=False))
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stack", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("remote", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint("fk_postings_added_by_users", type_="foreignkey")
        batch_op.create_foreign_key("fk_postings_added_by_users", "users", ["added_by"], ["id"], ondelete="CASCADE")
        batch_op.create_index("ix_postings_role_stack", ["role_id", "stack"], unique=False)
    # The aggregates are now per stack and source, and count groups of alternatives, which only the catalog
    # knows: the application recounts them on start (storage.postings.PostingRepo.recount).
    op.drop_table("role_skill_counts")
    op.drop_table("role_posting_counts")
    op.create_table(
        "role_skill_counts",
        sa.Column("role_id", sa.String(length=24), nullable=False),
        sa.Column("stack", sa.String(length=24), nullable=False),
        sa.Column("skill_id", sa.String(length=24), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("role_id", "stack", "skill_id", name=op.f("pk_role_skill_counts")),
    )
    op.create_table(
        "role_posting_counts",
        sa.Column("role_id", sa.String(length=24), nullable=False),
        sa.Column("stack", sa.String(length=24), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("role_id", "stack", "source", name=op.f("pk_role_posting_counts")),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.execute("DELETE FROM city_posting_counts")
    op.execute(
        "INSERT INTO city_posting_counts (city, postings) SELECT city, count(*) FROM postings "
        "WHERE city IS NOT NULL AND source <> 'user' GROUP BY city"
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_table("role_posting_counts")
    op.drop_table("role_skill_counts")
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
    op.execute(
        "INSERT INTO role_posting_counts (role_id, postings) "
        "SELECT role_id, count(*) FROM postings WHERE role_id IS NOT NULL GROUP BY role_id"
    )
    op.execute(
        "INSERT INTO role_skill_counts (role_id, skill_id, postings) "
        "SELECT p.role_id, s.skill_id, count(*) FROM posting_skills s JOIN postings p ON p.id = s.posting_id "
        "WHERE p.role_id IS NOT NULL GROUP BY p.role_id, s.skill_id"
    )
    op.execute("DELETE FROM city_posting_counts")
    op.execute(
        "INSERT INTO city_posting_counts (city, postings) "
        "SELECT city, count(*) FROM postings WHERE city IS NOT NULL GROUP BY city"
    )
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_index("ix_postings_role_stack")
        batch_op.drop_constraint("fk_postings_added_by_users", type_="foreignkey")
        batch_op.create_foreign_key("fk_postings_added_by_users", "users", ["added_by"], ["id"], ondelete="SET NULL")
        batch_op.drop_column("published_at")
        batch_op.drop_column("remote")
        batch_op.drop_column("stack")
    with op.batch_alter_table("user_skills", schema=None) as batch_op:
        batch_op.drop_column("position")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("stack")
