"""Telegram in, Telegram out: one package per feature (its router, texts and keyboards), calling services.

Handlers receive services and the student from the dispatcher's data; they never see a database session,
SQL, or business rules, and they never import `bot` (which assembles them)."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    account,
    admin,
    classes,
    coaching,
    errors,
    fallback,
    groups,
    help,
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
        for module in (
            errors,
            groups,
            admin,  # operators only (a filter on every update); before the conversations, so /admin always works
            classes,  # before onboarding: /start with a class's invite link
            onboarding,
            coaching,
            reminders,
            market,
            report,
            settings,
            account,
            help,
            fallback,
        )
    ]
