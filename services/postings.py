"""Postings: operators' imports and statistics, and the postings a student finds and pastes.

An import commits in batches that each hold the write lock about 0.2 s, each its own short transaction, with a
pause after each, so a bot running beside it keeps answering: its writes wait at most one batch, never the
whole file. The per-role aggregates stay
exact across batches, because every batch adds exactly what it changed.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sqlalchemy import text as sql

from coach.catalog import Catalog
from coach.gap import PostingMatch, posting_match
from coach.market import PostingView
from coach.pasted import from_text
from coach.postings import PostingDraft, PostingError, RowProblem, from_hh, read_postings
from coach.ranking import posting_stack
from coach.skills import SkillParser
from coach.student import Student
from services.coaching import CoachService, Roadmap
from services.hh import HhClient
from services.market_cache import cache_for
from storage.db import Database
from storage.postings import PostingIn, PostingRepo

# An import holds the write lock in batches of about IMPORT_BATCH_SECONDS, however fast the machine is (a busy
# machine imports slower, so a fixed number of rows would hold the lock longer), and leaves BATCH_PAUSE between
# them: longer than SQLite's longest busy-handler sleep (100 ms), so a writer of the bot beside it, waiting in
# that handler, always gets its turn within one batch instead of missing a short window again and again.
IMPORT_BATCH_SECONDS = 0.2
BATCH_PAUSE = 0.12
FIRST_BATCH, MIN_BATCH, MAX_BATCH = 200, 20, 2000
EXPORT_BATCH = 1000
EXPORT_FIELDS = ["id", "source", "title", "company", "role", "stack", "level", "city", "remote", "salary_from",
                 "salary_to", "currency", "published_at", "url", "skills"]  # fmt: skip


def next_batch_size(size: int, seconds: float) -> int:
    """Rows for the next batch, so that it holds the write lock about IMPORT_BATCH_SECONDS."""
    wanted = size * IMPORT_BATCH_SECONDS / max(seconds, 1e-3)
    return max(MIN_BATCH, min(MAX_BATCH, round(min(wanted, size * 2))))  # grows at most twofold at a time


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    skipped: int = 0  # readable postings of no role we coach for
    failed: int = 0  # rows (or whole files) that could not be read
    problems: list[tuple[str, RowProblem]] = field(default_factory=list)


Progress = Callable[[str, int, int], None]  # (file, rows saved so far, rows in the file)


def to_posting(draft: PostingDraft, catalog: Catalog) -> PostingIn:
    stack = draft.stack or posting_stack(catalog, draft.role_id, draft.skills, draft.title)
    return PostingIn(
        source=draft.source,
        source_id=draft.source_id,
        title=draft.title,
        company=draft.company,
        role_id=draft.role_id,
        stack=stack,
        published_at=draft.published_at,
        remote=draft.remote,
        level=draft.level,
        city=draft.city,
        url=draft.url,
        salary_from=draft.salary_from,
        salary_to=draft.salary_to,
        currency=draft.currency,
        salary_gross=draft.salary_gross,
        skill_ids=draft.skills,
    )


@dataclass(frozen=True)
class AddedPosting:
    """A posting a student pasted, and how they match it."""

    draft: PostingDraft
    match: PostingMatch
    not_planned: tuple[str, ...]  # what it asks for that is neither had nor on the roadmap
    posting_id: int = 0


class PostingService:
    def __init__(self, db: Database, catalog: Catalog, parser: SkillParser, coach: CoachService,
                 hh: HhClient | None = None) -> None:  # fmt: skip
        self._db = db
        self._catalog = catalog
        self._parser = parser
        self._coach = coach
        self._hh = hh

    async def close(self) -> None:
        if self._hh is not None:
            await self._hh.close()

    # -- operators -----------------------------------------------------------------------------------

    async def import_files(self, paths: list[Path], progress: Progress | None = None) -> ImportResult:
        """Import every good row of every file; bad rows and unreadable files are reported, not fatal."""
        result = ImportResult()
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8-sig")
                drafts, problems = read_postings(path.name, text, self._catalog, self._parser)
            except (OSError, UnicodeDecodeError, PostingError) as exc:
                result.problems.append((str(path), RowProblem(0, str(exc))))
                result.failed += 1
                continue
            result.problems += [(str(path), problem) for problem in problems]
            result.failed += sum(problem.failed for problem in problems)
            result.skipped += sum(not problem.failed for problem in problems)
            postings = [to_posting(d, self._catalog) for d in drafts]
            start, size = 0, FIRST_BATCH
            while start < len(postings):
                began = time.perf_counter()
                async with self._db.transaction() as session:
                    repo = PostingRepo(session, self._catalog.group_of)
                    added, updated = await repo.save_many(postings[start : start + size])
                result.added += added
                result.updated += updated
                start += size
                if progress is not None:
                    progress(str(path), min(start, len(postings)), len(postings))
                size = next_batch_size(size, time.perf_counter() - began)
                await asyncio.sleep(BATCH_PAUSE)
        if result.added and self._db.dialect == "postgresql":
            # Fresh statistics for the planner: right after a bulk import it costed the market query so high that
            # it JIT-compiled it, 175 ms per query until autovacuum's ANALYZE came round (1.9 ms after).
            async with self._db.engine.connect() as conn:
                await conn.execute(sql("ANALYZE postings, posting_skills"))
                await conn.commit()
        cache_for(self._db.engine).invalidate()  # this process shows the new market at once; others within a minute
        return result

    async def export(self, out: TextIO, fmt: str = "jsonl") -> int:
        """Every stored posting to `out`, as JSON Lines or CSV (read in batches; returns how many)."""
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, extrasaction="ignore") if fmt == "csv" else None
        if writer is not None:
            writer.writeheader()
        count, after = 0, 0
        while True:
            async with self._db.read() as session:
                rows = await PostingRepo(session).page(after, EXPORT_BATCH)
            if not rows:
                return count
            after = rows[-1]["_key"]
            for row in rows:
                row.pop("_key")
                if writer is not None:
                    writer.writerow({**row, "skills": ";".join(row["skills"])})
                else:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += len(rows)

    async def role_stats(self, top: int = 10) -> list[tuple[str, int, list[tuple[str, int]]]]:
        """Per role: postings, and the most asked skills with their counts (from the aggregates)."""
        async with self._db.read() as session:
            return await PostingRepo(session).role_stats(top)

    # -- students ------------------------------------------------------------------------------------

    def draft_from_text(self, text: str) -> PostingDraft:
        """A posting pasted as text: title, company, city, salary and skills where the text has them."""
        return from_text(text, self._catalog, self._parser)

    async def fetch_draft(self, vacancy: str) -> PostingDraft:
        """A vacancy read from hh.ru (outside any transaction); raises HhError or PostingError."""
        assert self._hh is not None
        await self._db.before_network()
        raw = await self._hh.vacancy(vacancy)
        return from_hh(raw, self._catalog, self._parser)

    async def add(self, student: Student, draft: PostingDraft) -> AddedPosting:
        """Save a posting the student found (it counts in their own market only) and match it against them."""
        # Its key is the text's own (a hash or the hh id) salted by the student, never their Telegram id: the
        # row is theirs through `added_by`, which erases it with them.
        key = hashlib.sha1(f"{student.id}:{draft.source_id}".encode()).hexdigest()[:24]
        posting = to_posting(draft, self._catalog).model_copy(
            update={"source": "user", "source_id": key, "role_id": student.role_id, "stack": student.stack,
                    "added_by": student.id}
        )  # fmt: skip
        async with self._db.transaction() as session:
            posting_id, _new = await PostingRepo(session, self._catalog.group_of).save(posting)
        roadmap = await self._coach.overview(student)
        assert roadmap is not None
        match, not_planned = self._compare(roadmap, draft.title, draft.company, draft.skills)
        return AddedPosting(draft, match, not_planned, posting_id)

    def _compare(
        self, roadmap: Roadmap, title: str, company: str | None, skills: Sequence[str]
    ) -> tuple[PostingMatch, tuple[str, ...]]:
        """How the student meets a posting, and what it asks for that is neither had nor on their roadmap."""
        have = set(roadmap.gap.have) | set(roadmap.gap.other_have)
        view = PostingView(id=0, title=title, company=company, skills=frozenset(skills))
        match = posting_match(view, have, self._catalog)
        planned = {p.skill_id for p in roadmap.plan.skills}
        missing = {sid for ref in match.missing for sid in self._catalog.members(ref)}
        return match, tuple(sorted(sid for sid in missing if sid in skills and sid not in planned))

    async def want_missing(self, student: Student, posting_id: int) -> tuple[str, ...] | None:
        """Add what the student's own posting asks for and their roadmap lacks to the skills they want (the
        roadmap plans them); the skills added, or None when the posting is not theirs or they have no profile."""
        async with self._db.read() as session:
            skills = await PostingRepo(session, self._catalog.group_of).own_skills(posting_id, student.id)
        roadmap = await self._coach.overview(student)
        if skills is None or roadmap is None:
            return None
        _match, not_planned = self._compare(roadmap, "", None, skills)
        if not_planned:
            profile = roadmap.profile
            await self._coach.save_profile(
                profile.student, role_id=profile.student.role_id or "", level=profile.student.level,
                city=profile.student.city, have=profile.have, want=[*profile.want, *not_planned],
                stack=profile.student.stack,
            )  # fmt: skip
        return not_planned
