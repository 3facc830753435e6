"""/start, /help and the fallback through the real dispatcher, in both languages, on both databases."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import User


async def test_start_greets_in_english(alice):
    replies = await alice.send("/start")
    assert len(replies) == 1
    text = replies[0].visible
    assert text.startswith("Hi, Alice!")
    assert "Career Coach" in text
    assert "Backend Engineer" in [label for label, _ in replies[0].buttons()]


async def test_start_greets_in_russian_for_a_russian_client(dana):
    replies = await dana.send("/start")
    assert len(replies) == 1
    assert replies[0].visible.startswith("Привет, Дана!")
    assert "Карьерный коуч" in replies[0].visible


async def test_a_kazakh_client_gets_kazakh_and_an_uzbek_one_russian(dispatcher_env):
    from testkit.client import ChatClient

    dp, bot, telegram = dispatcher_env
    aigerim = ChatClient(dp, bot, telegram, user_id=3003, language_code="kk", first_name="Әйгерім")
    [hello] = await aigerim.send("/start")
    assert hello.visible.startswith("Сәлем, Әйгерім!")
    assert "Backend-әзірлеуші" in [label for label, _ in hello.buttons()]
    timur = ChatClient(dp, bot, telegram, user_id=3004, language_code="uz", first_name="Тимур")
    assert (await timur.send("/start"))[0].visible.startswith("Привет, Тимур!")


async def test_start_escapes_the_users_name(dispatcher_env):
    from testkit.client import ChatClient

    dp, bot, telegram = dispatcher_env
    mallory = ChatClient(dp, bot, telegram, user_id=4004, first_name="<b>Mal & lory</b>")
    replies = await mallory.send("/start")  # FakeTelegram refuses HTML it cannot parse
    assert replies[0].visible.startswith("Hi, <b>Mal & lory</b>!")


async def test_first_contact_creates_the_user_with_language_and_zone(alice, dana, session_pool):
    await alice.send("/start")
    await dana.send("/start")
    async with session_pool() as session:
        users = {u.id: u for u in await session.scalars(select(User))}
    assert users[1001].language == "en"
    assert users[2002].language == "ru"
    assert users[2002].timezone == "Asia/Almaty"
    assert users[2002].is_active


async def test_help_lists_every_registered_command(alice, dana, dispatcher_env):
    _, _, telegram = dispatcher_env
    english = (await alice.send("/help"))[0].visible
    russian = (await dana.send("/help"))[0].visible
    for command, _description in telegram.commands[None]:
        assert f"/{command} — " in english
        assert f"/{command} — " in russian
    assert "What I can do" in english
    assert "Что я умею" in russian


async def test_command_menu_is_registered_per_language(dispatcher_env):
    _, _, telegram = dispatcher_env
    assert dict(telegram.commands[None])["help"] == "What I can do"
    assert dict(telegram.commands["ru"])["help"] == "Что я умею"
    assert [c for c, _ in telegram.commands[None]] == [c for c, _ in telegram.commands["ru"]]


async def test_unknown_text_and_commands_get_a_friendly_hint(alice, dana):
    assert "/help" in (await alice.send("asdfgh 🤔"))[0].visible
    assert "I don't know that command" in (await alice.send("/nonsense"))[0].visible
    assert "Такой команды я не знаю" in (await dana.send("/nonsense"))[0].visible
    huge = "я" * 10_000
    assert "/start" in (await dana.send(huge))[0].visible


async def test_sticker_gets_an_answer(alice):
    from aiogram.types import Sticker

    sticker = Sticker(
        file_id="s", file_unique_id="u", type="regular", width=1, height=1, is_animated=False, is_video=False
    )
    replies = await alice.send_update(sticker=sticker)
    assert len(replies) == 1
    assert "/start" in replies[0].visible


async def test_a_stale_button_is_answered(alice, dispatcher_env):
    _, _, telegram = dispatcher_env
    await alice.press("whatever:123")
    assert telegram.callback_answers, "every button press must get answerCallbackQuery"
    assert "no longer works" in telegram.callback_answers[-1].text
