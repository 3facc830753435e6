"""Students in a database, made the way the bot makes them, for tests and benchmarks that then start real
processes or measure the bot."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.bootstrap import prepare_storage
from coach.catalog import default_catalog
from coach.skills import SkillParser
from services.coaching import CoachService
from services.schedule import reschedule
from services.students import StudentService
from storage.db import Database
from storage.models import ReminderSettings


async def seed_students(url: str, due: Iterable[int], later: Iterable[int] = (), role: str = "qa") -> None:
    """Students with a profile and weekly reminders; those in `due` are due a minute ago."""
    due, later = list(due), list(later)
    catalog = default_catalog()
    db = Database.open(url)
    await prepare_storage(db, catalog, SkillParser(catalog))
    coach = CoachService(db, catalog)
    students = StudentService(db, "Asia/Almaty")
    now = datetime.now(UTC)
    for user_id in due + later:
        student = await students.enter(user_id, "en")
        saved = await coach.save_profile(student, role_id=role, level="junior", city="Almaty", have={"sql"},
                                         want=set())  # fmt: skip
        async with db.transaction() as session:
            await reschedule(session, saved.profile.student, now, weekday=0, hour=19, enabled=True,
                             zone=student.timezone)  # fmt: skip
    async with db.transaction() as session:
        await session.execute(
            update(ReminderSettings)
            .where(ReminderSettings.user_id.in_(due))
            .values(next_run_at=now - timedelta(minutes=1))
        )
    await db.dispose()


def importer(db: Database, catalog, parser: SkillParser):
    """The postings service the CLI's `postings import` uses, on `db`."""
    from services.postings import PostingService

    return PostingService(db, catalog, parser, CoachService(db, catalog))
