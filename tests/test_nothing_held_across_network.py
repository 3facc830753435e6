"""No database transaction, lock, pooled connection or update read session is held while the bot waits on the
network: checked at the moment every Bot API request leaves (a hook in the fake), every hh.ru request arrives,
and every reminder is sent — over a whole journey, a crawl through every button the bot shows, and a reminder
tick."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from pydantic import AnyHttpUrl

from bot.factory import create_dispatcher
from bot.scheduler import reminder_service
from storage.db import Database, current_scope
from storage.reminders import ReminderRepo
from testkit.client import ChatClient
from tests.test_journey import onboard

FIXTURES = Path(__file__).parent / "fixtures"
COMMANDS = ("/gap", "/roadmap", "/progress", "/market", "/report", "/settings", "/reminders", "/profile", "/help")


class Watch:
    """Records, for every network call, anything the process holds in the database at that moment."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.calls: list[str] = []
        self.violations: list[str] = []
        # The pool is process-wide: its count says something only while one update runs at a time.
        self.one_at_a_time = True

    def check(self, what: str) -> None:
        self.calls.append(what)
        held = []
        if self.one_at_a_time and (checked_out := self.database.engine.pool.checkedout()):
            held.append(f"{checked_out} pooled connection(s)")
        if (scope := current_scope()) is not None:
            held += scope.held()
        if held:
            self.violations.append(f"{what}: {', '.join(held)}")

    def telegram_hook(self, method) -> None:
        self.check(type(method).__name__)


@pytest.fixture
async def watched(dispatcher_env, database):
    dp, bot, telegram = dispatcher_env
    watch = Watch(database)
    telegram.on_request.append(watch.telegram_hook)
    return dp, bot, telegram, watch


@pytest.fixture
async def hh_watched(watched):
    """A local api.hh.ru whose handler checks the bot's database as each request arrives."""
    *_, watch = watched
    vacancy = json.loads((FIXTURES / "hh" / "page.json").read_text())["items"][0]

    async def handler(request: web.Request) -> web.Response:
        watch.check("hh.ru GET /vacancies/{id}")
        return web.json_response(vacancy)

    app = web.Application()
    app.router.add_get("/vacancies/{id}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    await runner.cleanup()


async def test_a_whole_journey_holds_nothing_while_telegram_or_hh_answer(
    watched, hh_watched, settings, database, catalog
):
    _, bot, telegram, watch = watched
    settings = settings.model_copy(update={"hh_api_url": AnyHttpUrl(hh_watched)})
    dp = create_dispatcher(settings=settings, database=database, catalog=catalog)
    await dp.emit_startup(bot=bot, dispatcher=dp, **dp.workflow_data)
    alice = ChatClient(dp, bot, telegram, user_id=1001, first_name="Alice")
    try:
        await onboard(alice, typed="Python, SQL, a bit of REST", want="Docker")
        for command in COMMANDS:
            await alice.send(command)
        roadmap = (await alice.send("/roadmap"))[-1]
        await alice.click("1 ✅", roadmap)
        await alice.send("/market")
        await alice.click("➕ Add a posting")
        await alice.send("https://hh.kz/vacancy/98000001")
        await alice.send("hello there")
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp, **dp.workflow_data)
    assert len(watch.calls) > 30 and "hh.ru GET /vacancies/{id}" in watch.calls
    assert watch.violations == []


async def test_every_button_the_bot_shows_holds_nothing_during_its_answers(watched, alice):
    """A seeded random walk through the buttons: whatever screen a press leads to, its Bot API calls find
    nothing held (the walk reaches settings, reminders, pages, undo, language, the stack picker...)."""
    _, _, telegram, watch = watched
    await onboard(alice, typed="Python, SQL", want="Docker")
    rng = random.Random(12)
    pressed = set()
    for step in range(120):
        if step % 15 == 0:
            await alice.send(rng.choice(COMMANDS))
        with_buttons = [m for m in telegram.sent_to(alice.chat.id)[-4:] if m.buttons()]
        if not with_buttons:
            continue
        message = rng.choice(with_buttons)
        _, data = rng.choice(message.buttons())
        if data is None or data.startswith("del:"):  # URL buttons; /delete_me would end the walk early
            continue
        pressed.add(data.split(":")[0])
        await alice.press(data, message)
    assert len(pressed) >= 8, pressed  # the walk went through many kinds of screen
    assert watch.violations == []


async def test_a_reminder_tick_sends_with_nothing_held(watched, alice, settings, database, catalog):
    dp, bot, _, watch = watched
    await onboard(alice, typed="Python, SQL")
    async with database.read() as session:
        reminder = await ReminderRepo(session).get(alice.user.id)
    assert reminder is not None and reminder.next_run_at is not None
    service = reminder_service(bot, settings, database, catalog, dp["i18n"], dp["coach"])
    before = len(watch.calls)
    counts = await service.deliver_due(reminder.next_run_at + timedelta(minutes=1))
    assert counts.sent == 1
    assert watch.calls[before:] == ["SendMessage"]
    assert watch.violations == []


async def test_a_hanging_hh_delays_only_the_student_who_pasted_the_link(watched, settings, database, catalog):
    """hh.ru holds Alice's request until every other student has been answered; if her update blocked theirs,
    nobody would be answered and the test would time out."""
    _, bot, telegram, watch = watched
    release = asyncio.Event()
    vacancy = json.loads((FIXTURES / "hh" / "page.json").read_text())["items"][0]

    async def handler(request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response(vacancy)

    app = web.Application()
    app.router.add_get("/vacancies/{id}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    settings = settings.model_copy(update={"hh_api_url": AnyHttpUrl(url)})
    dp = create_dispatcher(settings=settings, database=database, catalog=catalog)
    await dp.emit_startup(bot=bot, dispatcher=dp, **dp.workflow_data)
    alice = ChatClient(dp, bot, telegram, user_id=1001, first_name="Alice")
    others = [ChatClient(dp, bot, telegram, user_id=2000 + n, first_name="Student") for n in range(10)]
    watch.one_at_a_time = False  # each update's own scope is still checked
    try:
        await onboard(alice, typed="Python, SQL")
        await onboard(others[0], typed="Java, SQL")
        await alice.send("/market")
        await alice.click("➕ Add a posting")
        pasted = asyncio.ensure_future(alice.send("https://hh.kz/vacancy/98000001"))

        async def everyone_else() -> None:
            await asyncio.gather(others[0].send("/gap"), *(other.send("/start") for other in others[1:]))
            release.set()

        await asyncio.wait_for(asyncio.gather(everyone_else(), pasted), timeout=60)
        assert all(telegram.sent_to(other.chat.id) for other in others)
        assert "Kolesa Group" in telegram.sent_to(alice.chat.id)[-1].visible
        assert watch.violations == []
    finally:
        release.set()
        await dp.emit_shutdown(bot=bot, dispatcher=dp, **dp.workflow_data)
        await runner.cleanup()
