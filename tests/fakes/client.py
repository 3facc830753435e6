"""A user in a test: `await alice.send("/start")` feeds a real Update through the real dispatcher."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from tests.fakes.telegram import FakeTelegram, SentMessage

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


class ChatClient:
    def __init__(
        self,
        dp: Dispatcher,
        bot: Bot,
        telegram: FakeTelegram,
        user_id: int = 1001,
        language_code: str | None = "en",
        first_name: str = "Aru",
    ) -> None:
        self.dp, self.bot, self.telegram = dp, bot, telegram
        self.user = User(id=user_id, is_bot=False, first_name=first_name, language_code=language_code)
        self.chat = Chat(id=user_id, type="private")

    async def _feed(self, update: Update) -> list[SentMessage]:
        before = set(self.telegram.messages)
        await self.dp.feed_update(self.bot, update)
        return [m for key, m in sorted(self.telegram.messages.items()) if key not in before]

    async def send(self, text: str) -> list[SentMessage]:
        """Send a text message; returns the messages the bot sent in reply."""
        message = Message(
            message_id=next(_message_ids), date=datetime.now(UTC), chat=self.chat, from_user=self.user, text=text
        )
        return await self._feed(Update(update_id=next(_update_ids), message=message))

    async def send_update(self, **payload: object) -> list[SentMessage]:
        """Send a message with arbitrary content (sticker, photo, ...): payload as Message fields."""
        message = Message(
            message_id=next(_message_ids), date=datetime.now(UTC), chat=self.chat, from_user=self.user, **payload
        )
        return await self._feed(Update(update_id=next(_update_ids), message=message))

    async def press(self, data: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Press a button with callback `data` (forged or stale data included) on `message`."""
        source = Message(
            message_id=message.message_id if message else 1,
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=User(id=42, is_bot=True, first_name="Career Coach"),
            text=message.visible if message else "old message",
        )
        query = CallbackQuery(
            id=str(next(_update_ids)), from_user=self.user, chat_instance="ci", message=source, data=data
        )
        return await self._feed(Update(update_id=next(_update_ids), callback_query=query))
