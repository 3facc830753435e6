"""The languages the bot speaks, and how a Telegram client's language maps to one of them."""

from __future__ import annotations

LANGUAGES = ("en", "ru", "kk")
DEFAULT_LANGUAGE = "en"
# Each language by its own name, as the language buttons and Settings show it.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
# Clients in the region's other languages mostly read Russian better than English.
_RUSSIAN_CLIENTS = {"ru", "uk", "be", "ky", "uz", "tg"}


def N_(text: str) -> str:
    """Marks a text for translation where it is defined; it is translated later, where it is shown."""
    return text


def language_for(language_code: str | None) -> str:
    """The bot's language for a Telegram client language ("ru", "kk", "en-US", None)."""
    base = (language_code or "").split("-")[0].split("_")[0].lower()
    if base in LANGUAGES:
        return base
    return "ru" if base in _RUSSIAN_CLIENTS else DEFAULT_LANGUAGE
