"""Many students at once over a real network: the real bot process (`python -m bot run`, long polling) against
the fake Bot API server over HTTP, with Telegram's round trip as a configurable delay on every answer.

1. **Burst**: N new students send /start at the same instant (one getUpdates delivers them all). For each
   round trip RTT (0, 50, 150 ms by default) the time from the moment the updates left the server to each
   student's answer arriving there, p50 / p99 / last, and the **serialisation factor**
       (t_last(RTT) − t_last(0)) / (Bot API calls per update × RTT)
   — 1 when the updates' network waits overlap completely, N when they queue one behind another.
2. **Import beside the bot** (SQLite): a `python -m bot postings import` of a big file runs in a second
   process while students keep writing; every message's wait for its answer, and how many got an apology or
   none at all.

    python -m bench.concurrency [--students 100] [--rtt 0,50,150] [--postgres URL] [--import-postings 40000]

Reported as ratios within the same run; nothing here is a timed assertion.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.imports import write_jsonl
from bench.report import report
from testkit.bot_api_server import FakeBotApiServer
from testkit.databases import scratch_postgres

ROOT = Path(__file__).resolve().parents[1]
BOT_ROOT = Path(os.environ.get("BENCH_BOT_ROOT", ROOT))  # another checkout's bot, for before/after runs
ROUNDS = 3  # each burst is run this many times; the median is reported (a busy machine shifts single runs)
TOKEN = "123456:BENCH-concurrency-token-ABCDEFGHIJ"
READY_TIMEOUT = 60.0
FIRST_STUDENT = 3_000_000


class BotProcess:
    """`python -m bot run` against `api`, on `database_url`; stopped with SIGTERM."""

    def __init__(self, api: FakeBotApiServer, database_url: str, log: Path, **env: str) -> None:
        self.api, self.database_url, self.log_path, self.env = api, database_url, log, env
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> BotProcess:
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "TELEGRAM_"))},
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": f"http://127.0.0.1:{self.api.port}",
            "DATABASE_URL": self.database_url,
            "REMINDERS": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(BOT_ROOT),
            **self.env,
        }
        with self.log_path.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=self.log_path.parent, env=environment,
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            )  # fmt: skip
        deadline = time.perf_counter() + READY_TIMEOUT
        while not any(method == "getUpdates" for method, _ in self.api.calls):
            if self.process.returncode is not None or time.perf_counter() > deadline:
                raise RuntimeError(f"the bot did not start:\n{self.log_path.read_text(errors='replace')[-3000:]}")
            await asyncio.sleep(0.05)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


async def _answered(api: FakeBotApiServer, chats: list[int], timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while any(chat not in api.arrivals for chat in chats):
        if time.perf_counter() > deadline:
            missing = sum(1 for chat in chats if chat not in api.arrivals)
            raise RuntimeError(f"{missing} of {len(chats)} students got no answer in {timeout:.0f} s")
        await asyncio.sleep(0.005)


async def burst(database_url: str, students: int, rtt: float, folder: Path) -> dict[str, float]:
    """N new students' /start at one instant; seconds from their delivery to each answer."""
    api = FakeBotApiServer(token=TOKEN, rtt=rtt)
    await api.start()
    try:
        async with BotProcess(api, database_url, folder / f"bot-rtt{int(rtt * 1000)}.log"):
            # One student first, so the process has built what it builds on first use (types, caches).
            api.push_text(FIRST_STUDENT - 1, "/start")
            await _answered(api, [FIRST_STUDENT - 1], 30)
            await asyncio.sleep(0.5)
            calls_before = sum(1 for method, _ in api.calls if method != "getUpdates")
            chats = [FIRST_STUDENT + number for number in range(students)]
            for chat in chats:
                api.push_text(chat, "/start", first_name="Student")
            await _answered(api, chats, 120)
            delivered = api.delivered_at
            assert delivered is not None
            waits = sorted(api.arrivals[chat][0] - delivered for chat in chats)
            calls = sum(1 for method, _ in api.calls if method != "getUpdates") - calls_before
    finally:
        await api.stop()
    return {
        "last": waits[-1],
        "p50": statistics.median(waits),
        "p99": waits[min(len(waits) - 1, int(0.99 * len(waits)))],
        "calls_per_update": calls / students,
    }


async def median_burst(database_url: str, students: int, rtt: float, folder: Path, rounds: int) -> dict[str, float]:
    runs = [await burst(database_url, students, rtt, folder) for _ in range(rounds)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


async def bursts(
    database_url: str, students: int, rtts: list[float], folder: Path, rounds: int = ROUNDS
) -> list[tuple[str, object]]:
    results = {rtt: await median_burst(database_url, students, rtt, folder, rounds) for rtt in sorted({0.0, *rtts})}
    base = results[0.0]["last"]
    rows: list[tuple[str, object]] = []
    for rtt, result in results.items():
        label = f"RTT {int(rtt * 1000)} ms"
        rows.append((f"{label}: answer p50 / p99 / last s", f"{result['p50']:.2f} / {result['p99']:.2f} / "
                                                              f"{result['last']:.2f}"))  # fmt: skip
        if rtt:
            factor = (result["last"] - base) / (result["calls_per_update"] * rtt)
            rows.append((f"{label}: serialisation factor", round(factor, 2)))
    rows.append(("Bot API calls per update", results[0.0]["calls_per_update"]))
    return rows


async def import_beside(folder: Path, postings: int, students: int, rtt: float) -> list[tuple[str, object]]:
    """Students writing while `postings import` fills the same SQLite file from a second process."""
    url = f"sqlite+aiosqlite:///{folder / 'beside.sqlite3'}"
    big = write_jsonl(folder / "big.jsonl", postings)
    api = FakeBotApiServer(token=TOKEN, rtt=rtt)
    await api.start()
    waits: list[float] = []
    failed = unanswered = 0
    try:
        async with BotProcess(api, url, folder / "bot-beside.log") as bot:
            chats = [FIRST_STUDENT + number for number in range(students)]
            for chat in chats:  # everyone has a conversation going before the import starts
                api.push_text(chat, "/start")
            await _answered(api, chats, 120)
            env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(BOT_ROOT)}
            importer = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "postings", "import", str(big), cwd=folder, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            started = time.perf_counter()
            texts = ["/gap", "/progress", "hello", "/roadmap", "/help"]
            round_no = 0
            while importer.returncode is None:
                for chat in chats:
                    seen = len(api.arrivals.get(chat, []))
                    api.push_text(chat, texts[round_no % len(texts)])
                    sent = time.perf_counter()

                    async def wait(chat: int = chat, seen: int = seen, sent: float = sent) -> float | None:
                        deadline = sent + 30
                        while len(api.arrivals.get(chat, [])) <= seen:
                            if time.perf_counter() > deadline:
                                return None
                            await asyncio.sleep(0.01)
                        return api.arrivals[chat][seen] - sent

                    waits_task = asyncio.ensure_future(wait())
                    waits_task.add_done_callback(lambda t: waits.append(t.result()) if t.result() is not None else None)
                round_no += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(importer.wait(), 1.0)
            import_seconds = time.perf_counter() - started
            out, err = await importer.communicate()
            await asyncio.sleep(3)  # the last round's answers
            sent_messages = round_no * students
            unanswered = sent_messages - len(waits)
            failed = bot.log.count("Traceback") + sum(
                1 for message in api.messages.values() if "something went wrong" in message.text
            )
    finally:
        await api.stop()
    return [
        ("import: postings, seconds", f"{postings}, {import_seconds:.1f} ({out.decode().strip()})"),
        ("import beside the bot: messages sent", sent_messages),
        ("import beside the bot: answered / failed / unanswered", f"{len(waits)} / {failed} / {unanswered}"),
        ("import beside the bot: wait p50 / p99 / longest s", _spread(waits)),
        ("import stderr (first line)", (err.decode().strip().splitlines() or ["-"])[0][:100]),
    ]


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{statistics.median(ordered):.2f} / {ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]:.2f} / " \
           f"{ordered[-1]:.2f}"  # fmt: skip


async def run(students: int = 100, rtts: tuple[float, ...] = (0.05, 0.15), postgres_url: str | None = None,
              import_postings: int = 40_000, rounds: int = ROUNDS, save: bool = True) -> list[dict]:  # fmt: skip
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sqlite = f"sqlite+aiosqlite:///{folder / 'burst.sqlite3'}"
        rows = await bursts(sqlite, students, list(rtts), folder, rounds)
        reports.append(report(f"concurrency-{students}-students-sqlite", rows, save=save))
        if postgres_url:
            async with scratch_postgres(postgres_url) as url:
                rows = await bursts(url, students, list(rtts), folder, rounds)
            reports.append(report(f"concurrency-{students}-students-postgresql", rows, save=save))
        if import_postings:
            rows = await import_beside(folder, import_postings, min(students, 40), 0.1)
            reports.append(report(f"import-beside-the-bot-{import_postings}", rows, save=save))
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--rtt", default="50,150", help="round trips in ms, comma-separated (0 is always run)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to repeat the bursts on")
    parser.add_argument("--import-postings", type=int, default=40_000, help="0: skip the import-beside run")
    args = parser.parse_args()
    rtts = tuple(int(part) / 1000 for part in args.rtt.split(",") if part.strip())
    asyncio.run(run(args.students, rtts, args.postgres, args.import_postings))


if __name__ == "__main__":
    main()
