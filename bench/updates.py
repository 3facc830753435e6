"""Update handling cost: the real dispatcher (factory, SQLite file or PostgreSQL, fake Bot API answering
instantly) fed a realistic mix of updates from many students, against a bare aiogram dispatcher with one echo
handler fed the same number of updates, in the same run.

    python -m bench.updates [--students 200] [--database-url postgresql+asyncpg://...]

Reports updates/s for both, the per-update cost ratio (ours / bare), and p50 / p99 latency per update type.
A third dispatcher — the echo plus one database transaction reading the sender's row, on the same database —
shows the floor under any bot that keeps its users in a database, so the ratio can be read against it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import defaultdict
from contextlib import nullcontext
from pathlib import Path

from aiogram import Dispatcher
from aiogram.types import Message
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.report import report
from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from bot.warmup import settle_heap
from coach.catalog import default_catalog
from coach.skills import SkillParser
from storage.db import Database
from storage.models import User
from testkit.client import ChatClient, find_button
from testkit.databases import scratch_postgres
from testkit.telegram import FakeTelegram

TOKEN = "42:BENCH-token-for-the-fake-bot-api-012345"


class FeedTimer:
    """Times `dispatcher.feed_update` alone — not the test client around it — under the current label."""

    def __init__(self, dp: Dispatcher) -> None:
        self.kind = "other"
        self.timings: dict[str, list[float]] = defaultdict(list)
        feed = dp.feed_update

        async def timed_feed(bot, update, **kwargs):
            started = time.perf_counter()
            try:
                return await feed(bot, update, **kwargs)
            finally:
                self.timings[self.kind].append(time.perf_counter() - started)

        dp.feed_update = timed_feed  # type: ignore[method-assign]

    def total(self) -> float:
        return sum(sum(values) for values in self.timings.values())


async def journey(client: ChatClient, timer: FeedTimer) -> None:
    """One student's session: onboarding, the reports, a tick — each update timed by its kind."""

    async def timed(kind: str, action) -> None:
        timer.kind = kind
        await action

    def last_with_buttons():
        return next(m for m in reversed(client.telegram.sent_to(client.chat.id)) if m.buttons())

    await timed("/start", client.send("/start"))
    for label in ("Backend Engineer", "Junior", "Almaty"):
        message = last_with_buttons()
        await timed("button: onboarding", client.press(find_button(message, label), message))
    await timed("text: skills", client.send("Python, SQL, a bit of REST, Dokcer"))
    message = last_with_buttons()
    await timed("button: onboarding", client.press(find_button(message, "Done"), message))
    message = last_with_buttons()
    await timed("button: finish", client.press(find_button(message, "Skip"), message))
    await timed("/gap", client.send("/gap"))
    await timed("/roadmap", client.send("/roadmap"))
    roadmap = client.telegram.sent_to(client.chat.id)[-1]
    await timed("button: tick", client.press(find_button(roadmap, "1 ✅"), roadmap))
    await timed("/progress", client.send("/progress"))
    await timed("text: unknown", client.send("hello?"))


def instant_telegram() -> FakeTelegram:
    """The fake Bot API without its HTML and keyboard checks: it answers at once, so what is timed is the bot."""
    telegram = FakeTelegram()
    telegram.validate = False
    return telegram


async def echo_updates(dp: Dispatcher, settings: Settings, updates: int) -> float:
    """Seconds `dp` spends on `updates` text messages, after a warm-up."""
    telegram = instant_telegram()
    bot = create_bot(settings, TOKEN, session=telegram)
    timer = FeedTimer(dp)
    client = ChatClient(dp, bot, telegram)
    for _ in range(50):
        await client.send("warm up")
    timer.timings.clear()
    for number in range(updates):
        await client.send(f"echo {number}")
    return timer.total()


def bare_echo() -> Dispatcher:
    bare = Dispatcher()

    @bare.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    return bare


def echo_with_database(pool: async_sessionmaker[AsyncSession]) -> Dispatcher:
    """The floor under a database-backed bot: one transaction per update that reads the sender's row."""
    floor = Dispatcher()

    @floor.message()
    async def echo(message: Message) -> None:
        async with pool() as session, session.begin():
            await session.get(User, message.chat.id)
        await message.answer(message.text or "…")

    return floor


async def run(students: int, save: bool = True, postgres_url: str | None = None) -> dict:
    """On a SQLite file, or on a scratch database of the PostgreSQL server at `postgres_url`."""
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        async with scratch_postgres(postgres_url) if postgres_url else nullcontext(sqlite) as url:
            settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url, reminders=False)
            db = Database.open(url)
            timings = await measure_ours(students, settings, db)
            updates = sum(len(values) for values in timings.values())
            pool = async_sessionmaker(db.engine, expire_on_commit=False)
            floor_seconds = await echo_updates(echo_with_database(pool), settings, updates)
            await db.dispose()
    bare_seconds = await echo_updates(bare_echo(), settings, updates)
    ours_seconds = sum(sum(values) for values in timings.values())

    backend = make_url(url).get_backend_name()
    rows: list[tuple[str, object]] = [
        ("database", backend),
        ("updates (each side)", updates),
        ("ours: updates/s", updates / ours_seconds),
        ("bare aiogram echo: updates/s", updates / bare_seconds),
        ("echo + one DB transaction: updates/s", updates / floor_seconds),
        ("per-update cost ours / bare", ours_seconds / bare_seconds),
        ("per-update cost ours / echo + DB", ours_seconds / floor_seconds),
    ]
    for kind, values in sorted(timings.items()):
        rows.append((f"{kind}: p50 / p99 ms", _percentiles(values)))
    rows.append(("all updates: p50 / p99 ms", _percentiles([v for values in timings.values() for v in values])))
    return report(f"updates-{students}-students" + ("" if backend == "sqlite" else f"-{backend}"), rows, save=save)


async def measure_ours(students: int, settings: Settings, db: Database) -> dict[str, list[float]]:
    """The real dispatcher, as the runners build it: seconds per update, by kind."""
    catalog = default_catalog()
    await prepare_storage(db, catalog, SkillParser(catalog))
    telegram = instant_telegram()
    bot = create_bot(settings, TOKEN, session=telegram)
    dp = create_dispatcher(settings=settings, database=db, catalog=catalog)
    dp.startup.register(settle_heap)  # as the runners do
    await dp.emit_startup(bot=bot, dispatcher=dp, **dp.workflow_data)
    timer = FeedTimer(dp)
    for warmup in range(3):  # imports, caches and prepared statements warm before measuring
        await journey(ChatClient(dp, bot, telegram, user_id=900_000 + warmup), timer)
    timer.timings.clear()
    for student in range(students):
        await journey(ChatClient(dp, bot, telegram, user_id=1_000 + student, first_name="S"), timer)
        telegram.messages.clear()  # what a student was sent matters only during their journey
        telegram.requests.clear()
    await dp.emit_shutdown(bot=bot, dispatcher=dp, **dp.workflow_data)
    return timer.timings


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{1000 * statistics.median(ordered):.1f} / {1000 * _p99(ordered):.1f}"


def _p99(ordered: list[float]) -> float:
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL server to repeat the run on (a scratch database)"
    )
    args = parser.parse_args()
    asyncio.run(run(args.students, postgres_url=args.postgres))


if __name__ == "__main__":
    main()
