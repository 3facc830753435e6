"""Property: in every conversation state, any text and any button data gets an answer — never an error,
never silence, never something Telegram would refuse."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from handlers.classes import ClassFlow
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
    SettingsFlow.zone.state: {},
    MarketFlow.posting.state: {},
    ClassFlow.name.state: {},
    ClassFlow.rename.state: {"class_id": 1},
}
PREFIXES = [
    "r",
    "m",
    "l",
    "c",
    "s",
    "st",
    "cf",
    "i",
    "p",
    "mn",
    "pf",
    "lg",
    "del",
    "ri",
    "sz",
    "rs",
    "rd",
    "rh",
    "z",
    "mk",
    "cls",
    "cl",
    "cs",
    "cdd",
    "cdh",
    "jn",
    "ms",
    "zz",
]
button_data = st.one_of(
    st.text(min_size=1, max_size=64),
    st.builds(lambda prefix, rest: f"{prefix}:{rest}", st.sampled_from(PREFIXES), st.text(max_size=40)),
    st.builds(lambda prefix, n: f"{prefix}:{n}:d:0", st.just("i"), st.integers(-(2**40), 2**40)),
    st.builds(lambda n, action: f"cl:{n}:{action}:0", st.integers(-5, 2**32), st.sampled_from(list(ClassAction))),
    st.builds(lambda n, user: f"cs:{n}:{user}:s:0", st.integers(-5, 2**32), st.integers(-5, 2**60)),
    st.builds(lambda code: f"jn:{code}:y", st.text(alphabet="AZaz09_-", min_size=20, max_size=24)),
).map(lambda data: data.encode()[:64].decode(errors="ignore") or "x")


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

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
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
