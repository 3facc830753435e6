"""Telegram in, Telegram out: one router per feature, no SQL and no business rules here."""

from __future__ import annotations

from aiogram import Router

from handlers import errors, fallback, help_menu, start


def get_routers() -> list[Router]:
    """Fresh routers, in the order they are tried; the fallback answers whatever nobody else did.

    Built per dispatcher (a router can belong to one parent only), so tests and benchmarks can build many."""
    return [module.create_router() for module in (errors, start, help_menu, fallback)]
