"""Alembic environment: always handed an open connection by storage.migrate (no alembic.ini, no URL here)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `python -m bot db upgrade` (storage.migrate), not the alembic CLI")

if connection.dialect.name == "postgresql":
    # Replicas starting together must not migrate at the same time; the lock ends with the transaction.
    connection.execute(text("SELECT pg_advisory_xact_lock(7446911)"))

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by recreating them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
