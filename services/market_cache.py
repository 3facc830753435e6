"""The shared part of each role's market, kept in memory for a minute.

A role's market is the same for every student of that role between imports; reading it costs three queries
(two aggregates, the newest postings with their skills): about half of a gap report (bench/market.py). Kept
per role for TTL seconds, and dropped at once when this process imports postings; other processes see an
import within TTL. A student's own postings are not in here: they are added on top for each request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from coach.market import MarketSnapshot

TTL_SECONDS = 60.0


class MarketCache:
    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, MarketSnapshot]] = {}

    def get(self, role_id: str) -> MarketSnapshot | None:
        entry = self._entries.get(role_id)
        if entry is None or entry[0] <= self._clock():
            return None
        return entry[1]

    def put(self, role_id: str, snapshot: MarketSnapshot) -> None:
        self._entries[role_id] = (self._clock() + self._ttl, snapshot)

    def invalidate(self) -> None:
        self._entries.clear()


_BY_ENGINE: WeakKeyDictionary[Any, MarketCache] = WeakKeyDictionary()


def cache_for(engine: Any) -> MarketCache:
    """The cache of one database (an engine); another database — a test's, a second app's — has its own."""
    key = getattr(engine, "sync_engine", engine)
    cache = _BY_ENGINE.get(key)
    if cache is None:
        cache = _BY_ENGINE[key] = MarketCache()
    return cache
