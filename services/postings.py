"""Operators' postings work: import files, and the per-role statistics behind the market views."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coach.catalog import Catalog
from coach.postings import PostingDraft, PostingError, RowProblem, read_postings
from coach.skills import SkillParser
from services.market_cache import cache_for
from storage.models import RolePostingCount, RoleSkillCount
from storage.postings import PostingIn, PostingRepo


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[tuple[str, RowProblem]] = field(default_factory=list)


def to_posting(draft: PostingDraft) -> PostingIn:
    return PostingIn(
        source=draft.source,
        source_id=draft.source_id,
        title=draft.title,
        company=draft.company,
        role_id=draft.role_id,
        level=draft.level,
        city=draft.city,
        url=draft.url,
        salary_from=draft.salary_from,
        salary_to=draft.salary_to,
        currency=draft.currency,
        salary_gross=draft.salary_gross,
        skill_ids=draft.skills,
    )


async def import_files(
    pool: async_sessionmaker[AsyncSession], catalog: Catalog, parser: SkillParser, paths: list[Path]
) -> ImportResult:
    """Import every good row of every file (one transaction per file); bad rows are reported, not fatal."""
    result = ImportResult()
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
            drafts, problems = read_postings(path.name, text, catalog, parser)
        except (OSError, UnicodeDecodeError, PostingError) as exc:
            result.problems.append((str(path), RowProblem(0, str(exc))))
            continue
        result.problems += [(str(path), problem) for problem in problems]
        result.skipped += len(problems)
        async with pool.begin() as session:
            added, updated = await PostingRepo(session).save_many([to_posting(d) for d in drafts])
        result.added += added
        result.updated += updated
    engine = pool.kw["bind"]
    if result.added and engine.dialect.name == "postgresql":
        # Fresh statistics for the planner: right after a bulk import it costed the market query so high that
        # it JIT-compiled it, 175 ms per query until autovacuum's ANALYZE came round (1.9 ms after).
        async with engine.connect() as conn:
            await conn.execute(sql("ANALYZE postings, posting_skills"))
            await conn.commit()
    cache_for(engine).invalidate()  # this process shows the new market at once; others within a minute
    return result


async def role_stats(session: AsyncSession, top: int = 10) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Per role: postings, and the most asked skills with their counts (from the aggregates)."""
    roles = (
        await session.execute(
            select(RolePostingCount.role_id, RolePostingCount.postings)
            .where(RolePostingCount.postings > 0)
            .order_by(RolePostingCount.postings.desc(), RolePostingCount.role_id)
        )
    ).all()
    stats = []
    for role_id, postings in roles:
        skills = (
            await session.execute(
                select(RoleSkillCount.skill_id, RoleSkillCount.postings)
                .where(RoleSkillCount.role_id == role_id, RoleSkillCount.postings > 0)
                .order_by(RoleSkillCount.postings.desc(), RoleSkillCount.skill_id)
                .limit(top)
            )
        ).all()
        stats.append((role_id, postings, [(s, n) for s, n in skills]))
    return stats
