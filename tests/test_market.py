"""/market: demand as numbers and a chart, salaries, and postings a student adds by text or hh.kz link."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiohttp import web
from pydantic import AnyHttpUrl
from sqlalchemy import func, select

from bot.factory import create_dispatcher
from services.hh import HhError, fetch_vacancy, vacancy_id
from storage.models import Posting
from testkit.client import ChatClient
from tests.test_journey import onboard

FIXTURES = Path(__file__).parent / "fixtures"


def test_vacancy_ids_are_read_from_links():
    assert vacancy_id("https://astana.hh.kz/vacancy/128313024?query=backend") == "128313024"
    assert vacancy_id("look: hh.ru/vacancy/42") == "42"
    assert vacancy_id("https://example.com/vacancy/1") is None


async def test_market_shows_numbers_and_a_chart(alice):
    await onboard(alice, typed="Python, SQL")
    replies = await alice.send("/market")
    chart, text = replies
    assert chart.content.startswith(b"\x89PNG")
    # The chart's caption is the summary: what it shows and where the numbers come from.
    assert "Market for Backend Engineer · Python" in chart.visible
    assert "7 postings for Backend Engineer · Python: 7 built-in samples" in chart.visible
    # The message after it says only what the chart does not: no second list of the same shares.
    assert "Most asked" not in text.visible and "Market for" not in text.visible
    assert "Salaries by level" in text.visible and "students' market overview" in text.visible
    assert "(3 postings)" not in text.visible  # the samples' salaries are no evidence
    assert "Surprising" in text.visible
    assert [label for label, _ in text.buttons()] == ["➕ Add a posting"]


async def test_a_pasted_posting_counts_in_my_market_only(alice, dana):
    await onboard(alice, typed="Python, SQL")
    await alice.send("/market")
    await alice.click("➕ Add a posting")
    [reply] = await alice.send("Junior Python Developer\nRequirements: Python, Docker, PostgreSQL, Redis, Git")
    assert "Junior Python Developer" in reply.visible
    assert "Your match: 1 of 5 skills" in reply.visible
    assert "Missing:" in reply.visible
    chart, _text = await alice.send("/market")
    assert "8 postings for Backend Engineer · Python: 1 added by you, 7 built-in samples" in chart.visible
    await onboard(dana, role="Backend-разработчик", city="Алматы", typed="Python", done="Готово", skip="Пропустить")
    other, _ = await dana.send("/market")
    assert "7 вакансий по направлению" in other.visible  # Alice's find is not in Dana's market
    assert "добавлено вами" not in other.visible


async def test_a_posting_without_skills_is_not_saved(alice):
    await onboard(alice, typed="Python")
    await alice.send("/market")
    await alice.click("➕ Add a posting")
    [reply] = await alice.send("We are a friendly team with cookies")
    assert "couldn't find any skills" in reply.visible
    from aiogram.types import Sticker

    [hint] = await alice.send_update(sticker=Sticker(file_id="s", file_unique_id="u", type="regular", width=1,
                                                     height=1, is_animated=False, is_video=False))  # fmt: skip
    assert "paste the vacancy's text" in hint.visible


async def test_a_posting_pasted_after_deleting_my_data_asks_for_a_profile(alice, session_pool):
    await onboard(alice, typed="Python")
    _chart, market = await alice.send("/market")
    await alice.send("/delete_me")
    await alice.click("Yes, delete everything")
    await alice.click("➕ Add a posting", market)  # a stale button: no profile to compare a posting with
    assert "send /start" in alice.telegram.callback_answers[-1].text
    await alice.send("Junior Python Developer\nRequirements: Python, Docker")
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(Posting).where(Posting.added_by == 1001)) == 0


@pytest.fixture
async def fake_hh():
    """A local stand-in for api.hh.ru: vacancy 98000001 exists, 404 otherwise, 555 sleeps past timeouts."""
    vacancy = json.loads((FIXTURES / "hh" / "page.json").read_text())["items"][0]
    seen_agents: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen_agents.append(request.headers.get("HH-User-Agent", ""))
        if request.match_info["id"] == "555":
            await asyncio.sleep(2)
        if request.match_info["id"] != vacancy["id"]:
            return web.json_response({"errors": [{"type": "not_found"}]}, status=404)
        return web.json_response(vacancy)

    app = web.Application()
    app.router.add_get("/vacancies/{id}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", seen_agents
    await runner.cleanup()


async def test_a_posting_by_hh_link(settings, database, catalog, dispatcher_env, fake_hh):
    url, agents = fake_hh
    _, bot, telegram = dispatcher_env
    settings = settings.model_copy(update={"hh_api_url": AnyHttpUrl(url)})
    dp = create_dispatcher(settings=settings, database=database, catalog=catalog)
    await dp.emit_startup(bot=bot, dispatcher=dp, **dp.workflow_data)
    try:
        alice = ChatClient(dp, bot, telegram, user_id=1001, first_name="Alice")
        await onboard(alice, typed="Python, SQL")
        await alice.send("/market")
        await alice.click("➕ Add a posting")
        [reply] = await alice.send("https://hh.kz/vacancy/98000001?from=search")
        assert "Python разработчик (Junior) — Kolesa Group" in reply.visible
        assert "Your match: 1 of 5 skills" in reply.visible
        assert agents and agents[0].startswith("CareerCoach/")
        await alice.click(
            "➕ Add another posting", next(m for m in reversed(alice.telegram.sent_to(alice.chat.id)) if m.buttons())
        )
        [missing] = await alice.send("https://hh.ru/vacancy/404404")
        assert "hh.ru has no vacancy 404404" in missing.visible
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp, **dp.workflow_data)  # closes the hh client


async def test_hh_timeouts_and_outages_are_told_apart(fake_hh):
    url, _ = fake_hh
    with pytest.raises(HhError) as timeout:
        await fetch_vacancy(url, "CareerCoach/test", "555", timeout=0.3)
    assert timeout.value.kind == "timeout"
    with pytest.raises(HhError) as missing:
        await fetch_vacancy(url, "CareerCoach/test", "1")
    assert missing.value.kind == "not_found"
    with pytest.raises(HhError) as down:
        await fetch_vacancy("http://127.0.0.1:9", "CareerCoach/test", "1")
    assert down.value.kind == "unavailable"


async def test_market_shows_salaries_by_city_for_my_level(alice, database, catalog, parser, tmp_path):
    """Salaries of the student's level per city with enough postings, with the sample and the dates; a
    currency without a rate is left out and said so, never shown as if it were tenge."""
    from testkit.seeding import importer

    def vacancy(number: int, city: str, low: int, currency: str = "KZT") -> dict:
        return {"id": str(700 + number), "name": "Middle Python Developer", "area": {"name": city},
                "key_skills": [{"name": "Python"}, {"name": "Django"}],
                "published_at": f"2026-11-0{number}T10:00:00+0500",
                "salary": {"from": low, "to": low + 200_000, "currency": currency}}  # fmt: skip

    rows = [vacancy(1, "Алматы", 900_000), vacancy(2, "Алматы", 1_000_000), vacancy(3, "Алматы", 1_100_000),
            vacancy(4, "Астана", 2_000, "USD")]  # fmt: skip
    (tmp_path / "middle.json").write_text(json.dumps(rows, ensure_ascii=False))
    await importer(database, catalog, parser).import_files([tmp_path / "middle.json"])
    await onboard(alice, level="Middle", typed="Python")
    _chart, text = await alice.send("/market")
    assert "Middle by city:" in text.visible
    assert "• Almaty: median 1,100,000 KZT" in text.visible and "(3 postings; 1 Nov 2026 – 3 Nov 2026)" in text.visible
    assert "Astana" not in text.visible.split("Middle by city:")[1]  # one posting is no figure
    assert "Not counted (no exchange rate set): 1 USD." in text.visible


def test_the_market_cache_expires_and_is_per_database():
    from coach.market import MarketSnapshot
    from services.market_cache import MarketCache, cache_for

    now = [100.0]
    cache = MarketCache(ttl=60, clock=lambda: now[0])
    snapshot = MarketSnapshot("backend", 1, {"python": 1})
    cache.put("backend", snapshot)
    assert cache.get("backend") is snapshot
    now[0] += 61
    assert cache.get("backend") is None
    cache.put("backend", snapshot)
    cache.invalidate()
    assert cache.get("backend") is None

    class Engine:  # two databases, two caches
        pass

    first, second = Engine(), Engine()
    assert cache_for(first) is cache_for(first)
    assert cache_for(first) is not cache_for(second)


async def test_an_import_shows_in_the_market_at_once(alice, database, catalog, parser):
    from testkit.seeding import importer

    await onboard(alice, typed="Python")
    before, _text = await alice.send("/market")
    assert "7 postings for Backend Engineer · Python" in before.visible
    await importer(database, catalog, parser).import_files([FIXTURES / "hh" / "page.json"])
    after, _text = await alice.send("/market")
    assert "9 postings for Backend Engineer · Python: 2 from hh.kz / hh.ru, 7 built-in samples" in after.visible
