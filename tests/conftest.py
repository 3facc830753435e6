"""Shared fixtures: the catalog, and real databases (a SQLite file always; PostgreSQL when CI provides one).

Storage tests take the `db_url` fixture and so run once per backend. PostgreSQL runs when TEST_POSTGRES_URL
is set (`.ci/run` starts a server and sets it); each test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from coach.catalog import Catalog, default_catalog
from coach.skills import SkillParser
from storage.db import Database
from storage.migrate import upgrade
from testkit.client import ChatClient
from testkit.databases import scratch_postgres
from testkit.telegram import FakeTelegram

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")
TEST_TOKEN = "42:TEST-token-for-the-fake-bot-api-0123456789"

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL not set (CI sets it)"),
        ],
    ),
]


def pytest_terminal_summary(terminalreporter) -> None:
    """The skipped tests in one line, by reason (pytest runs with -rfE: failures and errors are listed one by
    one, skips are not; `pytest -rs` lists them)."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons = Counter(_skip_reason(report) for report in skipped)
    servers = {reason: _servers(reason) for reason in reasons}
    postgres = sum(n for reason, n in reasons.items() if "PostgreSQL" in servers[reason])
    redis = sum(n for reason, n in reasons.items() if servers[reason] == {"Redis"})
    parts = []
    if postgres or redis:
        parts.append(f"{postgres} need PostgreSQL, {redis} Redis (TEST_POSTGRES_URL / TEST_REDIS_URL not set; .ci/run "
                     "sets them)")  # fmt: skip
    parts += [f"{n} × {reason}" for reason, n in reasons.most_common() if not servers[reason]]
    terminalreporter.write_line(f"{len(skipped)} skipped: " + "; ".join(parts))


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ")


def _servers(reason: str) -> set[str]:
    """Which test servers a skip's reason says were not given (not "this variant needs PostgreSQL": that test
    runs on the PostgreSQL side of its parameters)."""
    return {name for key, name in (("TEST_POSTGRES_URL", "PostgreSQL"), ("TEST_REDIS_URL", "Redis")) if key in reason}


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture(scope="session")
def parser(catalog: Catalog) -> SkillParser:
    return SkillParser(catalog)


def fresh_postgres():
    """A new, empty database on the test PostgreSQL server, dropped afterwards."""
    assert POSTGRES_URL
    return scratch_postgres(POSTGRES_URL, prefix="coach_test")


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[str]:
    """A URL to an empty database of the backend under test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
        return
    async with fresh_postgres() as url:
        yield url


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    """The application's database on a migrated, empty database of the backend under test."""
    db = Database.open(db_url)
    await upgrade(db.engine)
    yield db
    await db.dispose()


@pytest.fixture
def engine(database: Database) -> AsyncEngine:
    return database.engine


@pytest.fixture
def session_pool(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for a test to look into the database directly (the bot itself goes through `Database`)."""
    return async_sessionmaker(engine, expire_on_commit=False)


@pytest.fixture
def settings(db_url: str) -> Settings:
    # Reminders are driven by the tests themselves, with a clock they control.
    return Settings(_env_file=None, bot_token=TEST_TOKEN, database_url=db_url, redis_url=None, reminders=False)


@pytest.fixture
async def dispatcher_env(settings: Settings, database: Database, catalog, parser):
    """The real dispatcher from the factory, a bot whose Bot API is FakeTelegram, on a migrated database."""
    await prepare_storage(database, catalog, parser)
    telegram = FakeTelegram()
    bot = create_bot(settings, TEST_TOKEN, session=telegram)
    dp = create_dispatcher(settings=settings, database=database, catalog=catalog)
    await dp.emit_startup(bot=bot, dispatcher=dp, **dp.workflow_data)
    yield dp, bot, telegram
    await dp.emit_shutdown(bot=bot, dispatcher=dp, **dp.workflow_data)
    await dp.storage.close()
    # Whatever a test did, the bot must never have sent something Telegram refuses.
    assert telegram.refused == [], telegram.refused


@pytest.fixture
def alice(dispatcher_env) -> ChatClient:
    dp, bot, telegram = dispatcher_env
    return ChatClient(dp, bot, telegram, user_id=1001, language_code="en", first_name="Alice")


@pytest.fixture
def dana(dispatcher_env) -> ChatClient:
    """A student whose Telegram speaks Russian."""
    dp, bot, telegram = dispatcher_env
    return ChatClient(dp, bot, telegram, user_id=2002, language_code="ru", first_name="Дана")
