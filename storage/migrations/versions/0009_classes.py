"""classes: a teacher's class, its invite code and weekly digest, and the students who joined it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("owner_name", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("invite_code", sa.String(length=32), nullable=False),
        sa.Column("joining_open", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("digest_weekday", sa.SmallInteger(), nullable=True),
        sa.Column("digest_hour", sa.SmallInteger(), nullable=True),
        sa.Column("digest_next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digest_last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digest_claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digest_claim_token", sa.String(length=32), nullable=True),
        sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_classes_owner_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classes")),
        sa.UniqueConstraint("invite_code", name=op.f("uq_classes_invite_code")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_classes_owner_id"), "classes", ["owner_id"], unique=False)
    op.create_index(op.f("ix_classes_digest_next_run_at"), "classes", ["digest_next_run_at"], unique=False)
    op.create_table(
        "class_members",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("nudge_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("nudge_claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("nudge_claim_token", sa.String(length=32), nullable=True),
        sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["class_id"], ["classes.id"], name=op.f("fk_class_members_class_id_classes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_class_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("class_id", "user_id", name=op.f("pk_class_members")),
    )
    op.create_index(op.f("ix_class_members_user_id"), "class_members", ["user_id"], unique=False)
    op.create_index(op.f("ix_class_members_nudge_due_at"), "class_members", ["nudge_due_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_class_members_nudge_due_at"), table_name="class_members")
    op.drop_index(op.f("ix_class_members_user_id"), table_name="class_members")
    op.drop_table("class_members")
    op.drop_index(op.f("ix_classes_digest_next_run_at"), table_name="classes")
    op.drop_index(op.f("ix_classes_owner_id"), table_name="classes")
    op.drop_table("classes")
