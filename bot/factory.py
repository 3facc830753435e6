"""The composition root: builds the Bot and the Dispatcher. Runners, tests and benchmarks all come here."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import UserLanguageMiddleware, create_i18n
from bot.menu import set_commands
from bot.middlewares import UpdateScopeMiddleware, UserMiddleware
from bot.observability import Metrics, UpdateLogMiddleware
from bot.scheduler import ReminderScheduler, reminder_service
from coach.catalog import Catalog
from coach.skills import SkillParser
from handlers import get_routers
from storage.fsm import SqlStorage

log = logging.getLogger(__name__)


def create_bot(settings: Settings, token: str, session: AiohttpSession | None = None) -> Bot:
    if session is None and settings.telegram_api_url is not None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(str(settings.telegram_api_url)))
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def create_fsm(
    settings: Settings, session_pool: async_sessionmaker[AsyncSession]
) -> tuple[BaseStorage, BaseEventIsolation]:
    """Redis when REDIS_URL is set (shared by replicas), else the SQL database; both survive restarts."""
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        storage = RedisStorage.from_url(settings.redis_url, key_builder=DefaultKeyBuilder(with_destiny=True))
        return storage, storage.create_isolation()
    return SqlStorage(session_pool), SimpleEventIsolation()


async def _on_startup(
    dispatcher: Dispatcher,
    bot: Bot,
    i18n: I18n,
    settings: Settings,
    catalog: Catalog,
    session_pool: async_sessionmaker[AsyncSession],
    metrics: Metrics,
) -> None:
    me = await bot.get_me()
    await set_commands(bot, i18n)
    if settings.reminders:
        service = reminder_service(bot, settings, session_pool, catalog, i18n)
        dispatcher["scheduler"] = ReminderScheduler(service, settings.reminder_tick_seconds, metrics).start()
    log.info("bot started: @%s (id %s)", me.username, me.id)


async def _on_shutdown(dispatcher: Dispatcher) -> None:
    scheduler = dispatcher.workflow_data.pop("scheduler", None)
    if scheduler is not None:
        await scheduler.stop()
    log.info("bot stopped")


def create_dispatcher(
    *,
    settings: Settings,
    session_pool: async_sessionmaker[AsyncSession],
    catalog: Catalog,
    storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
) -> Dispatcher:
    if storage is None:
        storage, events_isolation = create_fsm(settings, session_pool)
    events_isolation = events_isolation or SimpleEventIsolation()
    # aiogram's own FSM middleware is replaced by one that also holds the update's transaction (see there).
    dp = Dispatcher(storage=storage, events_isolation=events_isolation, disable_fsm=True)
    dp.fsm = UpdateScopeMiddleware(session_pool, storage, events_isolation)
    i18n = create_i18n()
    metrics = Metrics()
    dp.workflow_data.update(
        settings=settings,
        catalog=catalog,
        parser=SkillParser(catalog),
        session_pool=session_pool,
        i18n=i18n,
        metrics=metrics,
    )
    # Order matters: timing wraps everything; the lock and session exist before the user is loaded, the user
    # before the language is chosen.
    dp.update.outer_middleware(UpdateLogMiddleware(metrics))
    dp.update.outer_middleware(dp.fsm)
    dp.update.outer_middleware(UserMiddleware(settings.default_timezone))
    UserLanguageMiddleware(i18n).setup(dp)
    dp.include_routers(*get_routers())
    dp.startup.register(_on_startup)
    dp.shutdown.register(_on_shutdown)
    return dp
