"""Who is writing: the student behind each update, their language, and erasing them on request."""

from __future__ import annotations

from datetime import timedelta

from coach.student import Student
from storage.db import Database
from storage.models import utcnow
from storage.users import UserRepo

SEEN_RESOLUTION = timedelta(hours=1)  # activity (for the nudge) is written at most hourly, to spare the disk


class StudentService:
    def __init__(self, db: Database, default_timezone: str) -> None:
        self._db = db
        self._timezone = default_timezone

    async def enter(self, user_id: int, language: str) -> Student:
        """The student sending an update: read (no lock); written only on first contact, when they come back
        after blocking the bot, or at most hourly to record activity."""
        async with self._db.read() as session:
            found = await UserRepo(session).seen(user_id)
        if found is not None:
            student, last_seen = found
            if student.is_active and last_seen is not None and utcnow() - last_seen <= SEEN_RESOLUTION:
                return student
        async with self._db.transaction() as session:
            return await UserRepo(session).ensure(user_id, language, self._timezone)

    async def set_language(self, student: Student, language: str) -> Student:
        async with self._db.transaction() as session:
            await UserRepo(session).set_language(student.id, language)
        return student.model_copy(update={"language": language})

    async def forget(self, student: Student) -> None:
        """Erase the student: profile, skills, roadmap, reminders, class memberships (what teachers saw of them)
        and the classes they teach with those classes' memberships — all by ON DELETE CASCADE."""
        async with self._db.transaction() as session:
            await UserRepo(session).delete(student.id)
