"""Telegram in, Telegram out: one router per feature, no SQL and no business rules here."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    account,
    coaching,
    errors,
    fallback,
    help_menu,
    market,
    onboarding,
    reminders,
    report,
    settings,
)


def get_routers() -> list[Router]:
    """Fresh routers, in the order they are tried; the fallback answers whatever nobody else did.

    Built per dispatcher (a router can belong to one parent only), so tests and benchmarks can build many."""
    return [
        module.create_router()
        for module in (errors, onboarding, coaching, reminders, market, report, settings, account, help_menu, fallback)
    ]
