"""Many students in a database in seconds, stored the way the bot stores them after onboarding.

Going through `CoachService.save_profile` costs ~10 ms a student (a plan, a roadmap sync, a reminder) — fine
for a test, minutes for 100,000. Here the same rows are computed once per *profile template* (role, level,
city, skills) and written with SQLAlchemy Core in big batches: a `users` row, `user_skills` (have / want), a
`reminders` row with its next slot, and the roadmap items the plan makes, a few of them ticked. Onboarding
clears the conversation state, so no `fsm_states` rows.

    python -m testkit.bulk DATABASE_URL [--users 10000] [--no-roadmaps]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from coach.catalog import Catalog, default_catalog
from coach.ranking import student_stack
from coach.roadmap import build_plan
from coach.schedule import Schedule, next_run
from storage.market import MarketRepo
from storage.models import ReminderSettings, RoadmapItem, User, UserSkill

FIRST_ID = 1_000_000  # Telegram ids of seeded students start here; benchmarks' live users stay below
BATCH = 5_000  # rows per executemany: big enough to amortise the round trip, small enough to stream
PROFILES_PER_ROLE = 12
LEVELS = ("intern", "junior", "junior", "junior", "middle")  # students: mostly looking for a first job
CITIES = ("Almaty", "Almaty", "Astana", "Shymkent", "Karaganda", "remote", "other")
ZONES = ("Asia/Almaty", "Asia/Almaty", "Asia/Almaty", "Asia/Aqtobe", "Europe/Moscow")


@dataclass(frozen=True)
class Template:
    """One kind of student: what they said in onboarding and the roadmap the plan gave them."""

    role_id: str
    stack: str | None
    level: str
    city: str
    have: tuple[str, ...]
    want: tuple[str, ...]
    items: tuple[tuple[str, int], ...]  # (skill id, action number), in plan order


@dataclass(frozen=True)
class Seeded:
    users: int
    skills: int
    reminders: int
    roadmap_items: int
    seconds: float


async def templates(engine: AsyncEngine, catalog: Catalog, rng: random.Random) -> list[Template]:
    """A dozen profiles per role, each planned once against the role's current market (as onboarding does)."""
    out = []
    markets: dict[tuple[str, str | None], object] = {}
    for role_id, role in catalog.roles.items():
        refs = [*role.core, *role.nice, *(ref for stack in role.stacks for ref in (*stack.core, *stack.nice))]
        pool = list(dict.fromkeys(sid for ref in refs for sid in catalog.members(ref)))
        for _ in range(PROFILES_PER_ROLE):
            have = rng.sample(pool, k=rng.randint(1, min(6, len(pool))))
            rest = [sid for sid in pool if sid not in have]
            want = rng.sample(rest, k=rng.randint(0, min(2, len(rest))))
            stack = student_stack(catalog, role_id, have, want)
            if (role_id, stack) not in markets:
                async with engine.connect() as conn:
                    markets[(role_id, stack)] = await _market(conn, role_id, stack)
            plan = build_plan(catalog, role_id, set(have), tuple(want), markets[(role_id, stack)])
            out.append(
                Template(
                    role_id,
                    stack,
                    rng.choice(LEVELS),
                    rng.choice(CITIES),
                    tuple(have),
                    tuple(want),
                    tuple(plan.items(catalog)),
                )
            )
    return out


async def _market(conn: AsyncConnection, role_id: str, stack: str | None):
    """The role's market through the real repository (an ORM session on this connection)."""
    async with AsyncSession(bind=conn) as session:
        return await MarketRepo(session).snapshot(role_id, stack)


@cache
def _slot(weekday: int, hour: int, zone: str, now: datetime) -> datetime:
    return next_run(Schedule(weekday, hour, zone), now)


COLUMNS = {
    User: ("id", "language", "timezone", "role_id", "stack", "level", "city", "is_active", "last_seen_at",
           "created_at", "updated_at"),
    UserSkill: ("user_id", "skill_id", "status", "position", "created_at"),
    ReminderSettings: ("user_id", "enabled", "weekday", "hour", "next_run_at"),
    RoadmapItem: ("user_id", "skill_id", "action_no", "position", "state", "done_at", "created_at", "updated_at"),
}  # fmt: skip


def _rows(
    count: int, first_id: int, kinds: list[Template], rng: random.Random, now: datetime, roadmaps: bool, stamp
) -> Iterator[tuple[tuple, list[tuple], tuple, list[tuple]]]:
    """Per student: the user row, skill rows, reminder row and roadmap rows (in COLUMNS order), as the bot
    writes them. `stamp` turns a datetime into what the driver gets (done once per value, not per row)."""
    for user_id in range(first_id, first_id + count):
        kind = kinds[rng.randrange(len(kinds))]
        joined = now - timedelta(days=rng.randint(0, 120), seconds=rng.randint(0, 86_399))
        seen = stamp(joined + timedelta(days=rng.randint(0, 14)))
        zone = rng.choice(ZONES)
        language = "ru" if rng.random() < 0.6 else "en"
        active = rng.random() > 0.03
        joined_at = stamp(joined)
        user = (user_id, language, zone, kind.role_id, kind.stack, kind.level, kind.city, active, seen, joined_at,
                joined_at)  # fmt: skip
        skills = [(user_id, sid, "have", 0, joined_at) for sid in kind.have]
        skills += [(user_id, sid, "want", n, joined_at) for n, sid in enumerate(kind.want)]
        weekday, hour = (0, 19) if rng.random() < 0.7 else (rng.randrange(7), rng.randint(8, 21))
        reminder = (user_id, rng.random() > 0.1, weekday, hour, stamp(_slot(weekday, hour, zone, now)))
        items = []
        if roadmaps:
            done = rng.choice((0, 0, 1, 2, 3, 5, 8))
            for position, (skill_id, action_no) in enumerate(kind.items):
                if position < done:
                    done_at = stamp(joined + timedelta(days=position + 1))
                    items.append((user_id, skill_id, action_no, position, "done", done_at, joined_at, done_at))
                else:
                    items.append((user_id, skill_id, action_no, position, "open", None, joined_at, joined_at))
        yield user, skills, reminder, items


async def seed_students(
    engine: AsyncEngine,
    catalog: Catalog,
    count: int,
    *,
    first_id: int = FIRST_ID,
    roadmaps: bool = True,
    seed: int = 11,
) -> Seeded:
    """Insert `count` onboarded students (ids from `first_id`) in one transaction, in batches."""
    rng = random.Random(seed)
    started = time.perf_counter()
    kinds = await templates(engine, catalog, rng)
    now = datetime.now(UTC).replace(microsecond=0)
    _slot.cache_clear()
    writer = _Writer(engine)
    async with engine.begin() as conn:
        for user, skills, reminder, items in _rows(count, first_id, kinds, rng, now, roadmaps, writer.stamp):
            writer.add(User, [user])
            writer.add(UserSkill, skills)
            writer.add(ReminderSettings, [reminder])
            writer.add(RoadmapItem, items)
            if writer.full():
                await writer.flush(conn)
        await writer.flush(conn)
        totals = [await conn.scalar(select(func.count()).select_from(model)) for model in COLUMNS]
    return Seeded(*totals, seconds=time.perf_counter() - started)


class _Writer:
    """Buffers rows per table and writes them parents first (foreign keys are on).

    On SQLite the rows go to the driver's `executemany` as tuples, with datetimes converted once by the
    column type's own bind processor, so the stored text is exactly what the ORM would store; SQLAlchemy's
    per-row parameter processing would otherwise be two thirds of the time. Other databases get a Core insert.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        dialect = engine.dialect
        self.raw = dialect.name == "sqlite"
        column = User.__table__.c.created_at.type
        processor = column.dialect_impl(dialect).bind_processor(dialect) if self.raw else None
        self.stamp = processor or (lambda value: value)
        self.buffers: dict[type, list[tuple]] = {model: [] for model in COLUMNS}

    def add(self, model: type, rows: list[tuple]) -> None:
        self.buffers[model] += rows

    def full(self) -> bool:
        return any(len(rows) >= BATCH for rows in self.buffers.values())

    async def flush(self, conn: AsyncConnection) -> None:
        for model, rows in self.buffers.items():
            if not rows:
                continue
            columns = COLUMNS[model]
            if self.raw:
                marks = ", ".join("?" * len(columns))
                sql = f"INSERT INTO {model.__tablename__} ({', '.join(columns)}) VALUES ({marks})"
                await conn.exec_driver_sql(sql, rows)
            else:
                await conn.execute(model.__table__.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
            rows.clear()


async def run(database_url: str, users: int, roadmaps: bool = True) -> Seeded:
    from bot.bootstrap import prepare_storage
    from coach.skills import SkillParser
    from storage.db import Database

    catalog = default_catalog()
    db = Database.open(database_url)
    try:
        await prepare_storage(db, catalog, SkillParser(catalog))
        return await seed_students(db.engine, catalog, users, roadmaps=roadmaps)
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--no-roadmaps", dest="roadmaps", action="store_false")
    args = parser.parse_args()
    print(asyncio.run(run(args.database_url, args.users, args.roadmaps)))


if __name__ == "__main__":
    main()
