"""Getting the storage ready: migrate, then load the catalog's sample postings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from coach.catalog import Catalog, default_catalog
from coach.skills import SkillParser
from storage.db import create_engine, create_session_pool
from storage.migrate import upgrade
from storage.postings import PostingIn, PostingRepo

log = logging.getLogger(__name__)


def sample_postings(catalog: Catalog, parser: SkillParser) -> list[PostingIn]:
    postings = []
    for sample in catalog.sample_postings:
        skills: list[str] = []
        for written in sample.skills:
            skills.extend(parser.parse(written).recognized)
        postings.append(
            PostingIn(
                source="sample",
                source_id=sample.source_id,
                title=sample.title,
                company=sample.company,
                role_id=sample.role,
                level=sample.level.value if sample.level else None,
                city=sample.city,
                url=sample.url,
                salary_from=sample.salary_from,
                salary_to=sample.salary_to,
                currency=sample.currency if (sample.salary_from or sample.salary_to) else None,
                skill_ids=tuple(dict.fromkeys(skills)),
            )
        )
    return postings


@asynccontextmanager
async def open_storage(database_url: str) -> AsyncIterator[tuple[Catalog, async_sessionmaker[AsyncSession]]]:
    """The catalog and a session pool on a migrated database with the sample postings; disposed on exit.
    Every entry point (polling, webhook, chat, reminders, imports) starts here."""
    catalog = default_catalog()
    engine = create_engine(database_url)
    pool = create_session_pool(engine)
    try:
        await prepare_storage(engine, pool, catalog, SkillParser(catalog))
        yield catalog, pool
    finally:
        await engine.dispose()


async def prepare_storage(
    engine: AsyncEngine, pool: async_sessionmaker[AsyncSession], catalog: Catalog, parser: SkillParser
) -> None:
    """Bring the schema to head and make sure the sample postings are there (idempotent)."""
    await upgrade(engine)
    async with pool.begin() as session:
        await PostingRepo(session).save_many(sample_postings(catalog, parser))
    log.info("database ready: %s", make_url(str(engine.url)).render_as_string(hide_password=True))
