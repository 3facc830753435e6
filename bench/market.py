"""Market statistics at scale: the gap report and the market snapshot with few and with many postings.

One SQLite file per size, each with the same onboarded students (testkit/bulk.py) and that many generated
hh.ru vacancies loaded through the real import (`PostingService.import_files`, so the per-role aggregates
are maintained as in production). On each, for a few roles and many repetitions:

- **snapshot**: `CoachService.market(role)` with the per-database market cache dropped first — the cost a
  cache miss pays in the database;
- **gap, cold** / **gap, warm**: what /gap does without Telegram — the user, their profile, the roadmap (items,
  market with their own postings, gap) and the rendered report — with the cache dropped / kept;
- **cities**: the onboarding city step's "cities of stored postings, most common first".

Demand comes from aggregates, and best matches and salaries from the newest SAMPLE (300) postings of the
role, so latency should not grow with the number of postings: the target is a 100k / 1k latency ratio of at
most 1.5. With 1,000 postings most roles have fewer than SAMPLE, so a snapshot there loads fewer rows (the
mean is reported); the middle size, where every measured role has its full sample, shows what is left of the
growth once that is equal. Every query the snapshot, the gap report and the city list send is also run
through EXPLAIN QUERY PLAN, and every pass over a whole growing table is counted.

    python -m bench.market [--sizes 1000 10000 100000] [--users 10000] [--repeats 100]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiogram.utils.i18n import I18n
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.imports import write_jsonl
from bench.report import report
from bot.bootstrap import prepare_storage
from bot.i18n import create_i18n
from coach.catalog import Catalog, default_catalog
from coach.skills import SkillParser
from handlers.coaching.texts import gap_report as gap_text
from services.coaching import CoachService
from services.market_cache import cache_for
from storage.db import Database
from storage.models import RolePostingCount, User
from storage.postings import PostingRepo
from storage.users import UserRepo
from testkit.bulk import seed_students
from testkit.seeding import importer

ROLES = ("backend", "frontend", "qa", "devops", "data_engineer", "ml_engineer")
WARMUP = 5


@dataclass
class Store:
    """One benchmark database, ready to be measured."""

    postings: int
    db: Database
    import_seconds: float
    imported: int
    users: list[int] = field(default_factory=list)  # students of the measured roles

    @property
    def engine(self) -> AsyncEngine:
        return self.db.engine


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)
    loaded: list[int] = field(default_factory=list)  # postings per snapshot: capped at SAMPLE per role

    def add(self, kind: str, seconds: float) -> None:
        self.samples.setdefault(kind, []).append(seconds)

    def p50(self, kind: str) -> float:
        return 1000 * statistics.median(self.samples[kind])

    def p99(self, kind: str) -> float:
        ordered = sorted(self.samples[kind])
        return 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


async def build(folder: Path, postings: int, users: int, catalog: Catalog, parser: SkillParser) -> Store:
    """Migrate, import `postings` vacancies through the real import (timed), then seed `users` students."""
    db = Database.open(f"sqlite+aiosqlite:///{folder / f'market-{postings}.sqlite3'}")
    await prepare_storage(db, catalog, parser)
    path = write_jsonl(folder / f"vacancies-{postings}.jsonl", postings)
    started = time.perf_counter()
    result = await importer(db, catalog, parser).import_files([path])
    store = Store(postings, db, time.perf_counter() - started, result.added)
    path.unlink()
    await seed_students(db.engine, catalog, users)
    async with db.read() as session:
        store.users = list(await session.scalars(select(User.id).where(User.role_id.in_(ROLES))))
    await settle(db.engine)
    return store


async def settle(engine: AsyncEngine) -> None:
    """The state of a running bot's database between imports: the write-ahead log folded back into the file
    (SQLite does that when its last connection closes) and this process's garbage from building it collected,
    so neither lands inside a measurement."""
    await engine.dispose()
    gc.collect()


async def snapshot(store: Store, catalog: Catalog, role_id: str) -> int:
    """A cache miss: the role's shared market read from the database. Returns the postings it loaded."""
    return len((await CoachService(store.db, catalog).market(role_id)).postings)


async def gap_report(store: Store, catalog: Catalog, i18n: I18n, user_id: int) -> str:
    """What the /gap handler does once the middleware has the student: their roadmap, the gap, the text."""
    async with store.db.read() as session:
        student = await UserRepo(session).get(user_id)
    assert student is not None
    roadmap = await CoachService(store.db, catalog).overview(student)
    assert roadmap is not None
    with i18n.context(), i18n.use_locale(student.language):
        return gap_text(catalog, roadmap, student.language)


async def cities(store: Store, catalog: Catalog) -> None:
    await CoachService(store.db, catalog).cities()


async def measure(store: Store, catalog: Catalog, i18n: I18n, repeats: int, seed: int = 3) -> Timings:
    """Each kind `repeats` times per role (gap: random students of those roles), after a short warm-up."""
    rng = random.Random(seed)
    cache = cache_for(store.engine)
    timings = Timings()

    async def timed(kind: str, action: Callable[[], Awaitable[object]], cold: bool) -> object:
        if cold:
            cache.invalidate()
        started = time.perf_counter()
        result = await action()
        timings.add(kind, time.perf_counter() - started)
        return result

    for round_no in range(WARMUP + repeats):
        for role_id in ROLES:
            user_id = rng.choice(store.users)
            timings.loaded.append(await timed("snapshot", lambda r=role_id: snapshot(store, catalog, r), cold=True))
            await timed("gap, cold", lambda u=user_id: gap_report(store, catalog, i18n, u), cold=True)
            await timed("gap, warm", lambda u=user_id: gap_report(store, catalog, i18n, u), cold=False)
        await timed("cities", lambda: cities(store, catalog), cold=False)
        if round_no == WARMUP - 1:
            timings.samples.clear()
            timings.loaded.clear()
    return timings


@contextmanager
def captured_sql(engine: AsyncEngine):
    """Every statement (with its parameters) sent on `engine` while the block runs."""
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "EXPLAIN")):
            statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def scans(store: Store, catalog: Catalog, i18n: I18n) -> dict[str, list[str]]:
    """Per path, the query plan lines that read a whole table ("SCAN t" without an index) — what would make
    latency grow with the number of postings or users."""
    found: dict[str, list[str]] = {}
    paths = {
        "snapshot": lambda: snapshot(store, catalog, ROLES[0]),
        "gap": lambda: gap_report(store, catalog, i18n, store.users[0]),
        "cities": lambda: cities(store, catalog),
    }
    for name, action in paths.items():
        cache_for(store.engine).invalidate()
        with captured_sql(store.engine) as statements:
            await action()
        lines = []
        async with store.engine.connect() as conn:
            for statement, parameters in statements:
                plan = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                lines += [f"{row[-1]}  <-  {statement.split()[0]} …" for row in plan if _is_scan(row[-1])]
        found[name] = lines
    return found


# Tables that grow with postings or students. The aggregates grow with roles, skills and cities only: a
# pass over one of those is fine.
GROWING = {"postings", "posting_skills", "users", "user_skills", "roadmap_items", "reminders", "fsm_states"}


def _is_scan(detail: str) -> bool:
    """SQLite's plan says "SCAN t" for a pass over a whole table ("SCAN t USING COVERING INDEX i" reads every
    entry of an index: still a pass)."""
    words = detail.split()
    return len(words) > 1 and words[0] == "SCAN" and words[1] in GROWING


async def stored(store: Store) -> tuple[int, int]:
    """(imported postings stored, postings the role aggregates count besides the catalog's samples): both
    must equal what was imported."""
    async with store.db.read() as session:
        hh = await PostingRepo(session).count("hh")
        samples = await PostingRepo(session).count("sample")
        counted = await session.scalar(select(func.sum(RolePostingCount.postings))) or 0
    return hh, counted - samples


async def run(
    sizes: tuple[int, ...] = (1000, 10_000, 100_000), users: int = 10_000, repeats: int = 100, save: bool = True
) -> dict:
    """Build and measure one database per size (smallest first); ratios are of the largest to the others."""
    catalog = default_catalog()
    parser = SkillParser(catalog)
    i18n = create_i18n()
    results: dict[int, tuple[Store, Timings, dict[str, list[str]], tuple[int, int]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sorted(sizes):
            store = await build(Path(folder), size, users, catalog, parser)
            try:
                timings = await measure(store, catalog, i18n, repeats)
                results[size] = (store, timings, await scans(store, catalog, i18n), await stored(store))
            finally:
                await store.db.dispose()
    name = f"market-{'-'.join(str(size) for size in sorted(sizes))}"
    return report(name, _rows(results, users), _extra(results), save=save)


def _rows(results, users: int) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [("students stored", users)]
    for size, (store, timings, _, (hh, counted)) in results.items():
        rows += [
            (f"{size}: imported / stored / in aggregates", f"{store.imported} / {hh} / {counted}"),
            (f"{size}: import postings/s", store.imported / store.import_seconds),
            (f"{size}: postings loaded per snapshot (mean)", statistics.mean(timings.loaded)),
        ]
    *others, largest = results
    for kind in results[largest][1].samples:
        for size, (_, timings, _, _) in results.items():
            rows.append((f"{kind} {size}: p50 / p99 ms", f"{timings.p50(kind):.2f} / {timings.p99(kind):.2f}"))
        for size in others:
            rows.append(
                (f"{kind}: p50 ratio {largest}/{size}", results[largest][1].p50(kind) / results[size][1].p50(kind))
            )
    for size, (_, _, found, _) in results.items():
        rows.append((f"{size}: full scans (snapshot / gap / cities)", " / ".join(str(len(v)) for v in found.values())))
    return rows


def _extra(results) -> dict:
    """Machine-readable latencies and the scanning plan lines, for the JSON file."""
    return {
        "latency_ms": {
            str(size): {kind: {"p50": t.p50(kind), "p99": t.p99(kind), "n": len(t.samples[kind])} for kind in t.samples}
            for size, (_, t, _, _) in results.items()
        },
        "full_scans": {str(size): found for size, (_, _, found, _) in results.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000], help="postings per database")
    parser.add_argument("--users", type=int, default=10_000, help="onboarded students in each database")
    parser.add_argument("--repeats", type=int, default=100, help="measurements per role and kind")
    args = parser.parse_args()
    asyncio.run(run(tuple(args.sizes), args.users, args.repeats))


if __name__ == "__main__":
    main()
