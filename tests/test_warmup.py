"""Warming up after start: the response types held and start-up's heap frozen, without delaying readiness."""

from __future__ import annotations

import asyncio
import gc

from bot import warmup


async def test_the_heap_is_settled_in_the_background_soon_after_start(monkeypatch):
    monkeypatch.setattr(warmup, "SETTLE_AFTER_SECONDS", 0.01)
    monkeypatch.setattr(warmup, "_KEPT", [])
    gc.unfreeze()  # whatever an earlier test (a benchmark smoke run) froze
    try:
        await warmup.settle_heap_soon()
        assert warmup._KEPT == [] and gc.get_freeze_count() == 0  # the hook itself returns at once
        for _ in range(200):
            await asyncio.sleep(0.01)
            if warmup._KEPT:
                break
        assert len(warmup._KEPT) == len(warmup.USED)
        assert gc.get_freeze_count() > 0
        warmup.keep_response_types()  # idempotent
        assert len(warmup._KEPT) == len(warmup.USED)
    finally:
        gc.unfreeze()


def test_the_bot_asks_glibc_for_few_malloc_arenas():
    """Two arenas instead of one per thread (bench/footprint.py: a lower peak); elsewhere, nothing changes."""
    import platform

    glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert warmup.few_malloc_arenas() is glibc
