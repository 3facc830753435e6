"""Regression tests for the adversarial review (issue 13): one per finding not covered where its feature is
tested. Each fails on the code the review found and passes now."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram.types import Chat
from aiohttp import web
from sqlalchemy import func, select

from bot.console import plain
from services.hh import HhClient, HhError
from storage.models import Posting, ReminderSettings, RoadmapItem, User
from testkit.client import ChatClient
from testkit.seeding import importer
from tests.test_journey import onboard

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["id", "title", "company", "city", "level", "salary_from", "salary_to", "currency", "skills", "url", "role"]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return path


def backend(number: int, **fields) -> dict:
    return {
        "id": f"h{number}", "title": "Junior Python Developer", "company": "Kolesa", "city": "Almaty",
        "level": "junior", "skills": "Python; SQL; Docker; Git", "role": "backend", **fields,
    }  # fmt: skip


async def roadmap_items(session_pool, user_id: int) -> dict[int, tuple[str, str]]:
    async with session_pool() as session:
        rows = await session.execute(
            select(RoadmapItem.id, RoadmapItem.skill_id, RoadmapItem.state).where(RoadmapItem.user_id == user_id)
        )
        return {item_id: (skill, str(state)) for item_id, skill, state in rows.all()}


# 1. Old buttons never act on other items: ids are not reused after a profile change.
async def test_old_roadmap_buttons_never_reach_items_made_after_a_profile_change(alice, session_pool):
    await onboard(alice, typed="Python, SQL")
    old_roadmap = (await alice.send("/roadmap"))[-1]
    old = await roadmap_items(session_pool, alice.user.id)
    await alice.send("/profile")
    await alice.click("Role")
    await alice.click("Frontend Engineer")
    new = await roadmap_items(session_pool, alice.user.id)
    made = {item_id: item for item_id, item in new.items() if item_id not in old}
    assert made and min(made) > max(old)  # the new role's items got ids never used before
    assert all(new[item_id][0] == old[item_id][0] for item_id in new.keys() & old.keys())  # kept = same skill
    for _label, data in old_roadmap.buttons():
        if data and data.startswith("i:"):
            await alice.press(data, old_roadmap)
    after = await roadmap_items(session_pool, alice.user.id)
    assert {item_id: after[item_id] for item_id in made} == made  # none of the new items was touched


# 2. A posting's URL cannot break a message: quotes are refused at import, '&' is escaped in the link.
async def test_posting_urls_with_quotes_or_ampersands_never_break_the_gap_report(
    alice, dispatcher_env, database, catalog, parser, tmp_path
):
    _, _, telegram = dispatcher_env
    path = write_csv(tmp_path / "urls.csv", [
        backend(1, url='https://hh.kz/vacancy/1"><b>boom'),
        backend(2, url="https://hh.kz/vacancy/2?from=a&query=b"),
        backend(3, url="javascript:alert(1)"),
    ])  # fmt: skip
    result = await importer(database, catalog, parser).import_files([path])
    assert result.added == 3
    await onboard(alice, typed="Python, SQL")
    report = next(m for m in telegram.sent_to(alice.chat.id) if "Best-matching postings" in m.visible)
    assert 'href="https://hh.kz/vacancy/2?from=a&amp;query=b"' in report.text
    assert "vacancy/1" not in report.text and "javascript" not in report.text
    assert "something went wrong" not in " ".join(m.visible for m in telegram.sent_to(alice.chat.id))
    # The fixture asserts afterwards that Telegram refused nothing.


# 4. /delete_me: the student's pasted postings go too, no other table names them, stale buttons ask for /start.
async def test_delete_me_erases_pasted_postings_and_old_settings_buttons_recreate_nothing(alice, session_pool):
    await onboard(alice, typed="Python, SQL")
    await alice.send("/market")
    await alice.click("➕ Add a posting")
    await alice.send("Junior Python Developer at Kolesa\nRequirements: Python, Django, Docker, PostgreSQL")
    async with session_pool() as session:
        own = (await session.scalars(select(Posting).where(Posting.added_by == alice.user.id))).all()
        assert len(own) == 1 and str(alice.user.id) not in own[0].source_id
    settings = (await alice.send("/settings"))[-1]
    await alice.send("/delete_me")
    await alice.click("Yes, delete everything")
    for label, data in settings.buttons():
        if data and data.startswith("rs:"):  # the reminder's buttons (switching language needs no profile)
            await alice.click(label, settings)
            assert "/start" in alice.telegram.callback_answers[-1].text
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(Posting).where(Posting.added_by.is_not(None))) == 0
        assert await session.get(ReminderSettings, alice.user.id) is None
        user = await session.get(User, alice.user.id)
        assert user is None or user.role_id is None
    [reply] = await alice.send("/settings")
    assert "reminder" not in reply.visible.lower() or "/start" in reply.visible


# 7. /market with postings from 150 cities: the city list is capped, the message keeps its sections.
async def test_market_with_postings_from_150_cities_stays_readable(alice, database, catalog, parser, tmp_path):
    rows = [  # three postings with a salary in each town: enough for a figure per town
        backend(n, city=f"Town {n // 3}", salary_from=300_000 + n * 1000, salary_to=500_000 + n * 1000, currency="KZT")
        for n in range(450)
    ]
    await importer(database, catalog, parser).import_files([write_csv(tmp_path / "towns.csv", rows)])
    await onboard(alice, typed="Python, SQL")
    *_, market = await alice.send("/market")
    assert "more cities" in market.visible
    assert "shortened" not in market.visible
    assert market.visible.count("Town ") <= 10


# 9. hh.ru: no redirect is followed (not even to the API's own host), no answer is read past the byte cap.
async def test_hh_client_follows_no_redirect_and_reads_no_more_than_its_cap():
    secret_read = []

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("/internal/secret")

    async def secret(request: web.Request) -> web.Response:
        secret_read.append(1)
        return web.json_response({"name": "internal secret"})

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(200):  # 12.8 MB if read to the end
            await response.write(b" " * 65_536)
        return response

    app = web.Application()
    app.router.add_get("/vacancies/302", redirect)
    app.router.add_get("/internal/secret", secret)
    app.router.add_get("/vacancies/7", huge)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    client = HhClient(f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}", "CareerCoach/test (a@b.kz)",
                      max_bytes=100_000)  # fmt: skip
    try:
        with pytest.raises(HhError) as redirected:
            await client.vacancy("302")
        assert redirected.value.kind == "unavailable" and "redirect" in redirected.value.detail
        assert secret_read == []
        with pytest.raises(HhError) as too_big:
            await client.vacancy("7")
        assert too_big.value.kind == "unavailable" and "larger than 100000 bytes" in too_big.value.detail
    finally:
        await client.close()
        await runner.cleanup()


# 10. Provokable errors: huge ids, digits that are not ASCII, zones that do not exist, a 5,000-character company.
@pytest.mark.parametrize("data", ["i:9223372036854775808:d:0", "i:-9223372036854775809:s:0", "ri:1:d:²", "p:10**9"])
async def test_out_of_range_or_odd_button_data_gets_a_toast(alice, dispatcher_env, data, caplog):
    _, _, telegram = dispatcher_env
    await onboard(alice, typed="Python")
    roadmap = (await alice.send("/roadmap"))[-1]
    await alice.press(data, roadmap)
    assert telegram.callback_answers[-1].text
    assert "went wrong" not in telegram.callback_answers[-1].text
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.parametrize("typed", ["UTC-13", "UTC-14", "UTC+15", "GMT-99", "Etc/GMT+14"])
async def test_time_zones_that_do_not_exist_get_a_hint_not_an_error(alice, typed, caplog):
    await onboard(alice, typed="Python")
    await alice.send("/settings")
    await alice.click("🌍 Time zone")
    [reply] = await alice.send(typed)
    assert "went wrong" not in reply.visible
    assert "UTC" in reply.visible  # the hint shows the form that works
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_a_5000_character_company_is_cut_wherever_it_is_shown(alice, database, catalog, parser, tmp_path):
    path = write_csv(tmp_path / "long.csv", [backend(1, company="Ж" * 5000, title="Junior Python " + "x" * 250)])
    await importer(database, catalog, parser).import_files([path])
    await onboard(alice, typed="Python, SQL")
    for command in ("/gap", "/market"):
        for message in await alice.send(command):
            assert "Ж" * 201 not in message.visible  # stored cut to 200, shown cut shorter
    # The fixture asserts that Telegram refused nothing (no "message is too long").


# 11. Group chats: one line pointing to the private chat; a press on someone's roadmap changes nothing.
async def test_in_a_group_the_coach_points_to_the_private_chat_and_acts_on_nothing(alice, dispatcher_env, session_pool):
    dp, bot, telegram = dispatcher_env
    await onboard(alice, typed="Python, SQL")
    roadmap = (await alice.send("/roadmap"))[-1]
    before = await roadmap_items(session_pool, alice.user.id)
    group = Chat(id=-100123, type="supergroup", title="Class 3B")
    bob_in_group = ChatClient(dp, bot, telegram, user_id=2002, first_name="Bob", chat=group)
    [reply] = await bob_in_group.send("/roadmap")
    assert "private chat" in reply.visible
    assert await bob_in_group.send("hello everyone") == []  # chatter in the group is not for the coach
    data = dict(roadmap.buttons())["1 ✅"]
    await bob_in_group.press(data, roadmap)
    assert "private chat" in telegram.callback_answers[-1].text
    assert await roadmap_items(session_pool, alice.user.id) == before
    async with session_pool() as session:
        assert await session.get(User, 2002) is None  # Bob became nobody's student by talking in a group


# 12. remind --all: paused means paused.
async def test_remind_everyone_skips_students_who_paused_reminders(dispatcher_env, catalog, settings, database):
    from bot.scheduler import reminder_service

    dp, bot, telegram = dispatcher_env
    students = [ChatClient(dp, bot, telegram, user_id=3000 + n) for n in range(3)]
    for student in students:
        await onboard(student, typed="Python")
    await students[1].send("/settings")
    await students[1].click("⏸ Pause reminders")
    sent_before = {s.user.id: len(telegram.sent_to(s.user.id)) for s in students}
    service = reminder_service(bot, settings, database, catalog, dp["i18n"], dp["coach"])
    counts = await service.broadcast(datetime.now(UTC))
    assert counts.sent == 2
    assert len(telegram.sent_to(students[1].user.id)) == sent_before[students[1].user.id]


# 13. The terminal chat shows no escape sequence from a title; a read-only database is one line, not a traceback.
def test_terminal_chat_prints_no_control_sequences():
    title = "Junior \x1b[2J\x1b[31mPython\x1b[0m &#27;[H Developer\u009b"
    shown = plain(f"<b>{title}</b>", ansi=True)
    assert shown.startswith("\x1b[1m") and shown.endswith("\x1b[0m")  # our own bold, and nothing else
    assert "\x1b" not in shown[4:-4] and "\u009b" not in shown
    assert "Python" in shown and "Developer" in shown


def test_a_read_only_database_is_one_line_with_what_to_do(tmp_path):
    database = tmp_path / "coach.sqlite3"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "BOT_TOKEN": "1:x", "HOME": str(tmp_path)}
    made = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"], cwd=tmp_path, capture_output=True, text=True,
        env={**env, "DATABASE_URL": f"sqlite+aiosqlite:///{database}"}, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    postings = write_csv(tmp_path / "p.csv", [backend(1)])
    read_only = f"sqlite+aiosqlite:///file:{database}?mode=ro&uri=true"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "postings", "import", str(postings)], cwd=tmp_path, capture_output=True,
        text=True, env={**env, "DATABASE_URL": read_only}, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "readonly" in lines[0] and "DATABASE_URL" in lines[0]
    assert "Traceback" not in done.stdout + done.stderr
