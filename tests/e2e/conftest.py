"""The real bot process against the fake Bot API server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from testkit.bot_api_server import FakeBotApiServer

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:E2E-fake-token-ABCDEFGHIJKLMNOPQRSTU"


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log_path: Path

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def exited(self, timeout: float = 30) -> int:
        """Wait for the process to end by itself."""
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await asyncio.wait_for(self.process.wait(), timeout)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApiServer]:
    server = FakeBotApiServer(token=TOKEN)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def start_bot(api: FakeBotApiServer, tmp_path: Path):
    """Start `python -m bot` as a subprocess pointed at the fake server; every process is stopped after."""
    processes: list[BotProcess] = []

    async def start(**env: str) -> BotProcess:
        log_path = tmp_path / f"bot-{len(processes)}.log"
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "TELEGRAM_"))},
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": f"http://127.0.0.1:{api.port}",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'e2e.sqlite3'}",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=tmp_path, env=environment,
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            )  # fmt: skip
        bot = BotProcess(process, log_path)
        processes.append(bot)
        return bot

    yield start
    for bot in processes:  # whatever the test did, no process outlives it (nor warns about it later)
        if bot.process.returncode is None:
            bot.process.kill()
        await bot.process.wait()


async def wait_until_healthy(base: str, timeout: float = 30.0) -> None:
    """Wait for GET /healthz to answer 200: the bot is up, registered and its database answers."""
    import aiohttp

    deadline = asyncio.get_running_loop().time() + timeout
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{base}/healthz did not answer 200 in {timeout} s")
            await asyncio.sleep(0.05)
