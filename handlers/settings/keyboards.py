"""Settings' keyboards."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from coach.schedule import Reminder
from coach.zones import Zone
from handlers.common.buttons import button, grid, rows
from handlers.common.callbacks import LangCb, RemDayCb, RemHourCb, SettingsAction, SettingsCb, ZoneCb
from handlers.common.i18n import LANGUAGE_NAMES
from handlers.common.labels import weekday_name, zone_name

HOURS = range(7, 24)
# Zones offered as buttons: Kazakhstan (one zone, UTC+5, since 2024) and its neighbours students move to.
ZONES = (
    Zone("Asia/Almaty", "kazakhstan"),
    Zone("Asia/Tashkent", "tashkent"),
    Zone("Asia/Bishkek", "bishkek"),
    Zone("Europe/Moscow", "moscow"),
    Zone("Asia/Novosibirsk", "novosibirsk"),
    Zone("Europe/Istanbul", "istanbul"),
    Zone("Europe/Berlin", "berlin"),
    Zone("UTC"),
)


def settings(reminder: Reminder, lang: str) -> InlineKeyboardMarkup:
    languages = [
        button(("✅ " if code == lang else "") + label, LangCb(lang=code)) for code, label in LANGUAGE_NAMES.items()
    ]
    toggle = (
        button(_("⏸ Pause reminders"), SettingsCb(action=SettingsAction.PAUSE))
        if reminder.enabled
        else button(_("▶ Resume reminders"), SettingsCb(action=SettingsAction.RESUME))
    )
    return rows(
        languages,
        [button(_("⏰ Day and time"), SettingsCb(action=SettingsAction.TIME)),
         button(_("🌍 Time zone"), SettingsCb(action=SettingsAction.ZONE))],
        [toggle],
    )  # fmt: skip


def languages_only(lang: str) -> InlineKeyboardMarkup:
    return rows(_language_buttons(lang))


def _language_buttons(lang: str) -> list[InlineKeyboardButton]:
    return [button(("✅ " if code == lang else "") + name, LangCb(lang=code)) for code, name in LANGUAGE_NAMES.items()]


def days(lang: str) -> InlineKeyboardMarkup:
    buttons = [button(weekday_name(d), RemDayCb(day=d)) for d in range(7)]
    return rows(buttons[:4], buttons[4:], [button(_("◀ Back"), SettingsCb(action=SettingsAction.BACK))])


def hours(day: int) -> InlineKeyboardMarkup:
    buttons = [button(f"{h:02d}:00", RemHourCb(day=day, hour=h)) for h in HOURS]
    return grid(buttons, 4, [button(_("◀ Back"), SettingsCb(action=SettingsAction.TIME))])


def zones(lang: str) -> InlineKeyboardMarkup:
    buttons = [button(zone_name(zone.name, zone.place, lang), ZoneCb(index=i)) for i, zone in enumerate(ZONES)]
    return grid(buttons, 2, [button(_("◀ Back"), SettingsCb(action=SettingsAction.BACK))])
