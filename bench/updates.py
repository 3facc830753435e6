"""Update handling cost: the real dispatcher (factory, SQLite file, fake Bot API answering instantly) fed a
realistic mix of updates from many students, against a bare aiogram dispatcher with one echo handler fed the
same number of updates, in the same run.

    python -m bench.updates [--students 200]

Reports updates/s for both, the per-update cost ratio (ours / bare), and p50 / p99 latency per update type.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from aiogram import Dispatcher
from aiogram.types import Message

from bench.report import report
from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from coach.catalog import default_catalog
from coach.skills import SkillParser
from storage.db import create_engine, create_session_pool
from tests.fakes.client import ChatClient, find_button
from tests.fakes.telegram import FakeTelegram

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


async def run(students: int, save: bool = True) -> dict:
    catalog = default_catalog()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url, reminders=False)
        engine = create_engine(url)
        pool = create_session_pool(engine)
        await prepare_storage(engine, pool, catalog, SkillParser(catalog))
        telegram = FakeTelegram()
        bot = create_bot(settings, TOKEN, session=telegram)
        dp = create_dispatcher(settings=settings, session_pool=pool, catalog=catalog)
        await dp.emit_startup(bot=bot, dispatcher=dp, **dp.workflow_data)

        timer = FeedTimer(dp)
        for warmup in range(3):  # imports, caches and prepared statements warm before measuring
            await journey(ChatClient(dp, bot, telegram, user_id=900_000 + warmup), timer)
        timer.timings.clear()
        for student in range(students):
            await journey(ChatClient(dp, bot, telegram, user_id=1_000 + student, first_name="S"), timer)
        timings = timer.timings
        ours_seconds = timer.total()
        updates = sum(len(v) for v in timings.values())
        await dp.emit_shutdown(bot=bot, dispatcher=dp, **dp.workflow_data)
        await engine.dispose()

    bare_telegram = FakeTelegram()
    bare_bot = create_bot(settings, TOKEN, session=bare_telegram)
    bare = Dispatcher()

    @bare.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    bare_timer = FeedTimer(bare)
    client = ChatClient(bare, bare_bot, bare_telegram)
    for _ in range(50):
        await client.send("warm up")
    bare_timer.timings.clear()
    for number in range(updates):
        await client.send(f"echo {number}")
    bare_seconds = bare_timer.total()

    ours_per_update = ours_seconds / updates
    bare_per_update = bare_seconds / updates
    rows: list[tuple[str, object]] = [
        ("updates (each side)", updates),
        ("ours: updates/s", updates / ours_seconds),
        ("bare aiogram echo: updates/s", updates / bare_seconds),
        ("per-update cost ours / bare", ours_per_update / bare_per_update),
    ]
    for kind, values in sorted(timings.items()):
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        rows.append((f"{kind}: p50 / p99 ms", f"{1000 * statistics.median(ordered):.1f} / {1000 * p99:.1f}"))
    return report(f"updates-{students}-students", rows, save=save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=200)
    asyncio.run(run(parser.parse_args().students))


if __name__ == "__main__":
    main()
