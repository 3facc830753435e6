"""A teacher's class at scale: the roster's first page and the class's common gaps with N students, on SQLite.

N onboarded students (bench/seed.py: profiles, skills, roadmaps, a few ticks; a third of them ticked this
week) join one class, in a database with thousands of other students. Measured, each many times after a warm-up:

- **service + text**: what the teacher's screen needs without Telegram — `ClassService.roster(page 0)` or
  `ClassService.summary` (every student's progress, the common gaps) — and the rendered text;
- **through the dispatcher**: the teacher pressing "Roster" / "Common gaps" on the class's screen, through
  the real dispatcher (middlewares, owner check, the edit) against a fake Bot API that answers at once;
- the SQL statements each one sends (the roster reads the page's students only; the gaps read the class in
  three queries, whatever its size);
- once each: the stuck screen, one student's summary, the CSV and the zip of every student's analysis.

The target is under 100 ms for the roster's first page and for the common gaps with 500 students; the figure
is reported, never asserted (tests/test_bench_classes_smoke.py runs this at a tiny size for its counts).

    python -m bench.classes [--students 500] [--repeats 50] [--others 4500]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, func, select, update

from bench.report import report
from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from bot.warmup import settle_heap
from coach.catalog import default_catalog
from coach.skills import SkillParser
from handlers.classes import export, texts
from handlers.common.callbacks import ClassAction, ClassCb
from services.classes import ClassService
from storage.db import Database
from storage.models import ClassMember, RoadmapItem
from testkit.bulk import FIRST_ID, seed_students
from testkit.client import ChatClient
from testkit.telegram import FakeTelegram

TOKEN = "42:BENCH-token-for-the-fake-bot-api-012345"
TEACHER = 77
TARGET_MS = 100.0
WARMUP = 5


class Statements:
    """Counts the SQL statements an engine executes."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        event.listen(db.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *args) -> None:
        self.count += 1


async def timed(work: Callable[[], Awaitable[object]], repeats: int) -> list[float]:
    for _ in range(WARMUP):
        await work()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        await work()
        samples.append(1000 * (time.perf_counter() - started))
    return samples


def p50_p99(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.1f} / {p99:.1f}"


async def run(students: int = 500, repeats: int = 50, others: int = 4500, save: bool = True) -> dict:
    catalog = default_catalog()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'classes.sqlite3'}"
        db = Database.open(url)
        parser = SkillParser(catalog)
        await prepare_storage(db, catalog, parser)
        seeded_at = time.perf_counter()
        # The class's students, and others in the same database (other classes, students on their own).
        await seed_students(db.engine, catalog, students + others)
        await _tick_this_week(db)
        settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url, reminders=False, redis_url=None)
        telegram = FakeTelegram()
        telegram.validate = False  # Telegram's checks are the tests' job; not timed here
        bot = create_bot(settings, TOKEN, session=telegram)
        dp = create_dispatcher(settings=settings, database=db, catalog=catalog)
        await dp.emit_startup(bot=bot, dispatcher=dp, **dp.workflow_data)
        classes: ClassService = dp["classes"]
        i18n = dp["i18n"]

        teacher_client = ChatClient(dp, bot, telegram, user_id=TEACHER, first_name="Aigerim")
        await teacher_client.send("/start")  # the teacher exists (no profile needed to teach)
        teacher = await dp["students"].enter(TEACHER, "en")
        classroom = await classes.create(teacher, "Aigerim", f"A class of {students}")
        assert classroom is not None
        await _join_everyone(db, classroom.id, students)
        seed_seconds = time.perf_counter() - seeded_at
        await settle_heap()  # as the running bot does half a second after start (bot/warmup.py)
        statements = Statements(db)

        async def roster() -> None:
            now = datetime.now(UTC)
            page = await classes.roster(teacher, classroom.id, 0, now)
            assert page is not None and len(page.rows) == min(10, students)
            with i18n.context(), i18n.use_locale("en"):
                texts.roster(catalog, page, now, teacher.timezone, "en")

        async def gaps() -> None:
            view = await classes.gaps(teacher, classroom.id)
            assert view is not None and view.gaps.with_profile == students
            with i18n.context(), i18n.use_locale("en"):
                texts.gaps(catalog, view, "en")

        figures: dict[str, object] = {"students in the class": students, "students in the database": students + others}
        for label, work in (("roster, first page", roster), ("common gaps", gaps)):
            before = statements.count
            await work()
            figures[f"{label}: SQL statements"] = statements.count - before
            samples = await timed(work, repeats)
            figures[f"{label} (service + text): p50 / p99 ms"] = p50_p99(samples)
            figures[f"{label}: p50 under {TARGET_MS:.0f} ms"] = statistics.median(samples) < TARGET_MS

        # The same two screens as the teacher gets them: a press through the real dispatcher, and the edit.
        [home] = await teacher_client.send("/class")
        opened = ClassCb(id=classroom.id, action=ClassAction.OPEN).pack()
        await teacher_client.press(opened, home)
        for label, action in (("roster, first page", ClassAction.ROSTER), ("common gaps", ClassAction.GAPS)):
            pressed = ClassCb(id=classroom.id, action=action).pack()
            for _ in range(WARMUP):
                await teacher_client.press(pressed, telegram.messages[(TEACHER, home.message_id)])
                await teacher_client.press(opened, telegram.messages[(TEACHER, home.message_id)])
            samples = []
            for _ in range(repeats):  # the press, timed; then back to the class's screen, not timed
                screen = telegram.messages[(TEACHER, home.message_id)]
                started = time.perf_counter()
                await teacher_client.press(pressed, screen)
                samples.append(1000 * (time.perf_counter() - started))
                await teacher_client.press(opened, telegram.messages[(TEACHER, home.message_id)])
            figures[f"{label} (through the dispatcher): p50 / p99 ms"] = p50_p99(samples)

        once: dict[str, float] = {}
        now = datetime.now(UTC)
        started = time.perf_counter()
        stuck = await classes.stuck(teacher, classroom.id, now)
        assert stuck is not None
        await classes.nudge_plan(stuck)
        once["stuck screen (last ticks + who can be nudged) ms"] = 1000 * (time.perf_counter() - started)
        started = time.perf_counter()
        summary = await classes.summary(teacher, classroom.id, now)
        assert summary is not None
        once["whole-class summary (digest, CSV: every item read) ms"] = 1000 * (time.perf_counter() - started)
        started = time.perf_counter()
        await classes.member(teacher, classroom.id, FIRST_ID, now)
        once["one student's summary (their gap report) ms"] = 1000 * (time.perf_counter() - started)
        started = time.perf_counter()
        with i18n.context(), i18n.use_locale("en"):
            csv_bytes = export.roster_csv(catalog, summary, teacher.timezone, "en")
        once["CSV of the roster ms"] = 1000 * (time.perf_counter() - started)
        started = time.perf_counter()
        reports = [pair async for pair in classes.reports(teacher, classroom.id, now)]
        with i18n.context(), i18n.use_locale("en"):
            archive = await asyncio.to_thread(export.reports_zip, catalog, reports, "en", now)
        once["zip of every analysis s"] = time.perf_counter() - started
        figures.update(once)
        figures["stuck students"] = len(stuck.stuck)
        figures["CSV / zip KB"] = f"{len(csv_bytes) // 1024} / {len(archive) // 1024}"
        figures["seeding s"] = round(seed_seconds, 1)
        await dp.emit_shutdown(bot=bot, dispatcher=dp, **dp.workflow_data)
        await db.dispose()
    return report(f"classes-{students}-students", list(figures.items()), save=save)


async def _tick_this_week(db: Database) -> None:
    """A third of the students ticked an item in the last few days (the seed's ticks are older)."""
    recent = datetime.now(UTC) - timedelta(hours=30)
    async with db.transaction() as session:
        first_items = (
            select(func.min(RoadmapItem.id))
            .where(RoadmapItem.user_id % 3 == 0, RoadmapItem.state == "open")
            .group_by(RoadmapItem.user_id)
        )
        await session.execute(
            update(RoadmapItem)
            .where(RoadmapItem.id.in_(first_items.scalar_subquery()))
            .values(state="done", done_at=recent)
        )


async def _join_everyone(db: Database, class_id: int, students: int) -> None:
    now = datetime.now(UTC)
    async with db.transaction() as session:
        await session.execute(
            ClassMember.__table__.insert(),
            [
                {"class_id": class_id, "user_id": FIRST_ID + n, "display_name": f"Student {n:04d}",
                 "joined_at": now - timedelta(days=30)}
                for n in range(students)
            ],
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--others", type=int, default=4500, help="students in the database outside the class")
    args = parser.parse_args()
    asyncio.run(run(args.students, args.repeats, args.others))


if __name__ == "__main__":
    main()
