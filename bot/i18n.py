"""gettext catalogs in bot/locales (English is the source language), and the middleware that picks each
update's language. Which languages exist, and how a client's language maps to one, is the handlers' business
(`handlers.common.i18n`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

from handlers.common.i18n import DEFAULT_LANGUAGE, language_for

LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def create_i18n() -> I18n:
    return I18n(path=LOCALES_DIR, default_locale=DEFAULT_LANGUAGE, domain="messages")


class UserLanguageMiddleware(I18nMiddleware):
    """The student's saved language (set by the update middleware); the client's language before that.
    Handlers get it as `lang` (catalog texts carry their own translations and need to know)."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        student = data.get("student")
        if student is not None:
            language = student.language
        else:
            from_user = data.get("event_from_user")
            language = language_for(from_user.language_code if from_user else None)
        data["lang"] = language  # aiogram asks once per event; handlers read it from here
        return language
