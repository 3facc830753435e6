"""An operator's broadcast: N students through the real `BroadcastService` and `Sender` against a fake Bot API
that enforces Telegram's limits (R messages in any second for the bot, one per second per chat) and answers
429 beyond them.

    python -m bench.broadcast [--users 1000] [--rate 30] [--blocked 10]

Reports wall time, the achieved rate against the configured one, 429s provoked (must be 0), messages per
student (exactly one), blocked students marked, and CPU time per message.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from bench.report import report
from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot
from bot.sender import Sender
from coach.catalog import default_catalog
from coach.skills import SkillParser
from services.broadcast import BroadcastService
from storage.db import Database
from storage.models import User
from storage.users import UserRepo
from testkit.telegram import FakeTelegram

TOKEN = "42:BENCH-token-for-the-fake-bot-api-012345"


async def run(users: int, rate: float, blocked: int, save: bool = True) -> dict:
    catalog = default_catalog()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        db = Database.open(url)
        await prepare_storage(db, catalog, SkillParser(catalog))
        async with db.transaction() as session:
            for user_id in range(1, users + 1):
                await UserRepo(session).ensure(user_id, "ru" if user_id % 2 else "en", "Asia/Almaty")
        telegram = FakeTelegram()
        telegram.validate = False  # the limits are enforced; HTML checks are the tests' job, not timed here
        telegram.limits = (rate, 1.0)
        telegram.blocked = set(range(1, blocked + 1))
        settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url, reminders=False)
        bot = create_bot(settings, TOKEN, session=telegram)
        service = BroadcastService(db, Sender(bot, rate=rate, per_chat_interval=1.0), rate=rate)

        wall, cpu = time.perf_counter(), time.process_time()
        counts = await service.send("📣 <b>News from the operators</b>: the market now comes from hh.kz every week.")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

        per_user = Counter(m.chat_id for m in telegram.messages.values())
        async with db.read() as session:
            inactive = await session.scalar(select(func.count()).select_from(User).where(User.is_active.is_(False)))
        await db.dispose()

    sent = counts.sent
    achieved = sent / wall if wall else 0.0
    rows = [
        ("students", users),
        ("configured rate (msg/s)", rate),
        ("sent", sent),
        ("blocked (403) and marked inactive", f"{counts.blocked} / {inactive}"),
        ("wall time (s)", wall),
        ("ideal time sent/rate (s)", sent / rate),
        ("least time Telegram allows, R in any second (s)", max(sent - rate, 0) / rate),
        ("achieved rate (msg/s)", achieved),
        ("achieved / configured", achieved / rate),
        ("429 provoked", telegram.too_many),
        ("students with exactly one message", sum(1 for n in per_user.values() if n == 1)),
        ("students with more than one", sum(1 for n in per_user.values() if n > 1)),
        ("CPU ms per message", 1000 * cpu / max(sent, 1)),
    ]
    return report(f"broadcast-{users}-at-{rate:g}", rows, save=save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--blocked", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.users, args.rate, args.blocked))


if __name__ == "__main__":
    main()
