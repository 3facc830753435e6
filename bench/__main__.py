"""Run every benchmark: `python -m bench` (make bench)."""

from __future__ import annotations

import asyncio
import os

from bench import (
    broadcast,
    classes,
    concurrency,
    evaluation,
    footprint,
    imports,
    market,
    reminders,
    scaleout,
    sync,
    updates,
)


def main() -> None:
    # Reading real postings: skills, roles, stacks, levels against hand labels (one line when ../shared is
    # absent).
    evaluation.main([])
    # Update handling: the real dispatcher against a bare aiogram echo, same number of updates; again on
    # PostgreSQL when a server is given.
    asyncio.run(updates.run(students=200))
    if postgres := os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL"):
        asyncio.run(updates.run(students=200, postgres_url=postgres))
    # Many students at once over a real network: 100 new students' /start in one instant, the real process
    # against the HTTP fake Bot API answering after 0 / 50 / 150 ms (serialisation factor, p50 / p99); then a
    # 40,000-vacancy import beside the running bot on SQLite (failed updates, longest wait).
    postgres = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")
    asyncio.run(concurrency.run(students=100, rtts=(0.05, 0.15), postgres_url=postgres, import_postings=40_000))
    # Reminder fan-out: 1,000 due students at Telegram's default 30 msg/s (about 33 s), and 10,000 at a
    # raised rate (as for paid broadcasts) to show the sender keeps up.
    asyncio.run(reminders.run(users=1000, rate=30, blocked=10))
    asyncio.run(reminders.run(users=10_000, rate=1000, blocked=100))
    # An operator's broadcast to 1,000 students at 30 msg/s through the same sender: 0 x 429, each once.
    asyncio.run(broadcast.run(users=1000, rate=30, blocked=10))
    # The postings sync against the fake hh API: ~5,000 vacancies (one search over hh's 2,000 cap), then an
    # incremental run that fetches nothing again.
    asyncio.run(sync.run(per_role=240))
    # Import throughput: a few thousand hh.ru vacancies, then the same again (updates).
    asyncio.run(imports.run(postings=3000))
    # Market statistics at scale: snapshot and gap report latency with 1,000, 10,000 and 100,000 postings
    # (10,000 students stored), and import throughput up to 100,000.
    asyncio.run(market.run(sizes=(1000, 10_000, 100_000), users=10_000))
    # A teacher's class of 500 students (in a database of 5,000): the roster's first page and the common gaps.
    asyncio.run(classes.run(students=500))
    # Memory and start-up: the real process on 100,000 students and 100,000 postings, a burst of 300.
    asyncio.run(footprint.run(users=100_000, postings=100_000, students=200, returning_students=100))
    # Scale-out: 1 and 2 webhook replicas of the real process on PostgreSQL + Redis (skipped, with a line
    # saying so, unless BENCH_POSTGRES_URL/BENCH_REDIS_URL or TEST_POSTGRES_URL/TEST_REDIS_URL are set).
    asyncio.run(scaleout.run(students=400, concurrency=48))


if __name__ == "__main__":
    main()
