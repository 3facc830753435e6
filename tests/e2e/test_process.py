"""The real `python -m bot` process talks to a fake Bot API server over HTTP."""

from __future__ import annotations

import asyncio

import pytest

pytestmark = pytest.mark.e2e


async def test_the_bot_greets_in_the_users_language_and_stops_cleanly(api, start_bot):
    from tests.e2e.conftest import TOKEN

    bot = await start_bot()
    await api.wait_for(lambda: any(method == "getUpdates" for method, _ in api.calls))
    assert api.commands[None] and api.commands["ru"], "the command menu is registered in both languages"

    api.push_text(777, "/start", language_code="ru", first_name="Дана")
    api.push_text(888, "/start", language_code="en", first_name="Sam")
    dana = await api.wait_for(lambda: api.sent_to(777))
    sam = await api.wait_for(lambda: api.sent_to(888))
    assert dana[0].visible.startswith("Привет, Дана!")
    assert sam[0].visible.startswith("Hi, Sam!")

    api.push_text(888, "/help")
    help_text = (await api.wait_for(lambda: api.sent_to(888)[1:]))[0].visible
    assert "/start — " in help_text
    assert "/help — " in help_text

    assert await bot.stop() == 0
    log = bot.log
    assert "bot started: @career_coach_bot" in log
    assert "bot stopped" in log
    assert TOKEN not in log
    assert TOKEN.split(":")[1] not in log
    assert "Traceback" not in log


async def test_json_logs_one_line_per_update_and_no_scheduler_ticks(api, start_bot):
    """LOG_FORMAT=json: every line the process writes is a JSON object; each update is logged once (aiogram's
    own line is left out), and the reminder ticks (here every 0.2 s) write nothing at INFO."""
    import json

    bot = await start_bot(LOG_FORMAT="json", REMINDER_TICK_SECONDS="0.2")
    await api.wait_for(lambda: any(method == "getUpdates" for method, _ in api.calls))
    api.push_text(555, "/start")
    await api.wait_for(lambda: api.sent_to(555))
    await asyncio.sleep(1.0)  # a few ticks
    assert await bot.stop() == 0
    entries = [json.loads(line) for line in bot.log.splitlines() if line.strip()]
    messages = [entry["message"] for entry in entries]
    assert len([m for m in messages if m.startswith("update id=")]) == 1, messages
    assert not [m for m in messages if "Update id=" in m or "Running job" in m or "executed successfully" in m]
    assert any(m.startswith("bot started: @career_coach_bot") for m in messages) and "bot stopped" in messages
    assert all(entry["level"] in ("INFO", "WARNING") for entry in entries), entries


async def test_polling_mode_serves_healthz_and_metrics(api, start_bot):
    import aiohttp

    from tests.e2e.conftest import wait_until_healthy
    from tests.e2e.test_webhook import free_port

    port = free_port()
    bot = await start_bot(HEALTH_PORT=str(port))
    base = f"http://127.0.0.1:{port}"
    await wait_until_healthy(base)
    api.push_text(990, "/start")
    await api.wait_for(lambda: api.sent_to(990))
    # The update is counted when its handling ends, a moment after its answer reached the server.
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            async with http.get(f"{base}/metrics") as response:
                metrics = await response.text()
            if 'coach_updates_total{type="message"} 1.0' in metrics:
                break
            await asyncio.sleep(0.1)
    assert 'coach_updates_total{type="message"} 1.0' in metrics
    assert "process_resident_memory_bytes" in metrics and "python_info" in metrics
    assert "coach_reminders_failed_total" in metrics
    assert await bot.stop() == 0


async def test_the_database_is_created_and_migrated_on_start(api, start_bot, tmp_path):
    bot = await start_bot()
    await api.wait_for(lambda: any(method == "getUpdates" for method, _ in api.calls))
    assert (tmp_path / "e2e.sqlite3").exists()
    assert await bot.stop() == 0


async def test_the_fake_server_takes_documents_over_real_http(api):
    """sendDocument as aiogram uploads it (multipart), for the report feature to build on."""
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import BufferedInputFile

    from tests.e2e.conftest import TOKEN

    session = AiohttpSession(api=TelegramAPIServer.from_base(f"http://127.0.0.1:{api.port}"))
    bot = Bot(TOKEN, session=session)
    try:
        sent = await bot.send_document(
            5, BufferedInputFile(b"# Roles and Skills Analysis\n", "report.md"), caption="hi"
        )
    finally:
        await session.close()
    assert sent.document.file_name == "report.md"
    assert api.documents == [(5, "report.md", 28)]


async def test_a_refused_token_or_an_unreachable_telegram_is_one_line_and_a_non_zero_exit(api, start_bot):
    refused = await start_bot(BOT_TOKEN="654321:" + "x" * 35)  # well-formed, but not the fake server's token
    assert await refused.exited(60) == 2
    assert "Telegram refused BOT_TOKEN (401 Unauthorized)" in refused.log
    assert "Traceback" not in refused.log and "x" * 35 not in refused.log

    unreachable = await start_bot(TELEGRAM_API_URL="http://127.0.0.1:9")  # nothing listens on port 9
    assert await unreachable.exited(60) == 1
    assert "Cannot reach the Telegram Bot API at http://127.0.0.1:9/" in unreachable.log
    assert "Traceback" not in unreachable.log and "Unclosed" not in unreachable.log
