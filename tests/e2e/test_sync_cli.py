"""`python -m bot postings sync` as an operator runs it (from cron): a real process against the fake hh API
over HTTP — a full run, an incremental one, a SIGKILL midway and the run that goes on, and each refusal of hh
as one line and a non-zero exit."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from coach.catalog import default_catalog
from storage.db import Database
from storage.models import LeaseRow, Posting
from testkit.fake_hh import FakeHh, realistic_vacancies
from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.e2e
AGENT = "CareerCoach/1.0 (ops@example.kz)"


@pytest.fixture
async def hh():
    fake = FakeHh(realistic_vacancies(datetime.now(UTC)))
    await fake.start()
    yield fake
    await fake.stop()


def environment(hh: FakeHh, url: str, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "HH_", "TELEGRAM_"))},
        "DATABASE_URL": url,
        "HH_API_URL": hh.url,
        "HH_USER_AGENT": AGENT,
        "HH_SYNC_RATE": "100",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


async def start(hh: FakeHh, url: str, tmp_path, *args: str, **extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "postings", "sync", *args, cwd=tmp_path, env=environment(hh, url, **extra),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def sync(hh: FakeHh, url: str, tmp_path, *args: str, **extra: str) -> tuple[int, str, str]:
    process = await start(hh, url, tmp_path, *args, **extra)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode, out.decode(), err.decode()


async def postings(url: str) -> int:
    db = Database.open(url)
    try:
        async with db.read() as session:
            return await session.scalar(select(func.count()).select_from(Posting).where(Posting.source == "hh"))
    finally:
        await db.dispose()


async def test_a_full_run_then_an_incremental_one(hh, tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'sync.sqlite3'}"
    code, out, err = await sync(hh, url, tmp_path)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("hh sync completed (full, run 1): listed ")
    assert "added 294," in lines[0] and "failed 0" in lines[0]
    names = {line.split(":")[0].strip() for line in lines[1:]}
    assert names == {role.name for role in default_catalog().roles.values()}
    assert await postings(url) == 294
    code, out, err = await sync(hh, url, tmp_path)
    assert code == 0, err
    assert out.startswith("hh sync completed (incremental, run 2): listed 0, fetched 0")


async def test_a_killed_run_goes_on_where_it_was(hh, tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'killed.sqlite3'}"
    hh.delay = 0.01
    process = await start(hh, url, tmp_path)
    while hh.count("/vacancies/") < 120:
        assert process.returncode is None
        await asyncio.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    await process.wait()
    saved = await postings(url)
    assert 0 < saved < 294
    # The dead process's lease would run out within 90 s; the test does not wait for it.
    db = Database.open(url)
    async with db.transaction() as session:
        await session.execute(update(LeaseRow).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    await db.dispose()
    hh.delay = 0
    before = hh.count("/vacancies/")
    code, out, err = await sync(hh, url, tmp_path)
    assert code == 0, err
    assert out.startswith("hh sync completed (full, run 1, resumed)")
    assert await postings(url) == 294
    assert hh.count("/vacancies/") - before <= 294 - saved + 100  # at most the page it was on, again


@pytest.mark.parametrize(
    ("setup", "expected", "code"),
    [
        ("captcha", "https://hh.ru/account/captcha", 3),
        ("token", "refused anonymous access (403 forbidden): register the application at dev.hh.ru", 3),
        ("agent", "names no contact e-mail", 2),
        ("down", "after 4 attempts: run the sync again later", 1),
    ],
)
async def test_each_refusal_is_one_line_and_a_non_zero_exit(hh, tmp_path, setup, expected, code):
    url = f"sqlite+aiosqlite:///{tmp_path / 'refused.sqlite3'}"
    extra: dict[str, str] = {}
    if setup == "captcha":
        hh.captcha_after = 0
    elif setup == "token":
        hh.token = "secret-app-token"
    elif setup == "agent":
        extra["HH_USER_AGENT"] = "CareerCoach/0.1 (career-coach-bot)"
    else:
        extra["HH_API_URL"] = "http://127.0.0.1:9"
    returncode, out, err = await sync(hh, url, tmp_path, **extra)
    assert returncode == code, err
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert expected in err
    assert "Traceback" not in err


async def test_the_bot_syncs_on_its_schedule_and_shows_it_on_metrics_and_in_the_console(api, start_bot, hh):
    """A fresh install with HH_SYNC on: the bot syncs at once (no run yet), one replica at a time; /metrics
    counts what the sync did; the operator's /admin shows it; anyone else's /admin is an unknown command."""
    import aiohttp

    from tests.e2e.conftest import wait_until_healthy
    from tests.e2e.test_webhook import free_port

    port = free_port()
    bot = await start_bot(
        HEALTH_PORT=str(port), HH_SYNC="true", HH_API_URL=hh.url, HH_USER_AGENT=AGENT, HH_SYNC_RATE="100",
        ADMIN_IDS="555",
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    await wait_until_healthy(base)
    deadline = asyncio.get_running_loop().time() + 90
    async with aiohttp.ClientSession() as http:
        while True:
            async with http.get(f"{base}/metrics") as response:
                metrics = await response.text()
            if 'coach_sync_postings_total{outcome="added"} 294.0' in metrics:
                break
            assert asyncio.get_running_loop().time() < deadline, "the scheduled sync did not run"
            await asyncio.sleep(0.5)
    assert "coach_newest_posting_age_seconds" in metrics
    api.push_text(555, "/admin")
    console = (await api.wait_for(lambda: api.sent_to(555)))[0].visible
    assert "Operator's console" in console and "completed (full): fetched 294, added 294" in console
    api.push_text(556, "/admin")
    stranger = (await api.wait_for(lambda: api.sent_to(556)))[0].visible
    assert stranger == "I don't know that command. /help lists the ones I do."
    assert "admin" not in {c["command"] for c in api.commands[None]}
    assert "admin" in {c["command"] for c in api.scoped_commands[("chat", 555, None)]}
    assert await bot.stop() == 0
    assert "Traceback" not in bot.log
