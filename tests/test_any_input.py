"""Property: in every conversation state, any text and any button data gets an answer — never an error (none in
the log either), never silence, never something Telegram would refuse — and no button, forged with another
student's ids, changes that student's data."""

from __future__ import annotations

import asyncio
import itertools
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from handlers.classes import ClassFlow
from handlers.common import callbacks
from handlers.common.callbacks import ClassAction
from handlers.market import MarketFlow
from handlers.onboarding import Onboarding
from handlers.settings import SettingsFlow
from storage.db import Database
from storage.migrate import upgrade
from testkit.client import ChatClient
from testkit.telegram import FakeTelegram
from tests.conftest import TEST_TOKEN

BASE = {"role": "backend", "level": "junior", "city": "Almaty", "have": ["python"], "want": []}
STATES: dict[str | None, dict] = {
    None: {},
    Onboarding.role.state: {"mode": "new"},
    Onboarding.modules.state: {"mode": "new", "modules": ["client"]},
    Onboarding.level.state: {"mode": "new", "role": "backend"},
    Onboarding.city.state: {"mode": "new", "role": "backend", "level": "junior"},
    Onboarding.skills.state: {"mode": "new", **BASE},
    Onboarding.want.state: {"mode": "new", **BASE},
    Onboarding.conflicts.state: {"mode": "new", **BASE, "want": ["python"], "conflicts": ["python"]},
    Onboarding.stack.state: {"mode": "new", **BASE},
    SettingsFlow.zone.state: {},
    MarketFlow.posting.state: {},
    ClassFlow.name.state: {},
    ClassFlow.rename.state: {"class_id": 1},
}
# Every kind of button the bot makes (read from the callback module, so a new one is covered when it is added).
PREFIXES = [
    *sorted({c.__prefix__ for c in vars(callbacks).values() if isinstance(c, type) and hasattr(c, "__prefix__")}),
    "zz",
]
VICTIM = 49_999  # an onboarded student whose roadmap item ids forged buttons use
huge = st.one_of(st.integers(-(2**70), 2**70), st.sampled_from([2**63, 2**63 - 1, -(2**63), 10**30]))
button_data = st.one_of(
    st.text(min_size=1, max_size=64),
    st.binary(min_size=1, max_size=64).map(lambda raw: raw.decode(errors="replace")),
    st.builds(lambda prefix, rest: f"{prefix}:{rest}", st.sampled_from(PREFIXES), st.text(max_size=40)),
    st.builds(lambda prefix, n: f"{prefix}:{n}:d:0", st.sampled_from(["i", "ri", "p", "rd", "z", "sz"]), huge),
    st.builds(lambda n: f"rh:{n}:{n}", huge),
    st.builds(lambda n: f"ri:{n}:d:{n}", st.sampled_from(["²", "٣", "1e3", "0x10", "-0", " 1"])),
    # Real-looking presses on item ids that belong to the victim (ids are small: the victim came first).
    st.builds(
        lambda action, item, page: f"i:{item}:{action}:{page}",
        st.sampled_from(["d", "s", "o", "x"]),
        st.integers(1, 400),
        st.integers(0, 3),
    ),
    st.builds(lambda action, item: f"ri:{item}:{action}:{item}", st.sampled_from(["d", "s", "o"]), st.integers(1, 400)),
    st.builds(lambda n, action: f"cl:{n}:{action}:0", st.integers(-5, 2**32), st.sampled_from(list(ClassAction))),
    st.builds(lambda n, user: f"cs:{n}:{user}:s:0", st.integers(-5, 2**32), st.integers(-5, 2**60)),
    st.builds(lambda code: f"jn:{code}:y", st.text(alphabet="AZaz09_-", min_size=20, max_size=24)),
).map(lambda data: data.encode()[:64].decode(errors="ignore") or "x")


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Env:
    """The real dispatcher on a SQLite file, driven from a private event loop (hypothesis tests are sync)."""

    def __init__(self, path) -> None:
        self.loop = asyncio.new_event_loop()
        self.users = itertools.count(50_000)
        self.loop.run_until_complete(self._start(path))

    async def _start(self, path) -> None:
        from coach.catalog import default_catalog
        from coach.skills import SkillParser

        catalog = default_catalog()
        settings = Settings(_env_file=None, bot_token=TEST_TOKEN, database_url=f"sqlite+aiosqlite:///{path}")
        self.db = Database.open(settings.database_url)
        await upgrade(self.db.engine)
        await prepare_storage(self.db, catalog, SkillParser(catalog))
        self.telegram = FakeTelegram()
        self.bot = create_bot(settings, TEST_TOKEN, session=self.telegram)
        self.dp = create_dispatcher(settings=settings, database=self.db, catalog=catalog)
        self.errors = ErrorLog()
        logging.getLogger().addHandler(self.errors)
        victim = ChatClient(self.dp, self.bot, self.telegram, user_id=VICTIM, language_code="en")
        await victim.send("/start")
        for label in ("Backend Engineer", "Junior", "Almaty"):
            await victim.click(label)
        await victim.send("Python, SQL, Docker")
        await victim.click("Done")
        await victim.click("Skip")
        self.victims_roadmap = await self.roadmap_of(VICTIM)
        assert self.victims_roadmap

    async def roadmap_of(self, user_id: int) -> list[tuple[int, str]]:
        from sqlalchemy import select

        from storage.models import RoadmapItem

        async with self.db.read() as session:
            rows = await session.execute(
                select(RoadmapItem.id, RoadmapItem.state).where(RoadmapItem.user_id == user_id).order_by(RoadmapItem.id)
            )
            return [(item_id, str(state)) for item_id, state in rows.all()]

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        logging.getLogger().removeHandler(self.errors)
        self.run(self.db.dispose())
        self.loop.close()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = Env(tmp_path_factory.mktemp("any-input") / "db.sqlite3")
    yield env
    env.close()


async def _scenario(env: Env, state: str | None, text: str, data: str, language: str) -> None:
    client = ChatClient(env.dp, env.bot, env.telegram, user_id=next(env.users), language_code=language)
    if state is not None:
        context = env.dp.fsm.get_context(bot=env.bot, chat_id=client.chat.id, user_id=client.user.id)
        await context.set_state(state)
        await context.set_data(STATES[state])
    replies = await client.send(text)
    assert replies, f"no reply to {text!r} in {state}"
    answers = len(env.telegram.callback_answers)
    await client.press(data, replies[-1])
    assert len(env.telegram.callback_answers) == answers + 1, f"button {data!r} in {state} got no answer"
    sent = " ".join(m.visible for m in env.telegram.sent_to(client.chat.id))
    assert "something went wrong" not in sent
    assert "что-то пошло не так" not in sent
    assert env.telegram.refused == []
    assert [r.getMessage() for r in env.errors.records] == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    state=st.sampled_from(list(STATES)),
    text=st.one_of(st.text(min_size=1, max_size=300), st.sampled_from(["/start", "/gap", "/roadmap", "/x", "🙂"])),
    data=button_data,
    language=st.sampled_from(["en", "ru", None]),
)
def test_any_text_and_any_button_in_any_state_gets_an_answer(env, state, text, data, language):
    if not text.strip():
        text = "\u200b"  # Telegram does not deliver empty messages
    env.run(_scenario(env, state, text, data, language))


def test_no_forged_button_changed_another_students_roadmap(env):
    # Runs after the property test in this module, on the same database and the same victim.
    assert env.run(env.roadmap_of(VICTIM)) == env.victims_roadmap
