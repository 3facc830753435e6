"""Students in a database, made the way the bot makes them, for tests that then start real processes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.bootstrap import prepare_storage
from coach.catalog import default_catalog
from coach.skills import SkillParser
from services.coaching import CoachService
from services.schedule import reschedule
from storage.db import create_engine, create_session_pool
from storage.models import ReminderSettings
from storage.users import UserRepo


async def seed_students(url: str, due: Iterable[int], later: Iterable[int] = (), role: str = "qa") -> None:
    """Students with a profile and weekly reminders; those in `due` are due a minute ago."""
    due, later = list(due), list(later)
    catalog = default_catalog()
    engine = create_engine(url)
    pool = create_session_pool(engine)
    await prepare_storage(engine, pool, catalog, SkillParser(catalog))
    now = datetime.now(UTC)
    async with pool.begin() as session:
        for user_id in due + later:
            user = await UserRepo(session).ensure(user_id, "en", "Asia/Almaty")
            await CoachService(session, catalog).save_profile(
                user, role_id=role, level="junior", city="Almaty", have={"sql"}, want=set()
            )
            await reschedule(session, user, now, weekday=0, hour=19, enabled=True, zone=user.timezone)
        await session.execute(
            update(ReminderSettings)
            .where(ReminderSettings.user_id.in_(due))
            .values(next_run_at=now - timedelta(minutes=1))
        )
    await engine.dispose()
