"""Webhook mode of the real process: secret check, healthz, metrics, a conversation, graceful stop."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from tests.e2e.conftest import TOKEN, wait_until_healthy

pytestmark = pytest.mark.e2e
SECRET = "e2e-webhook-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode(api, start_bot):
    port = free_port()
    bot = await start_bot(
        WEBHOOK_URL="https://coach.example.kz",
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET=SECRET,
    )
    base = f"http://127.0.0.1:{port}"
    await wait_until_healthy(base)  # ready: listening, and the webhook registered
    assert api.webhook["url"] == "https://coach.example.kz/telegram/webhook"
    assert api.webhook["secret_token"] == SECRET
    assert {"message", "callback_query"} <= set(api.webhook["allowed_updates"])
    assert not any(method == "getUpdates" for method, _ in api.calls)  # no polling in webhook mode

    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/healthz") as response:
            assert response.status == 200
        update = api.update_payload(601, "/start", "ru")
        async with http.post(f"{base}/telegram/webhook", json=update) as response:
            assert response.status == 401  # no secret header
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "not-the-secret"}
        async with http.post(f"{base}/telegram/webhook", json=update, headers=wrong) as response:
            assert response.status == 401
        assert api.sent_to(601) == []
        right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with http.post(f"{base}/telegram/webhook", json=update, headers=right) as response:
            assert response.status == 200
        # Handled inside the request: the greeting was sent before Telegram got its 200.
        assert api.sent_to(601)[0].visible.startswith("Привет")
        async with http.get(f"{base}/metrics") as response:
            metrics = await response.text()
        assert 'coach_updates_total{type="message"} 1.0' in metrics
        assert "coach_update_seconds_count 1.0" in metrics

    assert await bot.stop() == 0
    log = bot.log
    assert "update id=" in log and "type=message user=601" in log and "outcome=ok" in log
    assert "bot stopped" in log
    assert SECRET not in log and TOKEN not in log


async def test_webhook_without_a_secret_is_refused_at_start(api, start_bot):
    bot = await start_bot(WEBHOOK_URL="https://coach.example.kz", WEBHOOK_SECRET="")
    assert await bot.exited() == 2
    assert "WEBHOOK_SECRET is required" in bot.log
