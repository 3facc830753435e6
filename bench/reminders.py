"""Reminder fan-out: N due students through the real sender and service against a fake Bot API that
enforces Telegram's limits (global rate, one message per second per chat) and answers 429 beyond them.

    python -m bench.reminders [--users 1000] [--rate 30] [--blocked 10]

Reports wall time, the achieved rate against the configured one (the ratio that matters), 429s provoked,
messages per user (must be exactly one), blocked users marked, and CPU time per reminder.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from bench.report import report
from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot
from bot.i18n import create_i18n
from bot.sender import Sender
from coach.catalog import default_catalog
from coach.skills import SkillParser
from handlers.reminders import make_composer
from services.coaching import CoachService
from services.reminders import ReminderService
from services.students import StudentService
from storage.db import Database
from storage.models import ReminderSettings, User
from testkit.telegram import FakeTelegram

TOKEN = "42:BENCH-token-for-the-fake-bot-api-012345"


async def run(users: int, rate: float, blocked: int, database_url: str | None = None, save: bool = True) -> dict:
    catalog = default_catalog()
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        db = Database.open(url)
        await prepare_storage(db, catalog, SkillParser(catalog))
        now = datetime.now(UTC)
        coach = CoachService(db, catalog)
        for user_id in range(1, users + 1):
            student = await StudentService(db, "Asia/Almaty").enter(user_id, "ru" if user_id % 2 else "en")
            await coach.save_profile(student, role_id="backend", level="junior", city="Almaty",
                                     have={"python", "sql"}, want=())  # fmt: skip
        async with db.transaction() as session:
            await session.execute(update(ReminderSettings).values(next_run_at=now - timedelta(minutes=1)))

        telegram = FakeTelegram()
        telegram.validate = False  # the limits are enforced; HTML checks are the tests' job, not timed here
        telegram.limits = (rate, 1.0)
        telegram.blocked = set(range(1, blocked + 1))
        settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url, reminders=False)
        bot = create_bot(settings, TOKEN, session=telegram)
        sender = Sender(bot, rate=rate, per_chat_interval=1.0)
        service = ReminderService(db, coach, sender, make_composer(catalog, create_i18n()))

        wall, cpu = time.perf_counter(), time.process_time()
        counts = await service.deliver_due(now)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        again = await service.deliver_due(now)  # a second tick finds nothing

        per_user = Counter(m.chat_id for m in telegram.messages.values())
        async with db.read() as session:
            inactive = await session.scalar(select(func.count()).select_from(User).where(User.is_active.is_(False)))
        await db.dispose()

    delivered = counts.sent
    achieved = delivered / wall if wall else 0.0
    rows = [
        ("users due", users),
        ("configured rate (msg/s)", rate),
        ("sent", delivered),
        ("blocked (403) and marked inactive", f"{counts.blocked} / {inactive}"),
        ("wall time (s)", wall),
        ("ideal time users/rate (s)", (users - blocked) / rate),
        ("achieved rate (msg/s)", achieved),
        ("achieved / configured", achieved / rate),
        ("429 provoked", telegram.too_many),
        ("users with exactly one message", sum(1 for n in per_user.values() if n == 1)),
        ("users with more than one", sum(1 for n in per_user.values() if n > 1)),
        ("sent by a second tick", again.sent),
        ("CPU ms per reminder", 1000 * cpu / max(delivered, 1)),
    ]
    return report(f"reminders-{users}-at-{rate:g}", rows, save=save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--blocked", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.users, args.rate, args.blocked))


if __name__ == "__main__":
    main()
