"""Two webhook replicas of the real process on PostgreSQL and Redis: a conversation that hops between
them, and a week of reminders that each student gets exactly once. Runs where CI provides the servers."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from redis.asyncio import Redis

from testkit.seeding import seed_students
from tests.conftest import POSTGRES_URL, REDIS_URL, fresh_postgres
from tests.e2e.test_webhook import SECRET, free_port

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(not (POSTGRES_URL and REDIS_URL), reason="needs TEST_POSTGRES_URL and TEST_REDIS_URL (CI)"),
]
DUE = list(range(700, 712))


async def test_two_replicas_share_conversations_and_send_each_reminder_once(api, start_bot):
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    async with fresh_postgres() as url:
        await seed_students(url, DUE, role="devops")
        ports = [free_port(), free_port()]
        common = {
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "WEBHOOK_URL": "https://coach.example.kz",
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_SECRET": SECRET,
            "REMINDER_TICK_SECONDS": "0.5",
        }
        replicas = [await start_bot(**common, WEBHOOK_PORT=str(port)) for port in ports]
        urls = [f"http://127.0.0.1:{port}/telegram/webhook" for port in ports]
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

        async with aiohttp.ClientSession() as http:
            for port in ports:
                await api.wait_for(lambda: api.webhook is not None)
                for _ in range(100):
                    try:
                        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                            if response.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    await asyncio.sleep(0.1)

            turn = 0

            async def post(payload: dict) -> None:
                nonlocal turn
                async with http.post(urls[turn % 2], json=payload, headers=headers) as response:
                    assert response.status == 200
                turn += 1  # the load balancer sends each update to the other replica

            student = 801
            await post(api.update_payload(student, "/start"))
            for label in ["Backend Engineer", "Junior", "Almaty"]:
                await post(api.click_payload(student, api.last(student), label))
            await post(api.update_payload(student, "Python, SQL"))
            await post(api.click_payload(student, api.last(student), "Done"))
            await post(api.click_payload(student, api.last(student), "Skip"))
            assert "Core skills: 2 of 12" in api.last(student).visible

        # Both replicas tick every half second; each due student must get exactly one reminder.
        await api.wait_for(lambda: all(len(api.sent_to(uid)) >= 1 for uid in DUE), timeout=30)
        await asyncio.sleep(3)  # several more ticks on both replicas
        assert {uid: len(api.sent_to(uid)) for uid in DUE} == dict.fromkeys(DUE, 1)
        assert all("Your week's next steps" in api.sent_to(uid)[0].visible for uid in DUE)
        for replica in replicas:
            assert await replica.stop() == 0
        assert api.refused == []
