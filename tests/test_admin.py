"""The operator's console (/admin): for ADMIN_IDS only, on every message and every button; its figures, a
postings sync from a button, a broadcast with preview, confirm and cancel through the rate-limited sender,
and the admin command menu in the operators' chats alone."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import AnyHttpUrl
from sqlalchemy import func, select, update

from bot.bootstrap import prepare_storage
from bot.factory import create_bot, create_dispatcher
from bot.i18n import create_i18n
from bot.sender import Sender
from handlers.common.callbacks import AdminAction, AdminCb
from handlers.reminders import make_composer
from services.broadcast import BroadcastService
from services.coaching import CoachService
from services.reminders import ReminderService
from services.schedule import reschedule
from services.students import StudentService
from storage.models import DeliveryRun, ReminderSettings, User
from storage.users import UserRepo
from testkit.client import ChatClient
from testkit.fake_hh import FakeHh, realistic_vacancies
from testkit.telegram import FakeTelegram
from tests.conftest import TEST_TOKEN

ADMIN = 1001
AGENT = "CareerCoach/1.0 (ops@example.kz)"


@pytest.fixture
async def hh():
    fake = FakeHh(realistic_vacancies(datetime.now(UTC)))
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def console(settings, database, catalog, parser, hh):
    """The real dispatcher with ADMIN_IDS = {1001} and the sync pointed at the fake hh API."""
    await prepare_storage(database, catalog, parser)
    settings = settings.model_copy(
        update={"admin_ids": frozenset({ADMIN}), "hh_api_url": AnyHttpUrl(hh.url), "hh_user_agent": AGENT,
                "hh_sync_rate": 100.0, "send_rate": 500.0, "send_per_chat_interval": 0.0}
    )  # fmt: skip
    telegram = FakeTelegram()
    bot = create_bot(settings, TEST_TOKEN, session=telegram)
    dp = create_dispatcher(settings=settings, database=database, catalog=catalog)
    await dp.emit_startup(bot=bot, dispatcher=dp, **dp.workflow_data)
    yield dp, bot, telegram
    await dp.emit_shutdown(bot=bot, dispatcher=dp, **dp.workflow_data)
    await dp.storage.close()
    assert telegram.refused == [], telegram.refused


def client(env, user_id: int, language: str = "en") -> ChatClient:
    dp, bot, telegram = env
    return ChatClient(dp, bot, telegram, user_id=user_id, language_code=language)


async def students(database, ids, language: str = "en") -> None:
    """Students as the bot makes them on their first message."""
    async with database.transaction() as session:
        for user_id in ids:
            await UserRepo(session).ensure(user_id, language, "Asia/Almaty")


async def test_an_admin_sees_the_console(console, database, catalog):
    await students(database, range(5000, 5012))
    async with database.transaction() as session:
        await UserRepo(session).mark_blocked(5000)
    [reply] = await client(console, ADMIN).send("/admin")
    text = reply.visible
    assert text.startswith("🛠 Operator's console")
    assert "Students: 13 — onboarded 0 · active this week 13 · reminders on 0 · blocked the bot 1" in text
    assert "• Backend Engineer: 7 (no dates)" in text  # the built-in samples
    assert "• Frontend Engineer: none" in text
    assert "Postings sync from hh: never run yet" in text
    assert "Reminders, last 7 days: sent 0 · failed 0 · blocked 0 · skipped 0" in text
    assert [label for label, _ in reply.buttons()] == ["🔄 Refresh", "⬇️ Sync postings now", "📣 Message every student"]


async def test_anyone_else_is_answered_as_for_an_unknown_command_and_their_buttons_do_nothing(console, database):
    stranger = client(console, 2002)
    [unknown] = await stranger.send("/no_such_command")
    [admin] = await stranger.send("/admin")
    assert admin.visible == unknown.visible == "I don't know that command. /help lists the ones I do."
    _, _, telegram = console
    before = len(telegram.messages)
    for action in AdminAction:  # forged console buttons: a toast from the fallback, nothing else
        await stranger.press(AdminCb(action=action).pack())
    assert len(telegram.messages) == before
    async with database.read() as session:
        assert await session.scalar(select(func.count()).select_from(DeliveryRun)) == 0


async def test_the_admin_command_is_in_the_operators_menu_only(console):
    _, _, telegram = console
    everyone = [name for name, _ in telegram.commands[None]]
    assert "admin" not in everyone
    for language in (None, "ru"):
        mine = [name for name, _ in telegram.scoped_commands[("chat", ADMIN, language)]]
        assert mine[: len(everyone)] == everyone and mine[-1] == "admin"
    assert dict(telegram.scoped_commands[("chat", ADMIN, "ru")])["admin"].startswith("Консоль оператора")


async def test_an_operator_who_switches_language_keeps_the_admin_command(console):
    _, _, telegram = console
    admin = client(console, ADMIN)
    await admin.send("/settings")
    await admin.click("Қазақша")
    for language in (None, "ru", "kk"):  # the menus per client language set at start-up are replaced too
        menu = dict(telegram.scoped_commands[("chat", ADMIN, language)])
        assert menu["admin"].startswith("Оператор")
        assert menu["roadmap"].startswith("Жол картаңыз")


async def test_a_sync_from_the_console_fills_the_market_and_the_console_shows_it(console, catalog):
    dp, _, _ = console
    admin = client(console, ADMIN)
    await admin.send("/admin")
    await admin.click("⬇️ Sync postings now")
    _, _, telegram = console
    assert telegram.callback_answers[-1].text == "Sync started. Refresh to follow it."
    await dp.workflow_data["sync"].join()
    await admin.click("🔄 Refresh")
    text = admin.last.visible
    assert "completed (full): fetched 294, added 294, updated 0, expired 0, failed 0." in text
    today = datetime.now(UTC)
    for role in catalog.roles.values():
        line = next(line for line in text.splitlines() if line.startswith(f"• {role.name}:"))
        assert "none" not in line and f"{today.year}" in line, line
    assert "By source: hh 294, samples 7" in text
    metrics = dp.workflow_data["metrics"].render().decode()
    assert 'coach_sync_postings_total{outcome="added"} 294.0' in metrics  # /metrics, in every mode


async def test_a_broadcast_is_previewed_confirmed_sent_once_and_reported(console, database):
    dp, _, telegram = console
    await students(database, range(5000, 5020))
    telegram.blocked = {5003, 5007}
    admin = client(console, ADMIN)
    await admin.send("/admin")
    await admin.click("📣 Message every student")
    assert "now: 21" in admin.last.visible  # 20 students and the admin
    preview, question = await admin.send("New: the market now comes from hh.kz & is updated weekly <3")
    assert preview.visible == "New: the market now comes from hh.kz & is updated weekly <3"
    assert "Send it to 21 students?" in question.visible
    confirm = question
    await admin.click("✅ Send to 21", confirm)
    assert admin.last.visible.startswith("📣 Sending to 21 students")
    await dp.workflow_data["broadcasts"].join()
    received = Counter(m.chat_id for m in telegram.messages.values() if m.text.startswith("New: the market"))
    assert set(received) == set(range(5000, 5020)) - {5003, 5007} | {ADMIN}
    assert received[ADMIN] == 2  # the preview, then the message itself
    assert all(n == 1 for chat, n in received.items() if chat != ADMIN)
    report = [m for m in telegram.sent_to(ADMIN) if m.text.startswith("📣 Sent to every student")]
    assert report[-1].visible == "📣 Sent to every student: 19 delivered · 0 failed · 2 have blocked the bot."
    await admin.press(AdminCb(action=AdminAction.SEND).pack(), confirm)  # a second press sends nothing
    assert telegram.callback_answers[-1].text == "Nothing to send: start again with /admin."
    async with database.read() as session:
        blocked = await session.scalar(select(func.count()).select_from(User).where(User.is_active.is_(False)))
        runs = (await session.scalars(select(DeliveryRun))).all()
    assert blocked == 2
    assert [(r.kind, r.sent, r.blocked) for r in runs] == [("broadcast", 19, 2)]
    await admin.send("/admin")
    console_text = admin.last.visible
    assert "Last message to every student" in console_text and "sent 19 · failed 0 · blocked 2" in console_text


async def test_a_broadcast_can_be_cancelled_and_only_text_is_taken(console, database):
    admin = client(console, ADMIN)
    await admin.send("/admin")
    await admin.click("📣 Message every student")
    from aiogram.types import Sticker

    [hint] = await admin.send_update(sticker=Sticker(file_id="s", file_unique_id="u", type="regular", width=1,
                                                     height=1, is_animated=False, is_video=False))  # fmt: skip
    assert "Only text" in hint.visible
    await admin.send("Something I should not send")
    await admin.click("✖️ Cancel")
    assert admin.last.visible == "Cancelled: nothing was sent."
    await admin.press(AdminCb(action=AdminAction.SEND).pack())
    _, _, telegram = console
    assert telegram.callback_answers[-1].text == "Nothing to send: start again with /admin."
    assert not any(m.text == "Something I should not send" for m in telegram.messages.values() if m.chat_id != ADMIN)


async def test_reminder_runs_are_recorded_for_the_console(console, database, catalog):
    _, bot, telegram = console
    student = await StudentService(database, "Asia/Almaty").enter(7001, "en")
    now = datetime.now(UTC)
    saved = await CoachService(database, catalog).save_profile(
        student, role_id="qa", level="junior", city="Almaty", have={"sql"}, want=set(), now=now
    )
    async with database.transaction() as session:
        await reschedule(session, saved.profile.student, now, weekday=0, hour=19, enabled=True, zone="Asia/Almaty")
        await session.execute(update(ReminderSettings).values(next_run_at=now - timedelta(minutes=1)))
    sender = Sender(bot, rate=100, per_chat_interval=0)
    service = ReminderService(database, catalog, sender, make_composer(catalog, create_i18n()))
    assert (await service.deliver_due_as_sender(now)).sent == 1
    assert await service.deliver_due_as_sender(now) is not None  # nothing due: no run kept
    async with database.read() as session:
        assert await session.scalar(select(func.count()).select_from(DeliveryRun)) == 1
    await client(console, ADMIN).send("/admin")
    assert "Reminders, last 7 days: sent 1 · failed 0 · blocked 0 · skipped 0" in telegram.sent_to(ADMIN)[-1].visible


async def test_a_broadcast_to_1000_students_reaches_each_once_under_the_limits(database, catalog, parser, settings):
    """Through the real sender, against a fake Bot API that answers 429 beyond 100 messages a second or a second
    message to a chat within a second: everyone once, blocked ones marked. How close to the limit it runs, and
    that it draws no 429, is measured by bench/broadcast.py (timings are no test's business: a loaded machine
    shifts them)."""
    await prepare_storage(database, catalog, parser)
    rate = 100.0
    await students(database, range(10_000, 11_000))
    telegram = FakeTelegram()
    telegram.validate = False
    telegram.limits = (rate, 1.0)
    telegram.blocked = set(range(10_000, 10_010))
    bot = create_bot(settings, TEST_TOKEN, session=telegram)
    service = BroadcastService(database, Sender(bot, rate=rate, per_chat_interval=1.0), rate=rate)
    counts = await service.send("Hello from the operators")
    per_chat = Counter(m.chat_id for m in telegram.messages.values())
    assert (counts.sent, counts.blocked, counts.failed) == (990, 10, 0)  # a 429, if any, was waited out
    assert len(per_chat) == 990 and set(per_chat.values()) == {1}
    async with database.read() as session:
        assert await session.scalar(select(func.count()).select_from(User).where(User.is_active.is_(False))) == 10
