"""`python -m bot remind --due | --all` as an operator runs it: a real process, the fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

from testkit.seeding import seed_students
from tests.e2e.conftest import ROOT, TOKEN

pytestmark = pytest.mark.e2e


async def remind(api, url: str, *args: str) -> tuple[int, str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_"))},
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{api.port}",
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "remind", *args, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode(), err.decode()


async def test_remind_due_then_all(api, tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'remind.sqlite3'}"
    await seed_students(url, due=[11, 12], later=[13])
    code, out, err = await remind(api, url, "--due")
    assert code == 0, err
    assert out.strip() == "sent 2, skipped 0, failed 0, blocked 0"
    assert {m.chat_id for m in api.messages.values()} == {11, 12}
    code, out, _ = await remind(api, url, "--due")  # nothing is due twice
    assert out.strip() == "sent 0, skipped 0, failed 0, blocked 0"
    code, out, _ = await remind(api, url, "--all")
    assert out.strip() == "sent 3, skipped 0, failed 0, blocked 0"
    assert sorted(m.chat_id for m in api.messages.values()) == [11, 11, 12, 12, 13]
    assert TOKEN not in err
    assert api.refused == []


async def test_remind_without_a_token_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"} | {"PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "remind", "--due", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await process.communicate()
    assert process.returncode == 2
    assert "BOT_TOKEN" in err.decode()
