"""The composition root: builds the Bot, the services and the Dispatcher. Runners, tests and benchmarks all
come here."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.utils.i18n import I18n

from bot.config import Settings
from bot.i18n import UserLanguageMiddleware, create_i18n
from bot.menu import set_commands
from bot.middlewares import BeforeTelegram, UpdateScopeMiddleware
from bot.observability import Metrics, UpdateLogMiddleware
from bot.scheduler import (
    ReminderScheduler,
    SyncScheduler,
    class_deliveries,
    count_synced,
    create_sender,
    rates_from,
    reminder_service,
)
from coach.catalog import Catalog
from coach.skills import SkillParser
from handlers import get_routers
from services.admin import AdminService
from services.broadcast import BroadcastService
from services.classes import ClassService
from services.coaching import CoachService
from services.hh import HhClient
from services.postings import PostingService
from services.schedule import ScheduleService
from services.students import StudentService
from services.sync import SyncService
from storage.db import Database
from storage.fsm import SqlStorage

log = logging.getLogger(__name__)


def create_bot(settings: Settings, token: str, session: BaseSession | None = None) -> Bot:
    if session is None:
        api = TelegramAPIServer.from_base(str(settings.telegram_api_url)) if settings.telegram_api_url else None
        session = AiohttpSession(api=api) if api else AiohttpSession()
    # Before every request an update makes: its read session closed, its pending writes committed.
    session.middleware(BeforeTelegram())
    # Link previews off: the messages that carry links list postings, and a preview card of the first one would
    # push the list itself off the screen.
    defaults = DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True)
    return Bot(token=token, session=session, default=defaults)


@dataclass(frozen=True)
class Services:
    """The use cases handlers are given (by these names)."""

    students: StudentService
    coach: CoachService
    schedules: ScheduleService
    postings: PostingService
    classes: ClassService
    sync: SyncService
    broadcasts: BroadcastService
    admin: AdminService


def create_services(settings: Settings, db: Database, catalog: Catalog, parser: SkillParser) -> Services:
    coach = CoachService(db, catalog, rates_from(settings))
    token = settings.hh_access_token.get_secret_value() if settings.hh_access_token else None
    hh = HhClient(str(settings.hh_api_url), settings.hh_user_agent, token)
    sync = SyncService(
        db, catalog, parser, hh, user_agent=settings.hh_user_agent, has_token=token is not None,
        areas=settings.hh_sync_areas, max_age_days=settings.hh_sync_max_age_days, rate=settings.hh_sync_rate,
    )  # fmt: skip
    broadcasts = BroadcastService(db, rate=settings.send_rate)  # its sender is attached once the bot starts
    return Services(
        students=StudentService(db, settings.default_timezone),
        coach=coach,
        schedules=ScheduleService(db),
        postings=PostingService(db, catalog, parser, coach, hh),
        classes=ClassService(
            db, catalog, coach, per_teacher=settings.classes_per_teacher, size_limit=settings.class_size_limit
        ),
        sync=sync,
        broadcasts=broadcasts,
        admin=AdminService(db, settings.admin_ids, sync, broadcasts),
    )


def create_fsm(settings: Settings, db: Database) -> tuple[BaseStorage, BaseEventIsolation]:
    """Redis when REDIS_URL is set (shared by replicas), else the SQL database; both survive restarts."""
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        storage = RedisStorage.from_url(settings.redis_url, key_builder=DefaultKeyBuilder(with_destiny=True))
        return storage, storage.create_isolation()
    return SqlStorage(db), SimpleEventIsolation()


async def _on_startup(
    dispatcher: Dispatcher, bot: Bot, i18n: I18n, settings: Settings, catalog: Catalog, database: Database,
    metrics: Metrics, coach: CoachService, classes: ClassService, sync: SyncService, broadcasts: BroadcastService,
) -> None:  # fmt: skip
    me = await bot.me()  # cached: invite links read the bot's username from here
    await set_commands(bot, i18n, settings.admin_ids)
    sender = create_sender(bot, settings)  # one budget for everything unsolicited this process sends
    broadcasts.attach(sender)
    if settings.reminders:
        service = reminder_service(bot, settings, database, catalog, i18n, coach, sender)
        deliveries = class_deliveries(database, catalog, i18n, classes, sender)
        dispatcher["scheduler"] = ReminderScheduler(
            service, settings.reminder_tick_seconds, metrics, classes=deliveries
        ).start()
    if settings.hh_sync:
        if problem := sync.problem():
            log.warning("HH_SYNC is on, but the postings sync cannot run: %s", problem)
        else:
            schedule, zone = settings.hh_sync_schedule, settings.default_timezone
            dispatcher["sync_scheduler"] = SyncScheduler(sync, schedule, zone).start()
    log.info("bot started: @%s (id %s)", me.username, me.id)


async def _on_shutdown(
    dispatcher: Dispatcher, postings: PostingService, sync: SyncService, broadcasts: BroadcastService
) -> None:
    for name in ("scheduler", "sync_scheduler"):
        scheduler = dispatcher.workflow_data.pop(name, None)
        if scheduler is not None:
            await scheduler.stop()
    await sync.stop()  # a sync started from the console: its cursor keeps what it did
    await broadcasts.stop()
    await postings.close()
    log.info("bot stopped")


def create_dispatcher(
    *,
    settings: Settings,
    database: Database,
    catalog: Catalog,
    storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
) -> Dispatcher:
    if storage is None:
        storage, events_isolation = create_fsm(settings, database)
    events_isolation = events_isolation or SimpleEventIsolation()
    parser = SkillParser(catalog)
    services = create_services(settings, database, catalog, parser)
    # aiogram's own FSM middleware is replaced by one that also opens the update's database scope.
    dp = Dispatcher(storage=storage, events_isolation=events_isolation, disable_fsm=True)
    dp.fsm = UpdateScopeMiddleware(database, storage, events_isolation, services.students)
    i18n = create_i18n()
    metrics = Metrics()
    dp.workflow_data.update(
        settings=settings,
        catalog=catalog,
        parser=parser,
        database=database,
        i18n=i18n,
        metrics=metrics,
        students=services.students,
        coach=services.coach,
        schedules=services.schedules,
        postings=services.postings,
        classes=services.classes,
        sync=services.sync,
        broadcasts=services.broadcasts,
        admin=services.admin,
    )
    services.sync.observer = count_synced(metrics)
    # Order matters: timing wraps everything; the lock, the scope and the student exist before the language
    # is chosen.
    dp.update.outer_middleware(UpdateLogMiddleware(metrics))
    dp.update.outer_middleware(dp.fsm)
    UserLanguageMiddleware(i18n).setup(dp)
    dp.include_routers(*get_routers())
    dp.startup.register(_on_startup)
    dp.shutdown.register(_on_shutdown)
    return dp
