"""Ways to run the bot: long polling, a webhook server, the terminal chat, a one-off reminder run."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from datetime import UTC, datetime

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.bootstrap import open_storage
from bot.config import Settings
from bot.console import ConsoleSession, chat
from bot.factory import create_bot, create_dispatcher
from bot.health import Health, serve
from bot.i18n import create_i18n
from bot.scheduler import reminder_service
from bot.warmup import few_malloc_arenas, settle_heap_soon
from coach.catalog import Catalog
from services.reminders import RunCounts
from storage.db import Database

log = logging.getLogger(__name__)


async def remind_once(settings: Settings, token: str, everyone: bool) -> RunCounts:
    """`python -m bot remind`: deliver due reminders (or one to everyone) through the rate-limited sender."""
    async with open_storage(settings.database_url) as (catalog, db):
        bot = create_bot(settings, token)
        try:
            service = reminder_service(bot, settings, db, catalog, create_i18n())
            now = datetime.now(UTC)
            counts = await (service.broadcast(now) if everyone else service.deliver_due(now))
            log.info("reminders (%s): %s", "all" if everyone else "due", counts)
            await service.record_run(now, counts)
            return counts
        finally:
            await bot.session.close()


CHAT_DATABASE_URL = "sqlite+aiosqlite:///data/terminal-chat.sqlite3"
CONSOLE_TOKEN = "1:terminal-chat-no-telegram-involved"  # well-formed, never sent anywhere


async def run_chat(settings: Settings, language: str, database_url: str = CHAT_DATABASE_URL) -> None:
    """The coach in this terminal: the same dispatcher, a console instead of Telegram, a local SQLite file."""
    settings = settings.model_copy(update={"database_url": database_url, "reminders": False, "redis_url": None})
    session = ConsoleSession(sys.stdout, ansi=sys.stdout.isatty())
    bot = create_bot(settings, CONSOLE_TOKEN, session=session)
    async with open_storage(database_url) as (catalog, db):
        dp = create_dispatcher(settings=settings, database=db, catalog=catalog)
        await dp.emit_startup(bot=bot, dispatcher=dp, **dp.workflow_data)
        try:
            await chat(dp, bot, session, language)
        finally:
            await dp.emit_shutdown(bot=bot, dispatcher=dp, **dp.workflow_data)


async def run_webhook(settings: Settings, token: str) -> None:
    """Serve updates over HTTPS (behind a proxy) at WEBHOOK_PATH; several replicas can share one bot.

    Each update is handled inside its request (not in the background), so aiohttp's graceful shutdown on
    SIGTERM — stop accepting, wait for requests in flight — never drops an update Telegram was told we took.
    """
    few_malloc_arenas()  # before the database's threads start
    async with open_storage(settings.database_url) as (catalog, db):
        await _serve_webhook(settings, token, catalog, db)


async def _serve_webhook(settings: Settings, token: str, catalog: Catalog, db: Database) -> None:
    bot = create_bot(settings, token)
    dp = create_dispatcher(settings=settings, database=db, catalog=catalog)
    dp.startup.register(settle_heap_soon)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    health = Health(db, dp.workflow_data["metrics"])

    async def close_fsm(_: web.Application) -> None:
        await dp.storage.close()  # the engine is disposed by open_storage, after the server has stopped

    app = web.Application()
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret, handle_in_background=False).register(
        app, path=settings.webhook_path
    )
    separate_metrics = settings.metrics_port is not None
    health.add_routes(app, metrics=not separate_metrics)
    setup_application(app, dp, bot=bot)
    app.on_cleanup.append(close_fsm)
    runners = [await serve(app, settings.webhook_host, settings.webhook_port)]
    log.info("webhook listening on %s:%s%s", settings.webhook_host, settings.webhook_port, settings.webhook_path)
    if separate_metrics:
        metrics_app = web.Application()
        metrics_app.router.add_get("/metrics", health.metrics)
        runners.append(await serve(metrics_app, settings.health_host, settings.metrics_port))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signame in ("SIGINT", "SIGTERM"):
        loop.add_signal_handler(getattr(signal, signame), stop.set)
    try:
        # Registered once the port listens: Telegram (and a test) may post the moment it knows the address.
        await bot.set_webhook(
            settings.webhook_endpoint(),
            secret_token=secret,
            allowed_updates=dp.resolve_used_update_types(),
            drop_pending_updates=False,  # those are real students' messages
        )
        health.ready = True
        await stop.wait()
    finally:
        for runner in reversed(runners):
            await runner.cleanup()  # stops accepting, finishes requests in flight, runs the shutdown hooks


async def run_polling(settings: Settings, token: str) -> None:
    few_malloc_arenas()  # before the database's threads start
    async with open_storage(settings.database_url) as (catalog, db):
        bot = create_bot(settings, token)
        dp = create_dispatcher(settings=settings, database=db, catalog=catalog)
        dp.startup.register(settle_heap_soon)
        health = Health(db, dp.workflow_data["metrics"])
        runner = None
        if settings.health_port is not None:
            app = web.Application()
            health.add_routes(app)
            runner = await serve(app, settings.health_host, settings.health_port)
            log.info("health and metrics on %s:%s", settings.health_host, settings.health_port)

        async def ready() -> None:
            health.ready = True

        dp.startup.register(ready)
        try:
            # aiogram stops polling on SIGINT/SIGTERM, finishes the updates in hand and runs shutdown hooks.
            await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), handle_signals=True)
        finally:
            if runner is not None:
                await runner.cleanup()
            await dp.storage.close()
            await bot.session.close()  # also when Telegram could not be reached at start (polling never began)
