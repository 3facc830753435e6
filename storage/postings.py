"""Job postings and their skills."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Posting, PostingSkill, utcnow
from storage.upsert import upsert


class PostingIn(BaseModel):
    """A posting ready to store: skills already resolved to catalog ids."""

    model_config = ConfigDict(frozen=True)

    source: str
    source_id: str
    title: str
    company: str | None = None
    role_id: str | None = None
    level: str | None = None
    city: str | None = None
    url: str | None = None
    salary_from: int | None = None
    salary_to: int | None = None
    currency: str | None = None
    salary_gross: bool | None = None
    skill_ids: tuple[str, ...] = ()


class PostingRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, posting: PostingIn) -> tuple[int, bool]:
        """Insert or update by (source, source_id); returns the row id and whether it was new."""
        existing = await self._session.scalar(
            select(Posting.id).where(Posting.source == posting.source, Posting.source_id == posting.source_id)
        )
        values = posting.model_dump(exclude={"skill_ids"})
        now = utcnow()
        dialect = self._session.bind.dialect.name
        await self._session.execute(
            upsert(
                dialect,
                Posting.__table__,
                {**values, "created_at": now, "updated_at": now},
                ["source", "source_id"],
                update=[*values.keys() - {"source", "source_id"}, "updated_at"],
            )
        )
        posting_id = existing or await self._session.scalar(
            select(Posting.id).where(Posting.source == posting.source, Posting.source_id == posting.source_id)
        )
        assert posting_id is not None
        await self._session.execute(delete(PostingSkill).where(PostingSkill.posting_id == posting_id))
        if posting.skill_ids:
            await self._session.execute(
                PostingSkill.__table__.insert(),
                [{"posting_id": posting_id, "skill_id": sid} for sid in dict.fromkeys(posting.skill_ids)],
            )
        return posting_id, existing is None

    async def save_many(self, postings: Sequence[PostingIn]) -> tuple[int, int]:
        added = updated = 0
        for posting in postings:
            _, new = await self.save(posting)
            added, updated = added + new, updated + (not new)
        return added, updated

    async def count(self, source: str | None = None) -> int:
        query = select(func.count()).select_from(Posting)
        if source:
            query = query.where(Posting.source == source)
        return await self._session.scalar(query) or 0

    async def skills_of(self, posting_id: int) -> list[str]:
        rows = await self._session.scalars(select(PostingSkill.skill_id).where(PostingSkill.posting_id == posting_id))
        return list(rows)
