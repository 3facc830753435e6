"""The postings sync: vacancies of every catalog role from the hh API, kept fresh run after run.

A run walks the searches of `coach.hh_search.search_plan` over the configured areas and a date window —
everything published in the last HH_SYNC_MAX_AGE_DAYS for a full run, only what was published since the last
run for an incremental one — 100 results a page, splitting a search that finds more than hh lists (2,000).
Each result is filed by the same rules as `postings import` (`coach.postings.from_hh`): one of no role we
coach for is left there; one that is new or changed (`coach.hh_search.fingerprint`) is fetched whole
(`GET /vacancies/{id}`: key skills, description, salary) and stored. A vacancy closed in between (404, or
`archived`) stops counting, as do postings published longer ago than the maximum age, and — after a complete
full listing — stored vacancies hh no longer lists. The aggregates stay exact (`PostingRepo.remove`).

Nothing is held across a request to hh: each page is fetched first, then written in one short transaction
together with the run's cursor (the slices still to walk), so a run stopped or killed at any point continues
from the page it was on. One process syncs at a time (the `hh-sync` lease, renewed as it goes).

Politeness: at most `rate` requests a second; network errors, timeouts and 5xx are retried with exponential
backoff (tenacity); a 429 pauses every request for its Retry-After. What stops a run, with one line saying
what hh said and what to do: a captcha, a 403 (no or a bad application token), a refused HH-User-Agent, or hh
unreachable after the retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from aiolimiter import AsyncLimiter
from sqlalchemy import text as sql
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from coach.catalog import Catalog
from coach.hh_search import DEPTH, KAZAKHSTAN, PER_PAGE, Slice, fingerprint, first_slices, search_plan, split
from coach.postings import from_hh
from coach.skills import SkillParser
from services.hh import HhClient, HhError, has_contact
from services.market_cache import cache_for
from services.postings import to_posting
from storage.db import Database
from storage.locks import HH_SYNC, Lease
from storage.postings import PostingIn, PostingRepo
from storage.sync import Stored, SyncRepo, SyncRunRow

log = logging.getLogger(__name__)

SOURCE = "hh"
FULL_EVERY = timedelta(days=6)  # a run lists everything again when the last full listing is this old
OVERLAP = timedelta(hours=1)  # an incremental window starts this long before the last one ended
LEASE_TTL = timedelta(seconds=90)
RENEW_EVERY = 15.0  # seconds between renewals of the lease while a run works
CONCURRENCY = 4  # vacancy requests in flight (the rate limit still spaces them)
ATTEMPTS = 4  # a request that fails on the network or with 5xx is tried this often in all
MAX_RATE_LIMITED = 6  # 429s in a row on one request before the run stops
MAX_RETRY_AFTER = 300.0  # seconds: a longer pause asked for stops the run instead
DEFAULT_RETRY_AFTER = 5.0
MAX_FAILURES_IN_A_ROW = 20  # vacancy requests failing one after another: hh is down, stop
REFUSALS = {"captcha", "forbidden", "bad_user_agent"}
_T = TypeVar("_T")


class SyncProblem(Exception):
    """The sync did not run or stopped; `line` tells the operator why and what to do, in one line."""

    def __init__(self, line: str, summary: SyncSummary | None = None) -> None:
        super().__init__(line)
        self.line = line
        self.summary = summary


class SyncNotReady(SyncProblem):
    """The settings do not allow a sync (no contact e-mail in HH_USER_AGENT)."""


class SyncBusy(SyncProblem):
    """Another process is syncing now."""


class SyncRefused(SyncProblem):
    """hh refused the client: a captcha, a 403, or the HH-User-Agent."""


class SyncUnavailable(SyncProblem):
    """hh could not be reached (or kept answering 5xx or 429) after the retries; the run can go on later."""


@dataclass
class RoleCounts:
    fetched: int = 0  # vacancies fetched whole (new or changed)
    added: int = 0
    updated: int = 0
    expired: int = 0  # stopped counting: closed, gone, or too old
    failed: int = 0  # could not be fetched or read (tried again next run)

    def __add__(self, other: RoleCounts) -> RoleCounts:
        return RoleCounts(*(a + b for a, b in zip(asdict(self).values(), asdict(other).values(), strict=True)))

    def __sub__(self, other: RoleCounts) -> RoleCounts:
        return RoleCounts(*(a - b for a, b in zip(asdict(self).values(), asdict(other).values(), strict=True)))


@dataclass
class SyncSummary:
    run_id: int = 0
    mode: str = "full"  # full | incremental
    status: str = "running"  # running | completed | stopped
    trigger: str = "cli"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    window_from: datetime | None = None
    resumed: bool = False
    roles: dict[str, RoleCounts] = field(default_factory=dict)
    listed: int = 0  # search results walked
    unchanged: int = 0  # stored already, and the same
    skipped: int = 0  # no role we coach for
    gone: int = 0  # listed, then closed before it could be fetched
    truncated: int = 0  # slices hh would not list whole even split to an hour
    slices_done: int = 0
    error: str | None = None

    def role(self, role_id: str | None) -> RoleCounts:
        return self.roles.setdefault(role_id or "-", RoleCounts())

    def totals(self) -> RoleCounts:
        total = RoleCounts()
        for counts in self.roles.values():
            total = total + counts
        return total

    def to_json(self) -> dict[str, Any]:
        return {
            "roles": {role: asdict(counts) for role, counts in self.roles.items()},
            **{key: getattr(self, key) for key in ("listed", "unchanged", "skipped", "gone", "truncated",
                                                    "slices_done")},
        }  # fmt: skip

    @classmethod
    def from_run(cls, run: SyncRunRow) -> SyncSummary:
        counts = run.counts or {}
        summary = cls(
            run_id=run.id, mode=run.mode, status=run.status, trigger=run.trigger, started_at=run.started_at,
            finished_at=run.finished_at, window_from=run.window_from, error=run.error,
            roles={role: RoleCounts(**values) for role, values in (counts.get("roles") or {}).items()},
        )  # fmt: skip
        for key in ("listed", "unchanged", "skipped", "gone", "truncated", "slices_done"):
            setattr(summary, key, int(counts.get(key) or 0))
        return summary


@dataclass(frozen=True)
class Progress:
    slices_done: int
    slices_left: int
    summary: SyncSummary


Observer = Callable[[SyncSummary, RoleCounts], None]  # (the run, what this call of it did): metrics
ProgressHook = Callable[[Progress], None]
_GONE = object()


class SyncService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        parser: SkillParser,
        hh: HhClient,
        *,
        user_agent: str,
        has_token: bool,
        areas: tuple[str, ...] = (KAZAKHSTAN,),
        max_age_days: int = 60,
        rate: float = 3.0,
        depth: int = DEPTH,
        per_page: int = PER_PAGE,
        concurrency: int = CONCURRENCY,
        attempts: int = ATTEMPTS,
        backoff: float = 1.0,
        lease_ttl: timedelta = LEASE_TTL,
        clock: Callable[[], datetime] | None = None,
        observer: Observer | None = None,
    ) -> None:
        self._db, self._catalog, self._parser, self._hh = db, catalog, parser, hh
        self._user_agent, self._has_token = user_agent, has_token
        self.areas = tuple(areas)
        self.max_age = timedelta(days=max_age_days)
        self._limiter = AsyncLimiter(1, 1 / rate)
        self._depth, self._per_page, self._concurrency = depth, per_page, concurrency
        self._attempts, self._backoff = attempts, backoff
        self._lease_ttl = lease_ttl
        self._clock = clock or (lambda: datetime.now(UTC))
        self.observer = observer
        self._paused_until = 0.0
        self._lease: Lease | None = None
        self._renewed = 0.0
        self._failures_in_a_row = 0
        self._task: asyncio.Task | None = None

    # -- what operators see ---------------------------------------------------------------------------------

    def problem(self) -> str | None:
        """Why the sync cannot start with these settings (one line), or None."""
        if not has_contact(self._user_agent):
            return (
                f'HH_USER_AGENT "{self._user_agent}" names no contact e-mail, and hh.ru refuses clients without '
                'one: set HH_USER_AGENT="CareerCoach/1.0 (you@example.kz)" in .env.'
            )
        return None

    async def last_run(self) -> SyncSummary | None:
        async with self._db.read() as session:
            run = await SyncRepo(session).last()
        return SyncSummary.from_run(run) if run else None

    async def running(self) -> bool:
        """Whether a sync is running now, in this process or another."""
        if self._task is not None and not self._task.done():
            return True
        return await Lease(self._db, HH_SYNC).taken()

    def start(self, trigger: str = "admin") -> bool:
        """Run a sync in the background (an operator's button); False when this process runs one already."""
        if self._task is not None and not self._task.done():
            return False
        # A context of its own: not the update's (its database scope, its language) that started it.
        self._task = asyncio.create_task(self._background(trigger), name="hh-sync", context=contextvars.Context())
        return True

    async def join(self) -> None:
        """Wait for a sync started in the background (tests, shutdown)."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _background(self, trigger: str) -> None:
        try:
            await self.run(trigger)
        except SyncProblem as problem:
            log.warning("postings sync (%s) did not finish: %s", trigger, problem.line)
        except Exception:
            log.exception("postings sync (%s) failed", trigger)

    async def run_if_due(self, now: datetime, next_slot: Callable[[datetime], datetime | None]) -> SyncSummary | None:
        """The scheduled sync: run when a slot of the schedule (`next_slot(after)`) has passed since the last run
        began, when there never was one, or when one was interrupted (its process died: it goes on from its
        cursor). None: not due, or another process is syncing."""
        async with self._db.read() as session:
            last = await SyncRepo(session).last()
        if last is not None and last.status != "running":
            slot = next_slot(last.started_at)
            if slot is None or slot > now:
                return None
        if await Lease(self._db, HH_SYNC).taken():
            return None
        try:
            return await self.run("schedule")
        except SyncBusy:
            return None

    # -- a run ----------------------------------------------------------------------------------------------

    async def run(self, trigger: str = "cli", full: bool = False, progress: ProgressHook | None = None
                  ) -> SyncSummary:  # fmt: skip
        """Sync now (or go on with a run that stopped); raises a SyncProblem with the line to show."""
        if line := self.problem():
            raise SyncNotReady(line)
        lease = Lease(self._db, HH_SYNC, ttl=self._lease_ttl)
        if not await lease.acquire():
            raise SyncBusy(
                "Another process is syncing postings from hh now (the bot's scheduled sync or another command); "
                "try again when it has finished."
            )
        self._lease, self._renewed = lease, time.monotonic()
        self._failures_in_a_row = 0
        try:
            return await self._run(trigger, full, progress)
        finally:
            self._lease = None
            await lease.release()

    async def _begin(self, trigger: str, full: bool) -> tuple[SyncSummary, list[Slice]]:
        now = self._clock()
        async with self._db.read() as session:
            repo = SyncRepo(session)
            unfinished = await repo.unfinished()
            last = await repo.last_completed()
            last_full = await repo.last_completed("full")
        if unfinished is not None:
            fits = (
                unfinished.areas == self.areas
                and now - unfinished.started_at < FULL_EVERY
                and not (full and unfinished.mode != "full")
            )
            if fits:
                summary = SyncSummary.from_run(unfinished)
                summary.resumed, summary.status, summary.error = True, "running", None
                async with self._db.transaction() as session:
                    await SyncRepo(session).finish(unfinished.id, status="running", finished_at=None,
                                                   counts=summary.to_json())  # fmt: skip
                log.info("postings sync: going on with run %s from its cursor", unfinished.id)
                return summary, [Slice.from_json(part) for part in unfinished.cursor]
            async with self._db.transaction() as session:
                await SyncRepo(session).finish(unfinished.id, status="abandoned", finished_at=now,
                                               counts=unfinished.counts, error=unfinished.error)  # fmt: skip
        oldest = now - self.max_age
        incremental = (
            not full and last is not None and last_full is not None and now - last_full.started_at < FULL_EVERY
        )
        mode = "incremental" if incremental else "full"
        window_from = max(last.window_to - OVERLAP, oldest) if incremental and last else oldest
        cursor = first_slices(search_plan(self._catalog), self.areas, window_from, now)
        async with self._db.transaction() as session:
            run_id = await SyncRepo(session).start(
                trigger=trigger, mode=mode, started_at=now, window_from=window_from, window_to=now, areas=self.areas,
                cursor=[part.to_json() for part in cursor],
            )  # fmt: skip
        summary = SyncSummary(run_id=run_id, mode=mode, trigger=trigger, started_at=now, window_from=window_from)
        return summary, cursor

    async def _run(self, trigger: str, full: bool, progress: ProgressHook | None) -> SyncSummary:
        summary, cursor = await self._begin(trigger, full)
        baseline = summary.totals()
        try:
            while cursor:
                if progress is not None:
                    progress(Progress(summary.slices_done, len(cursor), summary))
                await self._renew()
                cursor = await self._step(summary, cursor)
            await self._complete(summary)
        except HhError as error:
            problem = self._problem(error)
            await self._stop(summary, problem.line)
            problem.summary = summary
            self._observe(summary, baseline)
            raise problem from None
        except SyncProblem as problem:
            await self._stop(summary, problem.line)
            problem.summary = summary
            self._observe(summary, baseline)
            raise
        if progress is not None:
            progress(Progress(summary.slices_done, 0, summary))
        self._observe(summary, baseline)
        return summary

    def _observe(self, summary: SyncSummary, baseline: RoleCounts) -> None:
        if self.observer is not None:
            try:
                self.observer(summary, summary.totals() - baseline)
            except Exception:
                log.exception("the sync's observer failed")

    async def _stop(self, summary: SyncSummary, line: str) -> None:
        summary.status, summary.error = "stopped", line
        async with self._db.transaction() as session:
            await SyncRepo(session).finish(summary.run_id, status="stopped", finished_at=self._clock(),
                                           counts=summary.to_json(), error=line)  # fmt: skip
        cache_for(self._db.engine).invalidate()
        log.info("postings sync stopped (run %s): %s", summary.run_id, line)

    async def _step(self, summary: SyncSummary, cursor: list[Slice]) -> list[Slice]:
        """One request for the first slice of the cursor: a first look at it (split it when hh would list only
        part, else learn its pages), or one page walked. Returns the cursor after it, already saved."""
        part = cursor[0]
        page = await self._call(lambda: self._hh.search(part.params(self._per_page)))
        found, pages = int(page.get("found") or 0), int(page.get("pages") or 0)
        items = [item for item in page.get("items") or [] if isinstance(item, dict) and item.get("id")]
        if part.pages is None:
            # More found than hh will list (its `pages` stop at 2,000 results): split, or walk what it lists.
            if found > min(pages * self._per_page, self._depth) and not part.truncated:
                if (children := split(part)) is not None:
                    return await self._save_cursor(summary, [*children, *cursor[1:]])
                part = replace(part, truncated=True)
                summary.truncated += 1
                log.warning("hh lists only %s of %s results of %s in an hour", pages * self._per_page, found,
                            part.search)  # fmt: skip
            pages = min(pages, self._depth // self._per_page)
            if pages > 1:  # walked from the last page to this first one (see coach.hh_search)
                return await self._save_cursor(summary, [part.walk_from_last(pages), *cursor[1:]])
            following = None
        else:
            following = part.next_page()
        if following is None:
            summary.slices_done += 1
        after = ([following] if following else []) + cursor[1:]
        await self._walk(summary, items, after)
        return after

    async def _save_cursor(self, summary: SyncSummary, cursor: list[Slice]) -> list[Slice]:
        async with self._db.transaction() as session:
            await SyncRepo(session).progress(summary.run_id, [part.to_json() for part in cursor], summary.to_json())
        return cursor

    async def _walk(self, summary: SyncSummary, items: list[dict[str, Any]], cursor_after: list[Slice]) -> None:
        """Fetch what is new or changed on one page, then write it all, with the cursor, in one transaction."""
        ids = [str(item["id"]) for item in items]
        async with self._db.read() as session:
            stored = await SyncRepo(session).stored(ids)
        run_id = summary.run_id
        to_fetch: list[tuple[str, str, str | None]] = []  # (id, fingerprint, role the search result says)
        seen: list[str] = []
        expire: list[tuple[str, str | None]] = []
        for item in items:
            summary.listed += 1
            vacancy_id = str(item["id"])
            known: Stored | None = stored.get(vacancy_id)
            if known is not None and known.seen_run == run_id:
                continue  # another slice of this run listed it already
            if item.get("archived"):
                if known is not None:
                    expire.append((vacancy_id, known.role_id))
                continue
            try:
                draft = from_hh(item, self._catalog, self._parser)
            except Exception as exc:  # one unreadable result is that result's problem
                log.info("hh search result %s unreadable: %s", vacancy_id, exc)
                summary.role(None).failed += 1
                continue
            if draft.role_id is None and known is None:
                summary.skipped += 1
                continue
            mark = fingerprint(item)
            if known is not None and known.fingerprint == mark:
                summary.unchanged += 1
                seen.append(vacancy_id)
                continue
            to_fetch.append((vacancy_id, mark, draft.role_id or (known.role_id if known else None)))
        fetched = await self._fetch([vacancy_id for vacancy_id, _, _ in to_fetch])
        postings: dict[str, list[PostingIn]] = {}
        remember: list[tuple[str, str, str | None]] = []
        for (vacancy_id, mark, listed_role), outcome in zip(to_fetch, fetched, strict=True):
            known = stored.get(vacancy_id)
            if outcome is _GONE:
                summary.gone += 1
                if known is not None:
                    expire.append((vacancy_id, known.role_id))
                continue
            if isinstance(outcome, HhError):
                summary.role(listed_role).failed += 1
                continue
            try:
                draft = from_hh(outcome, self._catalog, self._parser)
            except Exception as exc:
                log.info("hh vacancy %s unreadable: %s", vacancy_id, exc)
                summary.role(listed_role).failed += 1
                continue
            if draft.archived or draft.role_id is None:
                if draft.archived:
                    summary.gone += 1
                else:
                    summary.skipped += 1
                if known is not None:
                    expire.append((vacancy_id, known.role_id))
                continue
            summary.role(draft.role_id).fetched += 1
            postings.setdefault(draft.role_id, []).append(to_posting(draft, self._catalog))
            remember.append((vacancy_id, mark, draft.role_id))
        now = self._clock()
        async with self._db.transaction() as session:
            repo, sync = PostingRepo(session, self._catalog.group_of), SyncRepo(session)
            for role_id, batch in postings.items():
                added, updated = await repo.save_many(batch)
                summary.role(role_id).added += added
                summary.role(role_id).updated += updated
            await self._expire(repo, sync, summary, expire)
            await sync.remember(remember, run_id, now)
            await sync.seen(seen, run_id, now)
            await sync.progress(run_id, [part.to_json() for part in cursor_after], summary.to_json())

    async def _expire(self, repo: PostingRepo, sync: SyncRepo, summary: SyncSummary,
                      which: list[tuple[str, str | None]]) -> None:  # fmt: skip
        by_role: dict[str | None, list[str]] = {}
        for vacancy_id, role_id in which:
            by_role.setdefault(role_id, []).append(vacancy_id)
        for role_id, ids in by_role.items():
            removed = await repo.remove(SOURCE, ids)
            if removed:
                summary.role(role_id).expired += removed
            await sync.forget(ids)

    async def _fetch(self, vacancy_ids: list[str]) -> list[Any]:
        """Each vacancy whole, `_GONE` when hh has it no more, or the HhError that outlasted the retries. A
        refusal (captcha, 403, User-Agent) stops them all and is raised."""
        slots = asyncio.Semaphore(self._concurrency)
        refused: list[HhError] = []

        async def one(vacancy_id: str) -> Any:
            async with slots:
                if refused:
                    return None
                try:
                    detail = await self._call(lambda: self._hh.vacancy(vacancy_id))
                except HhError as error:
                    if error.kind == "not_found":
                        return _GONE
                    if error.kind in REFUSALS or error.kind == "rate_limited":
                        refused.append(error)
                        return None
                    self._failures_in_a_row += 1
                    if self._failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
                        refused.append(error)
                    return error
                self._failures_in_a_row = 0
                return detail

        results = await asyncio.gather(*(one(vacancy_id) for vacancy_id in vacancy_ids))
        if refused:
            raise refused[0]
        return list(results)

    async def _complete(self, summary: SyncSummary) -> None:
        """The listing is done: postings too old stop counting, and after a complete full listing so do the
        stored vacancies it did not find (hh closed them)."""
        now = self._clock()
        async with self._db.transaction() as session:
            repo, sync = PostingRepo(session, self._catalog.group_of), SyncRepo(session)
            while old := await repo.published_before(SOURCE, now - self.max_age):
                await self._expire(repo, sync, summary, old)
            complete = summary.truncated == 0 and summary.totals().failed == 0
            if summary.mode == "full" and complete:
                while closed := await sync.not_seen_by(summary.run_id):
                    await self._expire(repo, sync, summary, closed)
            summary.status, summary.finished_at = "completed", now
            await sync.progress(summary.run_id, [], summary.to_json())
            await sync.finish(summary.run_id, status="completed", finished_at=now, counts=summary.to_json())
        if summary.totals().added and self._db.dialect == "postgresql":
            async with self._db.engine.connect() as conn:  # fresh planner statistics (see import_files)
                await conn.execute(sql("ANALYZE postings, posting_skills"))
                await conn.commit()
        cache_for(self._db.engine).invalidate()
        total = summary.totals()
        log.info(
            "postings sync done (run %s, %s): listed %s, fetched %s, added %s, updated %s, expired %s, failed %s",
            summary.run_id, summary.mode, summary.listed, total.fetched, total.added, total.updated, total.expired,
            total.failed,
        )  # fmt: skip

    # -- talking to hh --------------------------------------------------------------------------------------

    async def _renew(self) -> None:
        if self._lease is None or time.monotonic() - self._renewed < RENEW_EVERY:
            return
        if not await self._lease.acquire():
            raise SyncBusy("The sync lost its lease to another process (this one was too slow); it goes on there.")
        self._renewed = time.monotonic()

    async def _call(self, request: Callable[[], Awaitable[_T]]) -> _T:
        """One request to hh within the rate, retried on network errors and 5xx, waiting out 429s."""
        for _ in range(MAX_RATE_LIMITED):
            retrying = AsyncRetrying(
                retry=retry_if_exception(lambda e: isinstance(e, HhError) and e.kind in ("timeout", "unavailable")),
                wait=wait_exponential(multiplier=self._backoff, max=30),
                stop=stop_after_attempt(self._attempts),
                reraise=True,
            )
            try:
                async for attempt in retrying:
                    with attempt:
                        await self._wait_for_pause()
                        async with self._limiter:
                            return await request()
            except HhError as error:
                if error.kind != "rate_limited":
                    raise
                wait = error.retry_after if error.retry_after is not None else DEFAULT_RETRY_AFTER
                if wait > MAX_RETRY_AFTER:
                    raise
                log.info("hh answered 429: pausing every request for %ss", wait)
                self._paused_until = max(self._paused_until, time.monotonic() + wait)
        raise HhError("rate_limited", f"{MAX_RATE_LIMITED} times in a row")

    async def _wait_for_pause(self) -> None:
        while (delay := self._paused_until - time.monotonic()) > 0:
            await asyncio.sleep(min(delay, RENEW_EVERY))
            await self._renew()

    def _problem(self, error: HhError) -> SyncProblem:
        """What hh said, and what to do about it, in one line."""
        said = f" {error.detail}" if error.detail and not error.detail.startswith("HTTP") else ""
        if error.kind == "captcha":
            where = f" {error.captcha_url}" if error.captcha_url else ""
            todo = (
                "register the application at dev.hh.ru and set HH_ACCESS_TOKEN"
                if not self._has_token
                else "open the captcha link in a browser from this machine, or ask hh support about the application"
            )
            return SyncRefused(f"hh.ru wants a captcha solved before it answers this client{where}: {todo}, then run "
                               "the sync again (it goes on where it stopped).")  # fmt: skip
        if error.kind == "forbidden":
            if self._has_token:
                return SyncRefused(
                    f"hh.ru refused the application token (403{said}): check HH_ACCESS_TOKEN (expired or revoked? "
                    "get a new one at dev.hh.ru), then run the sync again."
                )
            return SyncRefused(
                f"hh.ru refused anonymous access (403{said}): register the application at dev.hh.ru and set "
                "HH_ACCESS_TOKEN to its token, then run the sync again."
            )
        if error.kind == "bad_user_agent":
            return SyncRefused(
                f'hh.ru refused the HH-User-Agent "{self._user_agent}" (400{said}): set HH_USER_AGENT to your '
                'application\'s name and a contact e-mail, e.g. "CareerCoach/1.0 (you@example.kz)".'
            )
        if error.kind == "rate_limited":
            return SyncUnavailable(
                f"hh.ru keeps limiting requests (429{said}): lower HH_SYNC_RATE and run the sync again later (it "
                "goes on where it stopped)."
            )
        reason = "did not answer in time" if error.kind == "timeout" else f"could not be used ({error.detail})"
        return SyncUnavailable(
            f"hh.ru {reason} after {self._attempts} attempts: run the sync again later (it goes on where it stopped)."
        )
