"""Shared fixtures: the catalog, and real databases (a SQLite file always; PostgreSQL when CI provides one).

Storage tests take the `db_url` fixture and so run once per backend. PostgreSQL runs when TEST_POSTGRES_URL
is set (`.ci/run` starts a server and sets it); each test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.databases import scratch_postgres
from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from coach.catalog import Catalog, default_catalog
from coach.skills import SkillParser
from storage.db import create_engine, create_session_pool
from storage.migrate import upgrade
from tests.fakes.client import ChatClient
from tests.fakes.telegram import FakeTelegram

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
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_pool(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_pool(engine)


@pytest.fixture
def settings(db_url: str) -> Settings:
    # Reminders are driven by the tests themselves, with a clock they control.
    return Settings(_env_file=None, bot_token=TEST_TOKEN, database_url=db_url, redis_url=None, reminders=False)


@pytest.fixture
async def dispatcher_env(settings: Settings, engine: AsyncEngine, session_pool, catalog, parser):
    """The real dispatcher from the factory, a bot whose Bot API is FakeTelegram, on a migrated database."""
    await prepare_storage(engine, session_pool, catalog, parser)
    telegram = FakeTelegram()
    bot = create_bot(settings, TEST_TOKEN, session=telegram)
    dp = create_dispatcher(settings=settings, session_pool=session_pool, catalog=catalog)
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


@pytest.fixture(scope="session")
def pending_catalog() -> Catalog:
    """The catalog with placeholder profiles of the roles another branch adds (tests/fixtures/catalog)."""
    from bench.evaluation import catalog_with_pending_roles

    return catalog_with_pending_roles()
