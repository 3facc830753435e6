"""INSERT ... ON CONFLICT for the two dialects we run on (both spell it the same way)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Table
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
    return upsert_statement(dialect, table, tuple(keys), tuple(update), tuple(increment)).values(values)


@lru_cache(maxsize=128)
def upsert_statement(
    dialect: str, table: Table, keys: tuple[str, ...], update: tuple[str, ...] = (), increment: tuple[str, ...] = ()
) -> Insert:
    """`upsert` without values, built once: hot paths execute it with their row as parameters (building the
    statement cost about as much as running it)."""
    # The dialect's module only when it is used: importing PostgreSQL's costs 0.14 s of a SQLite bot's start.
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    insert = dialect_insert(table)
    if not update and not increment:
        return insert.on_conflict_do_nothing(index_elements=list(keys))
    changes = {col: insert.excluded[col] for col in update}
    changes |= {col: table.c[col] + insert.excluded[col] for col in increment}
    return insert.on_conflict_do_update(index_elements=list(keys), set_=changes)
