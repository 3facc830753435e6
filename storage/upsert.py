"""INSERT ... ON CONFLICT for the two dialects we run on (both spell it the same way)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert


def upsert(
    dialect: str,
    table: Table,
    values: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    update: Sequence[str] = (),
    increment: Sequence[str] = (),
) -> Insert:
    """Insert `values`; on a clash of `keys`, overwrite the columns in `update` and add the new values of
    the columns in `increment` to the stored ones (with neither: do nothing)."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(values)
    if not update and not increment:
        return insert.on_conflict_do_nothing(index_elements=list(keys))
    changes = {col: insert.excluded[col] for col in update}
    changes |= {col: table.c[col] + insert.excluded[col] for col in increment}
    return insert.on_conflict_do_update(index_elements=list(keys), set_=changes)
