"""Reminder settings and the reminder's own buttons, through the real dispatcher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.i18n import create_i18n
from bot.sender import Sender
from coach.zones import Zone, parse_zone
from handlers.reminders import make_composer
from services.reminders import ReminderService
from storage.models import ReminderSettings, RoadmapItem, User
from tests.test_journey import onboard


async def reminder_row(session_pool, user_id: int) -> ReminderSettings:
    async with session_pool() as session:
        return await session.get(ReminderSettings, user_id)


async def test_onboarding_turns_reminders_on_and_says_when(alice, session_pool):
    await onboard(alice, skills=["Python"])
    saved = next(m for m in alice.telegram.sent_to(alice.chat.id) if "Profile saved" in m.visible)
    assert "I'll send your next steps every Monday at 19:00 (UTC+5, Almaty), first on Mon" in saved.visible
    row = await reminder_row(session_pool, alice.user.id)
    assert row.enabled
    assert (row.weekday, row.hour) == (0, 19)
    assert row.next_run_at > datetime.now(UTC)
    assert row.next_run_at.astimezone().weekday() in {0, 6}  # Monday 19:00 in Almaty is Monday 14:00 UTC


async def test_settings_change_day_and_hour(alice, session_pool):
    await onboard(alice, skills=["Python"])
    [settings] = await alice.send("/settings")
    assert "Time zone: UTC+5, Almaty" in settings.visible  # as people say it, never an IANA or Etc/ name
    assert "Reminders: every Monday at 19:00 (UTC+5, Almaty)." in settings.visible
    await alice.click("⏰ Day and time", settings)
    await alice.click("Wednesday")
    await alice.click("08:00")
    shown = alice.telegram.messages[(settings.chat_id, settings.message_id)].visible
    assert "every Wednesday at 08:00 (UTC+5, Almaty)" in shown
    row = await reminder_row(session_pool, alice.user.id)
    assert (row.weekday, row.hour) == (2, 8)
    assert row.next_run_at.hour == 3 and row.next_run_at.weekday() == 2  # 08:00 Almaty = 03:00 UTC


async def test_pause_and_resume(alice, session_pool):
    await onboard(alice, skills=["Python"])
    [settings] = await alice.send("/settings")
    await alice.click("⏸ Pause reminders", settings)
    assert "Reminders: paused" in alice.telegram.messages[(settings.chat_id, settings.message_id)].visible
    assert (await reminder_row(session_pool, alice.user.id)).next_run_at is None
    await alice.click("▶ Resume reminders", alice.telegram.messages[(settings.chat_id, settings.message_id)])
    row = await reminder_row(session_pool, alice.user.id)
    assert row.enabled and row.next_run_at is not None


async def test_time_zone_by_button_and_by_typing(alice, session_pool):
    await onboard(alice, skills=["Python"])
    [settings] = await alice.send("/settings")
    await alice.click("🌍 Time zone", settings)
    assert not [label for label, _ in alice.last.buttons() if "/" in label]  # no "Asia/Tashkent" on buttons
    await alice.click("UTC+5, Tashkent")
    async with session_pool() as session:
        assert (await session.get(User, alice.user.id)).timezone == "Asia/Tashkent"
    await alice.click("🌍 Time zone")
    [hint] = await alice.send("Middle Earth")
    assert "I don't know the time zone “Middle Earth”" in hint.visible
    replies = await alice.send("UTC+6")
    assert "Time zone: UTC+6" in replies[-1].visible and "Etc/" not in replies[-1].visible
    row = await reminder_row(session_pool, alice.user.id)
    assert row.next_run_at.hour == 13  # Monday 19:00 at UTC+6
    for typed, shown, zone in (("Pavlodar", "UTC+5, Pavlodar", "Asia/Almaty"),
                               ("Астана", "UTC+5, Astana", "Asia/Almaty"),
                               ("г. Ташкент", "UTC+5, Tashkent", "Asia/Tashkent")):  # fmt: skip
        await alice.click("🌍 Time zone")
        replies = await alice.send(typed)
        assert f"Time zone: {shown}" in replies[-1].visible
        async with session_pool() as session:
            assert (await session.get(User, alice.user.id)).timezone == zone


def test_typed_zones_are_understood():
    assert parse_zone("asia/almaty") == Zone("Asia/Almaty")
    assert parse_zone("Tashkent") == Zone("Asia/Tashkent", "tashkent")
    assert parse_zone("UTC+5") == Zone("Etc/GMT-5")
    assert parse_zone("GMT-3") == Zone("Etc/GMT+3")
    assert parse_zone("+0") == Zone("UTC")
    assert parse_zone("UTC+25") is None
    assert parse_zone("🙂") is None


async def test_ticks_and_snooze_right_on_the_reminder(alice, session_pool, database, catalog, dispatcher_env):
    _, bot, telegram = dispatcher_env
    await onboard(alice, skills=["Python"])
    service = ReminderService(database, catalog, Sender(bot, rate=1000, per_chat_interval=0),
                              make_composer(catalog, create_i18n()))  # fmt: skip
    row = await reminder_row(session_pool, alice.user.id)
    counts = await service.deliver_due(row.next_run_at + timedelta(minutes=1))
    assert counts.sent == 1
    reminder = alice.last
    assert "Your week's next steps" in reminder.visible
    second_done = dict(reminder.buttons())["2 ✅"]
    await alice.click("2 ✅", reminder)
    edited = telegram.messages[(reminder.chat_id, reminder.message_id)]
    assert "✅ 2." in edited.visible
    assert "1 of" in edited.visible  # the progress line counts the tick
    assert "2 ✅" not in [t for t, _ in edited.buttons()]
    await alice.press(second_done, edited)  # the same tick again (a double tap): no change
    assert telegram.callback_answers[-1].text == "Already marked."
    async with session_pool() as session:
        assert len((await session.scalars(select(RoadmapItem).where(RoadmapItem.state == "done"))).all()) == 1

    before = datetime.now(UTC)
    await alice.click("😴 Snooze a day", edited)
    snoozed = telegram.messages[(reminder.chat_id, reminder.message_id)]
    assert "😴 Snooze a day" not in [t for t, _ in snoozed.buttons()]
    row = await reminder_row(session_pool, alice.user.id)
    assert timedelta(hours=23) < row.next_run_at - before < timedelta(hours=25)


async def test_a_sticker_while_typing_a_time_zone_gets_the_zone_hint(alice):
    from aiogram.types import Sticker

    await onboard(alice, skills=["Python"])
    [settings] = await alice.send("/settings")
    await alice.click("🌍 Time zone", settings)
    sticker = Sticker(
        file_id="s", file_unique_id="u", type="regular", width=1, height=1, is_animated=False, is_video=False
    )
    [reply] = await alice.send_update(sticker=sticker)
    assert "Please type a time zone like Asia/Almaty" in reply.visible
    assert "Which role" not in reply.visible
