"""A user in a test: `await alice.send("/start")` feeds a real Update through the real dispatcher."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from testkit.telegram import FakeTelegram, SentMessage

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
        chat: Chat | None = None,
    ) -> None:
        """A user in their private chat with the bot, or in `chat` (a group)."""
        self.dp, self.bot, self.telegram = dp, bot, telegram
        self.user = User(id=user_id, is_bot=False, first_name=first_name, language_code=language_code)
        self.chat = chat or Chat(id=user_id, type="private")

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

    @property
    def last(self) -> SentMessage:
        """The newest message the bot sent to this chat, as it is now (edits applied)."""
        return self.telegram.sent_to(self.chat.id)[-1]

    async def click(self, label: str, message: SentMessage | None = None) -> list[SentMessage]:
        return await click(self, label, message)

    async def press(self, data: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Press a button with callback `data` (forged or stale data included) on `message`."""
        source = Message(
            message_id=message.message_id if message else 1,
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=User(id=42, is_bot=True, first_name="Career Coach"),
            text=message.visible if message else "old message",
            reply_markup=message.markup if message else None,
        )
        query = CallbackQuery(
            id=str(next(_update_ids)), from_user=self.user, chat_instance="ci", message=source, data=data
        )
        return await self._feed(Update(update_id=next(_update_ids), callback_query=query))


class ButtonNotFound(AssertionError):
    pass


def find_button(message: SentMessage, label: str) -> str:
    """The callback data of the button on `message` whose text is `label` (or, failing that, contains it)."""
    buttons = message.buttons()
    for text, data in buttons:
        if text == label and data:
            return data
    for text, data in buttons:
        if label in text and data:
            return data
    raise ButtonNotFound(f"no button {label!r} on message {message.message_id}: {[t for t, _ in buttons]}")


async def click(client: ChatClient, label: str, message: SentMessage | None = None) -> list[SentMessage]:
    """Press the button labelled `label` on `message` (default: the newest message that has buttons)."""
    if message is None:
        with_buttons = [m for m in client.telegram.sent_to(client.chat.id) if m.buttons()]
        if not with_buttons:
            raise ButtonNotFound("no message with buttons in this chat")
        message = with_buttons[-1]
    return await client.press(find_button(message, label), message)
