"""Storage on a real SQLite file and a real PostgreSQL: migrations, users, postings, FSM state."""

from __future__ import annotations

import subprocess
import sys

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import event, inspect, select, text

from bot.bootstrap import prepare_storage, sample_postings
from bot.config import Settings
from bot.factory import create_fsm
from storage import migrate
from storage.db import SQLITE_BUSY_TIMEOUT_MS, create_engine, update_scope
from storage.fsm import SqlStorage
from storage.models import Base, FsmRecord, Posting, PostingSkill, RoadmapItem, User, UserSkill
from storage.postings import PostingIn, PostingRepo
from storage.users import UserRepo
from tests.conftest import REDIS_URL


async def test_stairway_every_migration_goes_up_down_and_up(db_url):
    engine = create_engine(db_url)
    try:
        for revision in migrate.revisions():
            await migrate.upgrade(engine, revision)
            await migrate.downgrade(engine, "-1")
            await migrate.upgrade(engine, revision)
            assert await migrate.current_revision(engine) == revision
        await migrate.downgrade(engine, "base")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        assert set(tables) <= {"alembic_version"}
    finally:
        await engine.dispose()


async def test_migrations_build_exactly_the_models(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata)
        )
    assert diff == []


async def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == SQLITE_BUSY_TIMEOUT_MS
    finally:
        await engine.dispose()


async def test_user_is_created_once_and_keeps_big_telegram_ids(session_pool):
    big_id = 7_000_000_000  # Telegram ids no longer fit in 32 bits
    async with session_pool.begin() as session:
        first = await UserRepo(session).ensure(big_id, "ru", "Asia/Almaty")
    async with session_pool.begin() as session:
        again = await UserRepo(session).ensure(big_id, "en", "Europe/Moscow")
    assert first.id == again.id == big_id
    assert again.language == "ru"  # the first contact decided; changing language is explicit
    async with session_pool() as session:
        assert await UserRepo(session).count() == 1


async def test_a_blocked_user_who_writes_again_is_active(session_pool):
    async with session_pool.begin() as session:
        await UserRepo(session).ensure(5, "en", "Asia/Almaty")
        await UserRepo(session).mark_blocked(5)
    async with session_pool.begin() as session:
        assert not (await UserRepo(session).get(5)).is_active
        assert (await UserRepo(session).ensure(5, "en", "Asia/Almaty")).is_active
    async with session_pool() as session:
        user = await session.get(User, 5)
        assert user.is_active
        assert user.blocked_at is None


async def test_deleting_a_user_erases_their_data(session_pool):
    async with session_pool.begin() as session:
        await UserRepo(session).ensure(9, "en", "Asia/Almaty")
        session.add(UserSkill(user_id=9, skill_id="python"))
        session.add(RoadmapItem(user_id=9, skill_id="docker", action_no=0, position=0))
    async with session_pool.begin() as session:
        await UserRepo(session).delete(9)
    async with session_pool() as session:
        assert (await session.scalars(select(UserSkill))).all() == []
        assert (await session.scalars(select(RoadmapItem))).all() == []


async def test_posting_is_updated_by_source_id_not_duplicated(session_pool):
    posting = PostingIn(source="hh", source_id="123", title="Junior Python", skill_ids=("python", "sql"))
    async with session_pool.begin() as session:
        first_id, new = await PostingRepo(session).save(posting)
        assert new
    changed = posting.model_copy(update={"title": "Junior Python Developer", "skill_ids": ("python", "docker")})
    async with session_pool.begin() as session:
        second_id, new = await PostingRepo(session).save(changed)
        assert not new
    assert first_id == second_id
    async with session_pool() as session:
        assert await PostingRepo(session).count() == 1
        assert (await session.get(Posting, first_id)).title == "Junior Python Developer"
        assert sorted(await PostingRepo(session).skills_of(first_id)) == ["docker", "python"]


async def test_sample_postings_load_once_with_their_skills(database, session_pool, catalog, parser):
    await prepare_storage(database, catalog, parser)
    await prepare_storage(database, catalog, parser)  # a restart changes nothing
    async with session_pool() as session:
        assert await PostingRepo(session).count("sample") == len(catalog.sample_postings) == 7
        somnium = await session.scalar(select(Posting).where(Posting.source_id == "seed_somnium"))
        skills = set(await PostingRepo(session).skills_of(somnium.id))
        assert skills == {"python", "django", "drf", "postgresql"}
        kaspi = await session.scalar(select(Posting).where(Posting.source_id == "seed_kaspi"))
        assert (kaspi.salary_from, kaspi.salary_to, kaspi.currency, kaspi.level) == (200000, 300000, "KZT", "intern")
        assert await session.scalar(
            select(PostingSkill.skill_id).where(
                PostingSkill.posting_id == kaspi.id, PostingSkill.skill_id == "algorithms"
            )
        )


def test_every_sample_posting_skill_is_understood(catalog, parser):
    for sample in catalog.sample_postings:
        for written in sample.skills:
            result = parser.parse(written)
            assert result.recognized, (sample.source_id, written)
            assert result.unknown == (), (sample.source_id, written, result.unknown)
    assert all(p.skill_ids for p in sample_postings(catalog, parser))


class Onboarding(StatesGroup):
    skills = State()


@pytest.fixture
def key() -> StorageKey:
    return StorageKey(bot_id=42, chat_id=1001, user_id=1001)


@pytest.fixture(
    params=[
        "sql",
        pytest.param(
            "redis",
            marks=[pytest.mark.redis, pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL not set (CI sets it)")],
        ),
    ]
)
async def fsm(request, database):
    """The FSM storage the factory picks: SQL by default, Redis when REDIS_URL is set."""
    settings = Settings(_env_file=None, redis_url=REDIS_URL if request.param == "redis" else None)
    storage, isolation = create_fsm(settings, database)
    if request.param == "redis":
        await storage.redis.flushdb()
    yield lambda: create_fsm(settings, database)[0]
    await storage.close()
    await isolation.close()


async def test_fsm_state_and_data_survive_a_new_storage_object(fsm, key):
    storage = fsm()
    await storage.set_state(key, Onboarding.skills)
    await storage.set_data(key, {"role": "backend", "skills": ["python", "sql"], "name": "Дана 🙂"})
    restarted = fsm()  # as after a process restart
    assert await restarted.get_state(key) == "Onboarding:skills"
    assert await restarted.get_data(key) == {"role": "backend", "skills": ["python", "sql"], "name": "Дана 🙂"}
    assert await restarted.update_data(key, {"level": "junior"}) == {
        "role": "backend",
        "skills": ["python", "sql"],
        "name": "Дана 🙂",
        "level": "junior",
    }
    await storage.close()
    await restarted.close()


async def test_fsm_keys_do_not_leak_between_users(fsm, key):
    storage = fsm()
    other = StorageKey(bot_id=42, chat_id=2002, user_id=2002)
    await storage.set_state(key, "A:b")
    await storage.set_data(key, {"x": 1})
    assert await storage.get_state(other) is None
    assert await storage.get_data(other) == {}
    await storage.close()


async def test_fsm_refuses_data_redis_could_not_store(fsm, key):
    storage = fsm()
    with pytest.raises(TypeError):
        await storage.set_data(key, {"when": object()})
    await storage.close()


async def test_sql_fsm_clearing_leaves_no_row(database, session_pool, key):
    storage = SqlStorage(database)
    await storage.set_state(key, "A:b")
    await storage.set_data(key, {"x": 1})
    await storage.set_data(key, {})
    await storage.set_state(key, None)
    async with session_pool() as session:
        assert (await session.scalars(select(FsmRecord))).all() == []


async def test_sql_fsm_state_joins_the_updates_next_write_and_a_failed_update_drops_it(database, key):
    storage = SqlStorage(database)

    async def failing_update() -> None:
        async with update_scope(database):
            await storage.set_state(key, "A:b")
            assert await storage.get_state(key) == "A:b"  # visible inside the update
            raise RuntimeError("the handler failed")

    with pytest.raises(RuntimeError):
        await failing_update()
    assert await storage.get_state(key) is None  # dropped with the update

    async with update_scope(database):
        await storage.set_state(key, "A:c")
        async with database.transaction() as session:  # the step's data is saved: the state commits with it
            await session.execute(text("SELECT 1"))
        async with database.read() as session:
            stored = await session.scalar(select(FsmRecord.state).where(FsmRecord.key.contains("1001")))
        assert stored == "A:c"


async def test_sql_fsm_writes_once_per_update(engine, database, key):
    """A handler sets state and data several times per step; the update writes the row once."""
    storage = SqlStorage(database)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    async def update(*writes) -> None:
        async with update_scope(database):
            for write in writes:
                await write()

    await update(
        lambda: storage.set_state(key, "A:b"),
        lambda: storage.update_data(key, {"x": 1}),
        lambda: storage.update_data(key, {"y": 2}),
    )
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 1
    assert await storage.get_state(key) == "A:b"
    assert await storage.get_data(key) == {"x": 1, "y": 2}

    statements.clear()
    await update(lambda: storage.set_state(key, None), lambda: storage.set_data(key, {}))  # a finished conversation
    assert [s.split()[0].upper() for s in statements if "fsm_states" in s] == ["SELECT", "DELETE"]
    async with database.read() as session:
        assert (await session.scalars(select(FsmRecord))).all() == []

    statements.clear()
    await update(
        lambda: storage.set_state(key, "A:b"), lambda: storage.set_state(key, None)
    )  # set and cleared: nothing stored
    assert [s.split()[0].upper() for s in statements if "fsm_states" in s] == ["SELECT"]


def test_the_head_revision_is_read_as_alembic_reads_it():
    assert migrate.head_revision() == migrate.revisions()[-1]


def test_a_start_on_a_current_database_does_not_load_alembic(tmp_path):
    """Alembic (with mako and pygments) cost 0.4 s per start; a database already at the head skips it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"
    script = (
        "import asyncio, sys\n"
        "from storage.db import create_engine\n"
        "from storage.migrate import upgrade\n"
        f"engine = create_engine({url!r})\n"
        "asyncio.run(upgrade(engine))\n"
        "print('alembic' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert (first.stdout.strip(), again.stdout.strip()) == ("True", "False")
