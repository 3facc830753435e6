"""The journey through the real bot process, as a student's phone would see it, in each language."""

from __future__ import annotations

import signal

import pytest

from tests.e2e.student import Student

pytestmark = pytest.mark.e2e


async def ready(api) -> None:
    await api.wait_for(lambda: any(method == "getUpdates" for method, _ in api.calls))


async def test_start_to_a_ticked_item_in_english(api, start_bot, tmp_path):
    bot = await start_bot()
    await ready(api)
    aru = Student(api, 501, "en", "Aru")
    [hello] = await aru.send("/start")
    assert hello.visible.startswith("Hi, Aru!")
    await aru.click("Backend Engineer")
    await aru.click("Junior")
    await aru.click("Almaty")
    await aru.click("Python")
    replies = await aru.send("SQL, a bit of REST, PosgreSQL")
    assert "Got it: SQL, REST API, PostgreSQL" in replies[0].visible
    await aru.click("Done")
    replies = await aru.click("Skip", expect="Core skills")
    assert "Core skills: 5 of 12" in replies[-1].visible  # REST API brings HTTP
    assert "which covers HTTP too" in replies[-1].visible
    replies = await aru.click("My roadmap", expect="Done: 0 of")
    roadmap = replies[-1]
    await aru.click("1 ✅", roadmap)
    assert "✅ 1." in api.messages[(501, roadmap.message_id)].visible
    assert "Done: 1 of" in api.messages[(501, roadmap.message_id)].visible
    await aru.send("/report")
    await api.wait_for(lambda: api.documents)
    assert api.documents[-1][0] == 501
    assert api.documents[-1][1] == "roles-and-skills-analysis.md" and api.documents[-1][2] > 2000
    assert api.refused == []
    (tmp_path / "transcript-en.txt").write_text(api.transcript(501))
    assert await bot.stop() == 0


async def test_killed_mid_onboarding_and_restarted_nothing_is_lost_in_russian(api, start_bot, tmp_path):
    bot = await start_bot()
    await ready(api)
    dana = Student(api, 502, "ru", "Дана")
    [hello] = await dana.send("/start")
    assert hello.visible.startswith("Привет, Дана!")
    await dana.click("Data Engineer")
    await dana.click("Junior")
    assert await bot.stop(signal.SIGKILL) == -signal.SIGKILL  # no goodbye, no flush: as a crash

    restarted = await start_bot()
    await api.wait_for(lambda: sum(method == "getMe" for method, _ in api.calls) >= 2)
    await dana.click("Астана")  # a button from before the crash: the conversation goes on
    assert "Что вы уже знаете?" in dana.last.visible
    await dana.send("Python, SQL, Airflow")
    await dana.click("Готово")
    replies = await dana.click("Пропустить", expect="Ключевые навыки")
    report = replies[-1].visible
    assert "Data Engineer" in report
    assert "Ключевые навыки: 4 из 10" in report
    replies = await dana.click("Мой план", expect="Выполнено: 0 из")
    await dana.click("1 ✅", replies[-1])
    assert "Выполнено: 1 из" in dana.last.visible or "Выполнено: 1 из" in replies[-1].visible
    assert api.refused == []
    (tmp_path / "transcript-ru.txt").write_text(api.transcript(502))
    assert await restarted.stop() == 0


async def test_the_journey_in_kazakh_from_a_kazakh_client(api, start_bot, tmp_path):
    bot = await start_bot()
    await ready(api)
    assert api.commands["kk"], "the command menu is registered in Kazakh"
    aigerim = Student(api, 503, "kk", "Әйгерім")
    [hello] = await aigerim.send("/start")
    assert hello.visible.startswith("Сәлем, Әйгерім!")
    await aigerim.click("Backend-әзірлеуші")
    await aigerim.click("Junior")
    await aigerim.click("Алматы")
    await aigerim.click("Python")
    replies = await aigerim.send("SQL, аздап REST, PosgreSQL")  # a Kazakh filler and a typo
    assert "Түсіндім: SQL, REST API, PostgreSQL" in replies[0].visible
    replies = await aigerim.send("PostgreSQL алып таста")  # one skill out, the rest kept
    assert "Таңдалды (3): Python, SQL, REST API" in aigerim.last.visible
    await aigerim.click("Дайын")
    replies = await aigerim.send("Docker, тестілеу", expect="Негізгі дағдылар")
    report = replies[-1].visible
    assert "Негізгі дағдылар: 12 ішінен 4" in report
    assert "Docker — өзіңіз атадыңыз" in report  # what she said she lacks comes first, in her words
    replies = await aigerim.click("Жол картам", expect="Орындалған тапсырмалар")
    roadmap = replies[-1]
    assert "Docker · өзіңіз сұрадыңыз" in roadmap.visible
    await aigerim.click("1 ✅", roadmap)
    assert "Орындалған тапсырмалар: " in api.messages[(503, roadmap.message_id)].visible
    assert "✅ 1." in api.messages[(503, roadmap.message_id)].visible
    await aigerim.send("/report")
    await api.wait_for(lambda: api.documents)
    assert api.documents[-1][0] == 503 and api.documents[-1][2] > 2000
    assert api.refused == []
    (tmp_path / "transcript-kk.txt").write_text(api.transcript(503))
    assert await bot.stop() == 0
