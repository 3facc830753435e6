"""The languages the bot speaks, and how a Telegram client's language maps to one of them."""

from __future__ import annotations

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
