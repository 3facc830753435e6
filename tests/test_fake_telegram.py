"""The fake Bot API must refuse what Telegram refuses, or the dispatcher tests prove nothing."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from testkit.telegram import FakeTelegram, visible_html


@pytest.fixture
async def bot():
    telegram = FakeTelegram()
    bot = Bot(
        "42:FAKE-token-for-tests-0123456789abcdef", session=telegram, default=DefaultBotProperties(parse_mode="HTML")
    )
    yield bot
    await bot.session.close()


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="x", callback_data=data)]])


@pytest.mark.parametrize("text", ["a < b", "Tom & Jerry", "<b>bold", "<script>x</script>", "<b><i>x</b></i>"])
async def test_refuses_html_telegram_cannot_parse(bot, text):
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1, text)


@pytest.mark.parametrize(
    "text",
    [
        '<a href="https://hh.kz/vacancy/1"><b>boom">x</a>',  # a quote ends the attribute early
        '<a href="https://hh.kz/?a=1&b=2">x</a>',  # an unescaped & inside the attribute
        '<a href="javascript:alert(1)">x</a>',  # not a URL Telegram opens
        '<a href="https://x.kz/&quot;x">x</a>',  # a quote, even escaped, in the address
        '<b onclick="x">x</b>',  # an attribute the tag does not have
    ],
)
async def test_refuses_attributes_telegram_refuses(bot, text):
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1, text)


async def test_accepts_escaped_html_and_counts_visible_characters(bot):
    sent = await bot.send_message(1, "<b>" + "&lt;" * 4096 + "</b>")
    assert sent.text == "<" * 4096
    assert visible_html('<a href="https://x.kz">link</a> &amp; <code>x</code>') == "link & x"
    assert visible_html('<a href="https://hh.kz/?a=1&amp;b=2">link</a>') == "link"


async def test_refuses_text_over_4096_characters(bot):
    with pytest.raises(TelegramBadRequest, match="too long"):
        await bot.send_message(1, "я" * 4097)


async def test_refuses_callback_data_over_64_bytes(bot):
    await bot.send_message(1, "ok", reply_markup=keyboard("x" * 64))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(1, "too much", reply_markup=keyboard("я" * 33))  # 66 bytes


async def test_refuses_an_identical_edit(bot):
    sent = await bot.send_message(1, "same", reply_markup=keyboard("a"))
    await bot.edit_message_text("changed", chat_id=1, message_id=sent.message_id, reply_markup=keyboard("a"))
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("changed", chat_id=1, message_id=sent.message_id, reply_markup=keyboard("a"))


async def test_refuses_editing_an_unknown_message(bot):
    with pytest.raises(TelegramBadRequest, match="not found"):
        await bot.edit_message_text("x", chat_id=1, message_id=999_999)
