"""Memory and start-up of the real bot process (`python -m bot run`) on a big database, against the fake Bot
API server over real HTTP (tests/fakes/bot_api_server.py), as the end-to-end tests run it.

1. A SQLite file with N onboarded students (testkit/bulk.py) and M generated hh.ru vacancies (the real import).
2. **Start-up**: from spawning the process to its first getUpdates — by then it has imported everything,
   migrated, checked the sample postings, built the dispatcher, registered its commands and is polling, so
   it is the moment a student's message would be read. The median of a few starts, beside two references
   timed in the same run: `python -c pass` and `python -c "import aiogram"`.
3. **Peak memory**: a burst of students arriving within a few seconds — new ones going through onboarding
   to a ticked roadmap item, returning (seeded) ones asking for /gap, /roadmap, /progress; some of each for
   /market (the chart) and /report; each reading a couple of seconds between steps — then VmHWM (peak
   resident set) of the bot process from /proc, with VmRSS when it was ready. Updates the bot failed (and
   students left waiting for a reply) are counted from its log.
4. Where import time goes: `python -X importtime` of what `python -m bot run` imports, largest first.

    python -m bench.footprint [--users 100000] [--postings 100000] [--students 200] [--returning 100]
                              [--starts 3] [--no-roadmaps] [--ramp 5] [--think 2]

Targets: peak RSS at most 150 MB, start-up at most 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.imports import write_jsonl
from bench.report import report
from bot.bootstrap import prepare_storage
from coach.catalog import Catalog, default_catalog
from coach.skills import SkillParser
from storage.db import Database
from testkit.bot_api_server import FakeBotApiServer, ServerMessage
from testkit.bulk import FIRST_ID, seed_students
from testkit.seeding import importer

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:BENCH-footprint-token-ABCDEFGHIJKLM"
READY_TIMEOUT = 60.0
STEP_TIMEOUT = 60.0  # one student's step while hundreds of others are being served; then they give up
ROLES = ("backend", "frontend", "qa", "devops", "data_engineer", "fullstack")
SKILLS_TYPED = ("Python, SQL, a bit of REST, Dokcer", "JavaScript, HTML, CSS, Git", "Linux, bash, Docker", "SQL, Excel")
LABELS = {  # what a student taps, as the buttons read in each language
    "en": {"done": "Done", "skip": "Skip", "level": "Junior"},
    "ru": {"done": "Готово", "skip": "Пропустить", "level": "Junior"},
}
MARKET_EVERY = 5  # one student in five opens /market (a chart, drawn by Pillow), one in five /report
REPORT_EVERY = 5


# -- the fake Bot API, with what a benchmark needs on top ------------------------------------------------------


@dataclass
class BenchApi(FakeBotApiServer):
    """The e2e fake server, plus: when the first getUpdates came, and per-chat
    indexes and change events, so hundreds of simulated students wait for their own chat without polling."""

    first_poll: float | None = None
    chats: dict[int, list[ServerMessage]] = field(default_factory=dict)
    activity: dict[int, int] = field(default_factory=dict)
    pressed: dict[str, int] = field(default_factory=dict)  # callback query id -> user
    _events: dict[int, asyncio.Event] = field(default_factory=dict)

    def changed(self, chat_id: int) -> asyncio.Event:
        return self._events.setdefault(chat_id, asyncio.Event())

    def _touch(self, chat_id: int | None) -> None:
        if chat_id is not None:
            self.activity[chat_id] = self.activity.get(chat_id, 0) + 1
            self.changed(chat_id).set()

    def _sent(self, params: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self.chats.setdefault(chat_id, []).append(self.messages[(chat_id, result["message_id"])])
        self._touch(chat_id)
        return result

    def press(self, user_id: int, message: ServerMessage, label: str, language_code: str) -> None:
        update = self.click_payload(user_id, message, label, language_code)
        self.pressed[update["callback_query"]["id"]] = user_id
        self._push({"callback_query": update["callback_query"]})

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.first_poll is None:
            self.first_poll = time.perf_counter()
        return await super()._m_getUpdates(params)

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._sent(params, await super()._m_sendMessage(params))

    async def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._sent(params, await super()._m_sendDocument(params))

    async def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._sent(params, await super()._m_sendPhoto(params))

    async def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        result = await super()._m_editMessageText(params)
        self._touch(int(params["chat_id"]))
        return result

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        result = await super()._m_editMessageReplyMarkup(params)
        self._touch(int(params["chat_id"]))
        return result

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        await super()._m_answerCallbackQuery(params)
        self._touch(self.pressed.pop(str(params.get("callback_query_id")), None))
        return True


# -- simulated students --------------------------------------------------------------------------------------


@dataclass
class Student:
    api: BenchApi
    id: int
    lang: str
    think: float = 0.0  # mean seconds a student reads before the next tap or message

    def __post_init__(self) -> None:
        self._rng = random.Random(self.id)

    async def _read(self) -> None:
        if self.think:
            await asyncio.sleep(self._rng.uniform(0.5 * self.think, 1.5 * self.think))

    async def _until(self, predicate, what: str) -> Any:
        """Wait until `predicate()` is truthy, woken by activity in this chat only."""
        event = self.api.changed(self.id)
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            event.clear()
            if found := predicate():
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                last = self._messages()[-1].visible[:80] if self._messages() else "nothing"
                raise TimeoutError(f"student {self.id}: no {what} in {STEP_TIMEOUT:.0f}s (last: {last!r})")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _messages(self) -> list[ServerMessage]:
        return self.api.chats.get(self.id, [])

    def _last_buttons(self) -> list[str]:
        messages = self._messages()
        return [text for text, _ in messages[-1].buttons()] if messages else []

    async def past_skills(self, skip: str) -> bool:
        """After Done on the skills: wait for the next question, the stack (True) or the last step (False)."""
        step = await self._until(
            lambda: next((t for t in self._last_buttons() if "🤷" in t or skip in t), None), "the step after skills"
        )
        return "🤷" in step

    async def send(self, text: str, until: str | None = None) -> None:
        """Send a message; wait for a reply (with a button reading `until`, when given: the last message of
        a multi-message answer)."""
        await self._read()
        before = len(self._messages())

        def answered() -> bool:
            new = self._messages()[before:]
            return any(until in t for m in new for t, _ in m.buttons()) if until else bool(new)

        self.api.push_text(self.id, text, language_code=self.lang)
        await self._until(answered, f"reply to {text!r}")

    async def tap(self, *labels: str) -> None:
        """Wait for a button reading one of `labels` (the first that any message has, newest message first),
        press it, wait for the bot to react."""

        def with_button() -> tuple[ServerMessage, str] | None:
            for label in labels:
                for message in reversed(self._messages()):
                    if text := next((t for t, _ in message.buttons() if label in t), None):
                        return message, text
            return None

        await self._read()
        message, text = await self._until(with_button, f"button {labels!r}")  # pressed at once: no edit between
        before = self.api.activity.get(self.id, 0)
        self.api.press(self.id, message, text, self.lang)
        await self._until(lambda: self.api.activity.get(self.id, 0) > before, f"reaction to {text!r}")


async def newcomer(api: BenchApi, catalog: Catalog, user_id: int, number: int, think: float) -> None:
    """A new student: onboarding to the gap report, the roadmap with an item ticked, /progress, maybe more."""
    lang = "ru" if number % 3 == 0 else "en"
    student, words = Student(api, user_id, lang, think), LABELS[lang]
    await student.send("/start")
    await student.tap(catalog.role(ROLES[number % len(ROLES)]).display(lang))
    await student.tap(words["level"])
    await student.tap(catalog.cities[number % 2].display(lang))
    await student.send(SKILLS_TYPED[number % len(SKILLS_TYPED)], until=words["done"])  # the picker again
    await student.tap(words["done"])
    if await student.past_skills(words["skip"]):  # the skills said nothing of the stack: "not decided yet"
        await student.tap("🤷")
    await student.tap(words["skip"])
    await student.tap("📋")  # "My roadmap" under the gap report: the report has arrived
    await student.tap("1 ✅")
    await student.send("/progress")
    await extras(student, number)


async def returning(api: BenchApi, user_id: int, number: int, think: float) -> None:
    """A seeded student back for their reports: /gap, /roadmap with a tick, /progress, maybe more."""
    student = Student(api, user_id, "ru" if number % 2 else "en", think)
    await student.send("/gap")
    await student.send("/roadmap")
    await student.tap("✅", "↩")  # a page whose items are all done has undo buttons only
    await student.send("/progress")
    await extras(student, number)


async def extras(student: Student, number: int) -> None:
    if number % MARKET_EVERY == 0:
        await student.send("/market", until="➕")  # the chart (when the role has postings), then the numbers
    if number % REPORT_EVERY == 1:
        await student.send("/report")


# -- the process --------------------------------------------------------------------------------------------


@dataclass
class Started:
    process: asyncio.subprocess.Process
    seconds: float  # spawn to first getUpdates
    log: Path


async def start_bot(api: BenchApi, database_url: str, folder: Path, number: int) -> Started:
    """Spawn `python -m bot run` the way the e2e tests do; wait for its first getUpdates."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "TELEGRAM_"))},
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{api.port}",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    log = folder / f"bot-{number}.log"
    api.first_poll = None
    with log.open("wb") as out:
        spawned = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=folder, env=environment,
            stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out,
        )  # fmt: skip
    deadline = time.monotonic() + READY_TIMEOUT
    while api.first_poll is None:
        if process.returncode is not None or time.monotonic() > deadline:
            if process.returncode is None:
                process.kill()
                await process.wait()
            raise RuntimeError(f"the bot did not start polling:\n{log.read_text(errors='replace')[-3000:]}")
        await asyncio.sleep(0.002)
    return Started(process, api.first_poll - spawned, log)


async def stop_bot(started: Started) -> int:
    if started.process.returncode is None:
        started.process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(started.process.wait(), 30)


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (peak resident) of a process, in kB."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            figures[key] = int(value.split()[0])
    return figures


async def wall(*argv: str, repeats: int) -> float:
    """Median wall time of running a command to its end (a reference for start-up)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(*argv, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL)
        if await process.wait() != 0:
            raise RuntimeError(f"{argv} failed")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def import_costs(top: int = 12) -> list[tuple[str, float]]:
    """Where import time goes for what `python -m bot run` imports (`-X importtime`): seconds of each
    top-level package's own module code, summed over its modules, largest first."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-X", "importtime", "-c", "import bot.__main__, bot.runners", cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await process.communicate()
    costs: dict[str, float] = {}
    for line in err.decode().splitlines():
        # "import time: self [us] | cumulative | imported package", nested imports indented
        own, _, rest = line.removeprefix("import time:").partition("|")
        if own.strip().isdigit():
            package = rest.partition("|")[2].strip().split(".")[0]
            costs[package] = costs.get(package, 0.0) + int(own) / 1e6
    return sorted(costs.items(), key=lambda kv: -kv[1])[:top]


# -- the benchmark ------------------------------------------------------------------------------------------


async def build_database(
    url: str, users: int, postings: int, roadmaps: bool, folder: Path, catalog: Catalog
) -> tuple[float, float]:
    """The big database, built the way production would have filled it; returns (import s, seed s)."""
    parser = SkillParser(catalog)
    db = Database.open(url)
    try:
        await prepare_storage(db, catalog, parser)
        path = write_jsonl(folder / "vacancies.jsonl", postings)
        started = time.perf_counter()
        await importer(db, catalog, parser).import_files([path])
        imported = time.perf_counter() - started
        path.unlink()
        seeded = await seed_students(db.engine, catalog, users, roadmaps=roadmaps)
    finally:
        await db.dispose()  # the last connection folds the write-ahead log back into the file
    return imported, seeded.seconds


@dataclass(frozen=True)
class Crowd:
    """Who comes in the burst, and how: new students (ids from 10,000), returning (seeded) ones, all arriving
    within `ramp` seconds, each reading `think` seconds on average before their next tap (0: as fast as the
    bot answers — a stress test rather than people)."""

    students: int
    returning: tuple[int, ...]
    ramp: float
    think: float


async def burst(api: BenchApi, catalog: Catalog, crowd: Crowd) -> tuple[float, list[str]]:
    """Everyone at once, as a class that was just told about the bot. Returns the seconds until the last one
    is done, and why each student who got stuck gave up (a reply that never came: the bot failed it)."""
    rng = random.Random(5)

    async def later(delay: float, journey) -> str | None:
        await asyncio.sleep(delay)
        try:
            await journey
        except TimeoutError as stuck:
            return str(stuck)
        return None

    journeys = [newcomer(api, catalog, 10_000 + n, n, crowd.think) for n in range(crowd.students)]
    journeys += [returning(api, user_id, n, crowd.think) for n, user_id in enumerate(crowd.returning)]
    started = time.perf_counter()
    outcomes = await asyncio.gather(*(later(rng.uniform(0, crowd.ramp), journey) for journey in journeys))
    return time.perf_counter() - started, [why for why in outcomes if why]


@dataclass
class Measured:
    startups: list[float]
    at_ready: dict[str, int]
    peak: dict[str, int]
    calls: int
    burst_seconds: float
    stuck: list[str]
    exit_code: int
    log: str  # the measured process's log

    def count(self, text: str) -> int:
        return self.log.count(text)


async def measure(api: BenchApi, url: str, folder: Path, catalog: Catalog, starts: int, crowd: Crowd) -> Measured:
    """Start the bot `starts` times (timed); the last one gets the burst and is measured, then stopped."""
    startups: list[float] = []
    started: Started | None = None
    try:
        for number in range(starts):
            if started is not None:
                await stop_bot(started)
            started = await start_bot(api, url, folder, number)
            startups.append(started.seconds)
        assert started is not None
        at_ready = memory_kb(started.process.pid)
        calls_before = len(api.calls)
        burst_seconds, stuck = await burst(api, catalog, crowd)
        await asyncio.sleep(1.0)  # anything still in flight
        peak = memory_kb(started.process.pid)
        calls = len(api.calls) - calls_before
        exit_code = await stop_bot(started)
        log = started.log.read_text(errors="replace")
        return Measured(startups, at_ready, peak, calls, burst_seconds, stuck, exit_code, log)
    finally:
        if started is not None and started.process.returncode is None:
            started.process.kill()
            await started.process.wait()


async def run(
    users: int = 100_000,
    postings: int = 100_000,
    students: int = 200,
    returning_students: int = 100,
    starts: int = 3,
    roadmaps: bool = True,
    ramp: float = 5.0,
    think: float = 2.0,
    save: bool = True,
) -> dict:
    catalog = default_catalog()
    chosen = random.Random(9).sample(range(FIRST_ID, FIRST_ID + users), k=min(returning_students, users))
    api = BenchApi(token=TOKEN)
    await api.start()
    try:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            url = f"sqlite+aiosqlite:///{folder / 'footprint.sqlite3'}"
            import_seconds, seed_seconds = await build_database(url, users, postings, roadmaps, folder, catalog)
            size_mb = (folder / "footprint.sqlite3").stat().st_size / 2**20
            bare = await wall(sys.executable, "-c", "pass", repeats=5)
            aiogram = await wall(sys.executable, "-c", "import aiogram", repeats=5)
            crowd = Crowd(students, tuple(chosen), ramp, think)
            measured = await measure(api, url, folder, catalog, starts, crowd)
    finally:
        await api.stop()
    costs = await import_costs()
    startup = statistics.median(measured.startups)
    rows: list[tuple[str, object]] = [
        ("students stored / postings imported", f"{users} / {postings}"),
        ("database MB", size_mb),
        ("build: import postings/s", postings / import_seconds if import_seconds else 0.0),
        ("build: seed students/s", users / seed_seconds if seed_seconds else 0.0),
        ("python -c pass (s)", bare),
        ("python -c 'import aiogram' (s)", aiogram),
        (f"start-up to first getUpdates, median of {starts} (s)", startup),
        ("start-ups (s)", " / ".join(f"{s:.2f}" for s in measured.startups)),
        ("start-up / python -c pass", startup / bare),
        ("start-up / import aiogram", startup / aiogram),
        ("RSS when ready (MB)", measured.at_ready["VmRSS"] / 1024),
        ("burst: new students / returning", f"{students} / {len(chosen)}"),
        ("burst: arriving within / reading between steps (s)", f"{ramp:g} / {think:g}"),
        ("burst: Bot API calls", measured.calls),
        ("burst: /market charts sent", len(api.photos)),
        ("burst: /report documents sent", len(api.documents)),
        ("burst: seconds", measured.burst_seconds),
        ("burst: students stuck (a reply never came)", len(measured.stuck)),
        (
            "burst: updates failed / of them 'database is locked'",
            f"{measured.count('outcome=error')} / {measured.count('database is locked')}",
        ),
        ("peak RSS, VmHWM (MB)", measured.peak["VmHWM"] / 1024),
        ("RSS after the burst (MB)", measured.peak["VmRSS"] / 1024),
        ("refused by the Bot API / tracebacks in the log", f"{len(api.refused)} / {measured.count('Traceback')}"),
        ("exit code after SIGTERM", measured.exit_code),
    ]
    extra = {
        "import_seconds_top_level": dict(costs),
        "startups": measured.startups,
        "refused": api.refused[:20],
        "stuck": measured.stuck[:20],
        # The log around each failed update, so a failure in a run explains itself.
        "failed": _around(measured.log, "outcome=error")[:10],
    }
    return report(f"footprint-{users}-users-{postings}-postings", rows, extra, save=save)


def _around(log: str, marker: str, before: int = 8) -> list[str]:
    lines = log.splitlines()
    return ["\n".join(lines[max(0, i - before) : i + 1]) for i, line in enumerate(lines) if marker in line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100_000, help="onboarded students in the database")
    parser.add_argument("--postings", type=int, default=100_000, help="imported hh.ru vacancies")
    parser.add_argument("--students", type=int, default=200, help="new students in the burst")
    parser.add_argument("--returning", type=int, default=100, help="seeded students in the burst")
    parser.add_argument("--starts", type=int, default=3, help="start-ups to time (the last one gets the burst)")
    parser.add_argument("--no-roadmaps", dest="roadmaps", action="store_false", help="seed without roadmap items")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which the burst's students arrive")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between a student's steps (0: stress)")
    args = parser.parse_args()
    asyncio.run(
        run(args.users, args.postings, args.students, args.returning, args.starts, args.roadmaps, args.ramp, args.think)
    )


if __name__ == "__main__":
    main()
