"""Ways to run the bot: long polling, a webhook server, the terminal chat, a one-off reminder run."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from datetime import UTC, datetime

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import text

from bot.bootstrap import open_storage
from bot.config import Settings
from bot.console import ConsoleSession, chat
from bot.factory import create_bot, create_dispatcher
from bot.i18n import create_i18n
from bot.scheduler import reminder_service
from bot.warmup import settle_heap_soon
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
    async with open_storage(settings.database_url) as (catalog, db):
        await _serve_webhook(settings, token, catalog, db)


async def _serve_webhook(settings: Settings, token: str, catalog: Catalog, db: Database) -> None:
    engine = db.engine
    bot = create_bot(settings, token)
    dp = create_dispatcher(settings=settings, database=db, catalog=catalog)
    dp.startup.register(settle_heap_soon)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    metrics = dp.workflow_data["metrics"]

    async def healthz(_: web.Request) -> web.Response:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check: the database does not answer")
            return web.Response(status=503, text="database unavailable\n")
        return web.Response(text="ok\n")

    async def metrics_page(_: web.Request) -> web.Response:
        return web.Response(body=metrics.render(), content_type="text/plain", charset="utf-8")

    async def register_webhook(_: web.Application) -> None:
        await bot.set_webhook(
            settings.webhook_endpoint(),
            secret_token=secret,
            allowed_updates=dp.resolve_used_update_types(),
            drop_pending_updates=False,  # those are real students' messages
        )

    async def close_fsm(_: web.Application) -> None:
        await dp.storage.close()  # the engine is disposed by open_storage, after the server has stopped

    app = web.Application()
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret, handle_in_background=False).register(
        app, path=settings.webhook_path
    )
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    setup_application(app, dp, bot=bot)
    app.on_startup.append(register_webhook)
    app.on_cleanup.append(close_fsm)
    runner = web.AppRunner(app, shutdown_timeout=30)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    log.info("webhook listening on %s:%s%s", settings.webhook_host, settings.webhook_port, settings.webhook_path)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signame in ("SIGINT", "SIGTERM"):
        loop.add_signal_handler(getattr(signal, signame), stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()  # stops accepting, finishes requests in flight, runs the shutdown hooks


async def run_polling(settings: Settings, token: str) -> None:
    async with open_storage(settings.database_url) as (catalog, db):
        bot = create_bot(settings, token)
        dp = create_dispatcher(settings=settings, database=db, catalog=catalog)
        dp.startup.register(settle_heap_soon)
        # aiogram stops polling on SIGINT/SIGTERM, finishes the updates in hand and runs shutdown hooks.
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), handle_signals=True)
        await dp.storage.close()
