"""Alembic, driven from code: `upgrade()` runs on start-up and behind `python -m bot db ...`.

Alembic is imported only when there is something to migrate: with its template engine (mako, which pulls in
pygments) it added 0.4 s to every start, and a database already at the head needs none of it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r'^(down_revision|revision) = (?:"(\w+)"|None)$', re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest revision, read from the scripts' `revision` / `down_revision` lines (a test checks that
    alembic agrees)."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION.findall(script.read_text()))
        revisions.add(found["revision"])
        parents.add(found.get("down_revision"))
    [head] = revisions - parents
    return head


def _stored_revision(sync: Connection) -> str | None:
    if not inspect(sync).has_table("alembic_version"):
        return None
    return sync.execute(text("SELECT version_num FROM alembic_version")).scalar()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    if revision == "head":
        async with engine.connect() as conn:
            if await conn.run_sync(_stored_revision) == head_revision():
                return
    from alembic import command

    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    from alembic import command

    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_stored_revision)


def revisions() -> list[str]:
    """All revisions from the first to head."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
