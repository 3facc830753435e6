"""Keep the hot path warm: aiogram's response types alive, and start-up's objects out of the collector's way.

aiogram validates every Bot API answer as `Response[method.__returning__]`. pydantic caches parametrised
generic models in a WeakValueDictionary, and such classes sit in reference cycles, so the cyclic garbage
collector regularly frees them; the next call then rebuilds the class, which costs about 10 ms — per API
call, on the hot path of every update and every reminder. Holding the types this bot uses keeps the cache
warm (profiled: 2.0 s of 5.2 s CPU in a 200-reminder run went to rebuilding `Response[Message]`).
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import sys

from aiogram import methods
from aiogram.methods.base import Response

SETTLE_AFTER_SECONDS = 0.5  # after start-up's own calls (getMe, setMyCommands, the first getUpdates)
_background: set[asyncio.Task] = set()  # a reference, so the task is not collected before it runs

USED = (
    methods.GetMe,
    methods.GetUpdates,
    methods.DeleteWebhook,
    methods.SetWebhook,
    methods.SetMyCommands,
    methods.SendMessage,
    methods.SendDocument,
    methods.SendPhoto,
    methods.EditMessageText,
    methods.EditMessageReplyMarkup,
    methods.AnswerCallbackQuery,
)

_KEPT: list[type] = []


def keep_response_types() -> None:
    """Build and hold the response types (once; ~0.3 s, so not at import: start-up waits for none of it)."""
    if not _KEPT:
        _KEPT.extend(Response[method.__returning__] for method in USED)  # type: ignore[name-defined]


async def settle_heap_soon() -> None:
    """Startup hook (registered by the runners): `settle_heap` once the bot is already polling or serving."""
    loop = asyncio.get_running_loop()
    loop.call_later(SETTLE_AFTER_SECONDS, lambda: _background.add(loop.create_task(settle_heap())))


async def settle_heap() -> None:
    """Hold the response types, collect once, then freeze what start-up built.

    The catalog, the skill parser's indexes, SQLAlchemy's mappers and aiogram's routers live as long as the
    process, yet every full collection walked them again: a 0.4 s pause on the third-generation pass,
    charged to whichever update happened to allocate then (the p99). Frozen objects are skipped by the
    collector; anything created later is collected as usual.
    """
    keep_response_types()
    gc.collect()
    gc.freeze()


M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def few_malloc_arenas(arenas: int = 2) -> bool:
    """At most `arenas` malloc arenas for the whole process (glibc on Linux; elsewhere nothing changes).

    glibc gives each thread that allocates an arena of its own, up to eight per core, and memory freed in one
    is kept for that arena's reuse. This bot's threads — one per SQLite connection (aiosqlite), the workers
    that draw charts and write reports — each held on to theirs: a burst of 300 students peaked 17 MB
    lower with two arenas (bench/footprint.py), as `MALLOC_ARENA_MAX=2` in the environment would do. Call it
    before any thread starts."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return bool(ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc (musl has no libc.so.6, nor mallopt)
        return False
