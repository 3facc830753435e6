"""A student on the other side of the fake Bot API server: sends, clicks, and waits for the bot to settle."""

from __future__ import annotations

import asyncio
import time

from testkit.bot_api_server import FakeBotApiServer, ServerMessage


class Student:
    def __init__(self, api: FakeBotApiServer, user_id: int, language: str = "en", name: str = "Student") -> None:
        self.api, self.id, self.language, self.name = api, user_id, language, name

    def _snapshot(self) -> tuple[int, int, int]:
        sent = self.api.sent_to(self.id)
        return len(sent), sum(m.edits for m in sent), len(self.api.callback_answers)

    async def _settle(self, before: tuple[int, int, int], expect: str | None = None, timeout: float = 30.0) -> None:
        """Wait until the bot reacted (with a new message containing `expect`, when given), then until it has
        been quiet for a moment. A busy machine can pause longer than that moment between an answer's first
        edit and its next message, so a test that reads a later message names a text it waits for."""
        deadline = time.monotonic() + timeout
        while self._snapshot() == before or (
            expect is not None and not any(expect in m.visible for m in self.api.sent_to(self.id)[before[0] :])
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot did not react; calls: {[c for c, _ in self.api.calls[-5:]]}")
            await asyncio.sleep(0.02)
        quiet_since, last = time.monotonic(), self._snapshot()
        while time.monotonic() - quiet_since < 0.3:
            await asyncio.sleep(0.02)
            if (now := self._snapshot()) != last:
                quiet_since, last = time.monotonic(), now

    async def send(self, text: str, expect: str | None = None) -> list[ServerMessage]:
        before = self._snapshot()
        self.api.push_text(self.id, text, language_code=self.language, first_name=self.name)
        await self._settle(before, expect)
        return self.api.sent_to(self.id)[before[0] :]

    async def click(
        self, label: str, message: ServerMessage | None = None, expect: str | None = None
    ) -> list[ServerMessage]:
        message = message or next(m for m in reversed(self.api.sent_to(self.id)) if m.buttons())
        before = self._snapshot()
        self.api.push_click(self.id, message, label, language_code=self.language, first_name=self.name)
        await self._settle(before, expect)
        return self.api.sent_to(self.id)[before[0] :]

    @property
    def last(self) -> ServerMessage:
        return self.api.sent_to(self.id)[-1]
