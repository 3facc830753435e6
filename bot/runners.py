"""Ways to run the bot. Polling today; webhook and the terminal chat join here."""

from __future__ import annotations

import logging

from bot.bootstrap import prepare_storage
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from coach.catalog import default_catalog
from coach.skills import SkillParser
from storage.db import create_engine, create_session_pool

log = logging.getLogger(__name__)


async def run_polling(settings: Settings, token: str) -> None:
    catalog = default_catalog()
    engine = create_engine(settings.database_url)
    pool = create_session_pool(engine)
    try:
        await prepare_storage(engine, pool, catalog, SkillParser(catalog))
        bot = create_bot(settings, token)
        dp = create_dispatcher(settings=settings, session_pool=pool, catalog=catalog)
        # aiogram stops polling on SIGINT/SIGTERM, finishes the updates in hand and runs shutdown hooks.
        await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types(), handle_signals=True)
        await dp.storage.close()
    finally:
        await engine.dispose()
