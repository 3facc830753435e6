"""Delivery of unsolicited messages (reminders, broadcasts) within Telegram's limits.

- a global rate (default 30 messages/s) kept as Telegram states it — at most that many in any second, with
  a 1 % margin (`SlidingWindow`) — and about one message per second per chat (aiolimiter's leaky bucket);
- 429 Too Many Requests: every send waits `retry_after` (the whole bot is throttled, not one chat), then
  the message is tried again;
- 403 Forbidden (blocked, deactivated) and "chat not found": reported as BLOCKED, never retried;
- network errors and 5xx: retried with exponential backoff (tenacity), then reported as FAILED so the caller
  can leave the work for a later attempt;
- anything else Telegram or the network answers (an HTML error page from a proxy, a body that is not JSON):
  FAILED for that one chat; the sender never raises, so one bad answer cannot stop a batch.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from contextlib import nullcontext
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import (
    AiogramError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup
from aiolimiter import AsyncLimiter
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from bot.warmup import keep_response_types
from handlers.common.buttons import render
from services.reminders import Delivery
from services.ui import Keyboard

log = logging.getLogger(__name__)

MAX_CHATS_TRACKED = 10_000
MAX_RETRY_AFTER_ROUNDS = 5
WINDOW_MARGIN = 0.01  # the global window is 1 % longer than a second


@dataclass
class SenderStats:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retry_after: int = 0  # 429s received
    retried: int = 0  # network / 5xx retries


class SlidingWindow:
    """At most `rate` acquisitions per second in any window, waiters served in order.

    Not a leaky bucket of capacity one (aiolimiter's, used for each chat): it spaces messages evenly, and
    every late wake-up of the event loop is lost for good — the sender kept only 94 % of 30 msg/s. A bucket
    of two made that up but let 31 messages into one second (429s). A window of `count` sends is the rule
    itself; WINDOW_MARGIN keeps clear of it despite the request's own travel time.
    """

    def __init__(self, rate: float) -> None:
        self._count = max(1, round(rate))
        self._period = self._count / rate * (1 + WINDOW_MARGIN)
        self._sent: deque[float] = deque()
        self._turn = asyncio.Lock()

    async def __aenter__(self) -> None:
        async with self._turn:
            while True:
                now = time.monotonic()
                while self._sent and now - self._sent[0] >= self._period:
                    self._sent.popleft()
                if len(self._sent) < self._count:
                    self._sent.append(now)
                    return
                await asyncio.sleep(self._period - (now - self._sent[0]))

    async def __aexit__(self, *exc: object) -> None:
        return None


class Sender:
    def __init__(
        self,
        bot: Bot,
        rate: float = 30.0,
        per_chat_interval: float = 1.0,
        attempts: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self._bot = bot
        self._global = SlidingWindow(rate)
        self._per_chat_interval = per_chat_interval
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._attempts = attempts
        self._backoff = backoff
        self._paused_until = 0.0
        self.stats = SenderStats()

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter | nullcontext:
        if self._per_chat_interval <= 0:
            return nullcontext()
        limiter = self._chats.pop(chat_id, None) or AsyncLimiter(1, self._per_chat_interval)
        self._chats[chat_id] = limiter
        while len(self._chats) > MAX_CHATS_TRACKED:
            self._chats.popitem(last=False)
        return limiter

    async def _wait_for_pause(self) -> None:
        delay = self._paused_until - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def send_message(self, chat_id: int, text: str, keyboard: Keyboard = ()) -> Delivery:
        keep_response_types()  # a reminder run is the hottest path of API calls (see bot.warmup)
        reply_markup = render(keyboard)
        for _ in range(MAX_RETRY_AFTER_ROUNDS):
            try:
                await self._send_with_retries(chat_id, text, reply_markup)
            except TelegramRetryAfter as exc:
                self.stats.retry_after += 1
                self._paused_until = max(self._paused_until, time.monotonic() + exc.retry_after)
                log.warning("429 from Telegram: pausing all sends for %ss", exc.retry_after)
                continue
            except TelegramForbiddenError:
                self.stats.blocked += 1
                return Delivery.BLOCKED
            except TelegramBadRequest as exc:
                if "chat not found" in exc.message.lower():
                    self.stats.blocked += 1
                    return Delivery.BLOCKED
                log.error("Telegram refused a message to %s: %s", chat_id, exc.message)
                self.stats.failed += 1
                return Delivery.FAILED
            except (TelegramNetworkError, TelegramServerError) as exc:
                log.warning("could not reach Telegram for %s after %s attempts: %s", chat_id, self._attempts, exc)
                self.stats.failed += 1
                return Delivery.FAILED
            except (AiogramError, ValueError) as exc:
                # An answer aiogram could not read (a proxy's HTML 502, a body that is not JSON): this chat
                # fails for now and is retried later; the others go on.
                log.warning("unreadable answer from Telegram for %s: %s", chat_id, type(exc).__name__)
                self.stats.failed += 1
                return Delivery.FAILED
            self.stats.sent += 1
            return Delivery.SENT
        self.stats.failed += 1
        return Delivery.FAILED

    async def _send_with_retries(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        retrying = AsyncRetrying(
            retry=retry_if_exception_type((TelegramNetworkError, TelegramServerError)),
            wait=wait_exponential(multiplier=self._backoff, max=10),
            stop=stop_after_attempt(self._attempts),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                if attempt.retry_state.attempt_number > 1:
                    self.stats.retried += 1
                await self._wait_for_pause()
                async with self._chat_limiter(chat_id), self._global:
                    await self._wait_for_pause()
                    await self._bot.send_message(chat_id, text, reply_markup=markup)
