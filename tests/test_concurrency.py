"""Many students at once on SQLite: every update waits its turn for the single writer and gets its answer."""

from __future__ import annotations

import asyncio

import storage.db
from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from storage.db import Database
from testkit.client import ChatClient
from testkit.telegram import FakeTelegram
from tests.conftest import TEST_TOKEN


async def test_a_burst_of_students_all_get_answers_none_meets_a_locked_database(tmp_path, catalog, parser, monkeypatch):
    # 40 updates that each hold the write lock across a 20 ms Bot API call queue for ~0.8 s, far past this
    # busy timeout: SQLite's own busy handler would give some of them up with "database is locked".
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 100)
    url = f"sqlite+aiosqlite:///{tmp_path / 'burst.sqlite3'}"
    db = Database.open(url)
    await prepare_storage(db, catalog, parser)
    telegram = FakeTelegram()
    telegram.delay = 0.02
    settings = Settings(_env_file=None, bot_token=TEST_TOKEN, database_url=url, reminders=False)
    bot = create_bot(settings, TEST_TOKEN, session=telegram)
    dp = create_dispatcher(settings=settings, database=db, catalog=catalog)
    students = [ChatClient(dp, bot, telegram, user_id=7000 + n, language_code="en") for n in range(40)]
    try:
        await asyncio.gather(*(student.send("/start") for student in students))
        for student in students:
            replies = telegram.sent_to(student.chat.id)
            assert replies, f"student {student.user.id} got no answer"
            assert not any("went wrong" in reply.visible for reply in replies)
            assert "Step 1 of 5" in replies[-1].visible
    finally:
        await db.dispose()
