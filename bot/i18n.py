"""Languages: gettext catalogs in bot/locales (English is the source language, Russian is translated)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
# Kazakhstan's students mostly read Russian; a Kazakh-language client gets Russian until we speak Kazakh.
_RUSSIAN_CLIENTS = {"ru", "kk", "uk", "be", "ky", "uz", "tg"}


def N_(text: str) -> str:
    """Marks a text for translation where it is defined; it is translated later, where it is shown."""
    return text


def language_for(language_code: str | None) -> str:
    """The bot's language for a Telegram client language ("ru", "kk", "en-US", None)."""
    base = (language_code or "").split("-")[0].split("_")[0].lower()
    return "ru" if base in _RUSSIAN_CLIENTS else DEFAULT_LANGUAGE


def create_i18n() -> I18n:
    return I18n(path=LOCALES_DIR, default_locale=DEFAULT_LANGUAGE, domain="messages")


class UserLanguageMiddleware(I18nMiddleware):
    """The user's saved language (set by the user middleware); the client's language before that.
    Handlers get it as `lang` (catalog texts carry their own translations and need to know)."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user = data.get("user")
        if user is not None:
            language = user.language
        else:
            from_user = data.get("event_from_user")
            language = language_for(from_user.language_code if from_user else None)
        data["lang"] = language  # aiogram asks once per event; handlers read it from here
        return language
