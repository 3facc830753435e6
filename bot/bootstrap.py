"""Getting the storage ready: migrate, then load the catalog's sample postings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url

from coach.catalog import Catalog, default_catalog
from coach.ranking import posting_stack
from coach.skills import SkillParser
from storage.db import Database
from storage.migrate import upgrade
from storage.postings import PostingIn, PostingRepo

log = logging.getLogger(__name__)


def sample_postings(catalog: Catalog, parser: SkillParser) -> list[PostingIn]:
    postings = []
    for sample in catalog.sample_postings:
        skills: list[str] = []
        for written in sample.skills:
            skills.extend(parser.parse(written).recognized)
        skill_ids = tuple(dict.fromkeys(skills))
        postings.append(
            PostingIn(
                source="sample",
                source_id=sample.source_id,
                title=sample.title,
                company=sample.company,
                role_id=sample.role,
                stack=posting_stack(catalog, sample.role, skill_ids, sample.title),
                level=sample.level.value if sample.level else None,
                city=sample.city,
                url=sample.url,
                salary_from=sample.salary_from,
                salary_to=sample.salary_to,
                currency=sample.currency if (sample.salary_from or sample.salary_to) else None,
                skill_ids=skill_ids,
            )
        )
    return postings


@asynccontextmanager
async def open_storage(database_url: str) -> AsyncIterator[tuple[Catalog, Database]]:
    """The catalog and the database, migrated and with the sample postings; disposed on exit.
    Every entry point (polling, webhook, chat, reminders, imports) starts here."""
    catalog = default_catalog()
    db = Database.open(database_url)
    try:
        await prepare_storage(db, catalog, SkillParser(catalog))
        yield catalog, db
    finally:
        await db.dispose()


async def prepare_storage(db: Database, catalog: Catalog, parser: SkillParser) -> None:
    """Bring the schema to head, count the market aggregates again if the catalog's groups or stacks changed,
    and make sure the sample postings are there (idempotent)."""
    await upgrade(db.engine)
    async with db.transaction() as session:
        repo = PostingRepo(session, catalog.group_of)
        if await repo.counted_with() != catalog.market_fingerprint:
            counted = await repo.recount(
                catalog.market_fingerprint,
                lambda role, title, skills: posting_stack(catalog, role, skills, title),
            )
            if counted:
                log.info("market aggregates counted again for %s postings (the catalog changed)", counted)
        await repo.save_many(sample_postings(catalog, parser))
    log.info("database ready: %s", make_url(str(db.engine.url)).render_as_string(hide_password=True))
