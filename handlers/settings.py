"""/settings: language, the weekly reminder's day and hour, the time zone, pause and resume."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from babel.dates import format_datetime, get_day_names
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LANGUAGES
from handlers.callbacks import LangCb, RemDayCb, RemHourCb, RemSetCb, ZoneCb
from handlers.ui import show
from services.schedule import reschedule, schedule_for
from storage.reminders import ReminderDTO
from storage.users import UserDTO, UserRepo

HOURS = range(7, 24)
# Zones offered as buttons: Kazakhstan (one zone, UTC+5, since 2024) and its neighbours students move to.
ZONES = (
    "Asia/Almaty",
    "Asia/Tashkent",
    "Asia/Bishkek",
    "Europe/Moscow",
    "Asia/Novosibirsk",
    "Europe/Istanbul",
    "Europe/Berlin",
    "UTC",
)


class SettingsFlow(StatesGroup):
    zone = State()


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def day_name(weekday: int, lang: str) -> str:
    return str(get_day_names("wide", locale=lang)[weekday])


def slot_text(reminder: ReminderDTO, zone: str, lang: str) -> str:
    when = _("every {day} at {hour}:00 ({zone})").format(
        day=day_name(reminder.weekday, lang), hour=f"{reminder.hour:02d}", zone=html.quote(zone)
    )
    if not reminder.enabled:
        return _("Reminders: paused (were {when}).").format(when=when)
    line = _("Reminders: {when}.").format(when=when)
    if reminder.next_run_at:
        line += " " + _("Next: {date}.").format(date=local_time(reminder.next_run_at, zone, lang))
    return line


def local_time(moment: datetime, zone: str, lang: str) -> str:
    return format_datetime(moment.astimezone(ZoneInfo(zone)), "EEE d MMM, HH:mm", locale=lang)


def next_reminder_note(reminder: ReminderDTO, zone: str, lang: str) -> str:
    """What onboarding says about the reminders it just turned on."""
    if not reminder.enabled or reminder.next_run_at is None:
        return ""
    return "⏰ " + _(
        "I'll send your next steps every {day} at {hour}:00 ({zone}), first on {date}. Change or pause it in /settings."
    ).format(
        day=day_name(reminder.weekday, lang),
        hour=f"{reminder.hour:02d}",
        zone=html.quote(zone),
        date=local_time(reminder.next_run_at, zone, lang),
    )


def settings_view(reminder: ReminderDTO, user: UserDTO, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join(
        [
            _("<b>Settings</b>"),
            _("Language: {language}").format(language="English" if lang == "en" else "Русский"),
            _("Time zone: {zone}").format(zone=html.quote(user.timezone)),
            slot_text(reminder, user.timezone, lang),
        ]
    )
    languages = [
        _button(("✅ " if code == lang else "") + label, LangCb(lang=code))
        for code, label in (("en", "English"), ("ru", "Русский"))
    ]
    toggle = (
        _button(_("⏸ Pause reminders"), RemSetCb(action="pause"))
        if reminder.enabled
        else _button(_("▶ Resume reminders"), RemSetCb(action="resume"))
    )
    rows = [
        languages,
        [_button(_("⏰ Day and time"), RemSetCb(action="time")), _button(_("🌍 Time zone"), RemSetCb(action="zone"))],
        [toggle],
    ]
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


async def show_settings(
    target: Message | CallbackQuery, user: UserDTO, session: AsyncSession, lang: str, note: str = ""
) -> None:
    reminder = await schedule_for(session, user, datetime.now(UTC))
    text, markup = settings_view(reminder, user, lang)
    await show(target, (note + "\n\n" if note else "") + text, markup)


async def settings_command(
    message: Message, state: FSMContext, user: UserDTO, session: AsyncSession, lang: str
) -> None:
    await state.clear()
    await show_settings(message, user, session, lang)


async def settings_action(
    callback: CallbackQuery, callback_data: RemSetCb, state: FSMContext, user: UserDTO, session: AsyncSession, lang: str
) -> None:
    await callback.answer()
    reminder = await schedule_for(session, user, datetime.now(UTC))
    if callback_data.action == "time":
        days = [_button(day_name(d, lang), RemDayCb(day=d)) for d in range(7)]
        rows = [days[:4], days[4:], [_button(_("◀ Back"), RemSetCb(action="back"))]]
        await show(
            callback, _("Which day should the weekly reminder come?"), InlineKeyboardMarkup(inline_keyboard=rows)
        )
    elif callback_data.action == "zone":
        await state.set_state(SettingsFlow.zone)
        buttons = [_button(zone, ZoneCb(index=i)) for i, zone in enumerate(ZONES)]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)] + [
            [_button(_("◀ Back"), RemSetCb(action="back"))]
        ]
        text = _(
            "Which time zone are you in? Pick one, or type a zone or city (e.g. <i>Asia/Almaty</i>, <i>UTC+5</i>)."
        )
        await show(callback, text, InlineKeyboardMarkup(inline_keyboard=rows))
    elif callback_data.action in {"pause", "resume"}:
        enabled = callback_data.action == "resume"
        await reschedule(
            session, user, datetime.now(UTC), weekday=reminder.weekday, hour=reminder.hour, enabled=enabled,
            zone=user.timezone,
        )  # fmt: skip
        note = _("▶ Reminders are on again.") if enabled else _("⏸ Reminders paused. Resume any time here.")
        await show_settings(callback, user, session, lang, note)
    else:
        await state.clear()
        await show_settings(callback, user, session, lang)


async def choose_day(callback: CallbackQuery, callback_data: RemDayCb, lang: str) -> None:
    if not 0 <= callback_data.day < 7:
        await callback.answer(_("That option is no longer available."))
        return
    await callback.answer()
    hours = [_button(f"{h:02d}:00", RemHourCb(day=callback_data.day, hour=h)) for h in HOURS]
    rows = [hours[i : i + 4] for i in range(0, len(hours), 4)] + [[_button(_("◀ Back"), RemSetCb(action="time"))]]
    text = _("{day}: at what time?").format(day=day_name(callback_data.day, lang))
    await show(callback, text, InlineKeyboardMarkup(inline_keyboard=rows))


async def choose_hour(
    callback: CallbackQuery, callback_data: RemHourCb, user: UserDTO, session: AsyncSession, lang: str
) -> None:
    if not (0 <= callback_data.day < 7 and 0 <= callback_data.hour < 24):
        await callback.answer(_("That option is no longer available."))
        return
    await callback.answer()
    reminder = await reschedule(
        session, user, datetime.now(UTC), weekday=callback_data.day, hour=callback_data.hour, enabled=True,
        zone=user.timezone,
    )  # fmt: skip
    await show_settings(callback, user, session, lang, "✔ " + slot_text(reminder, user.timezone, lang))


async def _set_zone(
    target: Message | CallbackQuery, zone: str, user: UserDTO, session: AsyncSession, lang: str
) -> None:
    await UserRepo(session).set_timezone(user.id, zone)
    updated = user.model_copy(update={"timezone": zone})
    reminder = await schedule_for(session, updated, datetime.now(UTC))
    await reschedule(
        session, updated, datetime.now(UTC), weekday=reminder.weekday, hour=reminder.hour, enabled=reminder.enabled,
        zone=zone,
    )  # fmt: skip
    await show_settings(target, updated, session, lang, "✔ " + _("Time zone: {zone}").format(zone=html.quote(zone)))


async def choose_zone(
    callback: CallbackQuery, callback_data: ZoneCb, state: FSMContext, user: UserDTO, session: AsyncSession, lang: str
) -> None:
    if not 0 <= callback_data.index < len(ZONES):
        await callback.answer(_("That option is no longer available."))
        return
    await callback.answer()
    await state.clear()
    await _set_zone(callback, ZONES[callback_data.index], user, session, lang)


_ZONE_NAMES = {name.lower(): name for name in available_timezones()}
# City names ("tashkent" -> Asia/Tashkent); Etc/GMT±N is left out: its POSIX sign is the reverse of what
# people mean by "GMT-3".
_ZONE_CITIES = {
    name.rsplit("/", 1)[-1].lower().replace("_", " "): name
    for name in available_timezones()
    if "/" in name and not name.startswith("Etc/")
}


def parse_zone(text: str) -> str | None:
    """An IANA zone from what a student types: "Asia/Almaty", "almaty", "UTC+5", "GMT-3", "+6"."""
    value = text.strip().lower()
    if value in _ZONE_NAMES:
        return _ZONE_NAMES[value]
    if value in _ZONE_CITIES:
        return _ZONE_CITIES[value]
    offset = value.removeprefix("utc").removeprefix("gmt").strip()
    if offset[:1] in {"+", "-"} and offset[1:].isdigit() and int(offset[1:]) <= 14:
        hours = int(offset[1:])
        # Etc/GMT zones have POSIX signs: UTC+5 is Etc/GMT-5.
        return "UTC" if hours == 0 else f"Etc/GMT{'-' if offset[0] == '+' else '+'}{hours}"
    return None


async def type_zone(message: Message, state: FSMContext, user: UserDTO, session: AsyncSession, lang: str) -> None:
    zone = parse_zone(message.text or "")
    if zone is None:
        await message.answer(
            _(
                "I don't know the time zone “{text}”. "
                "Try <i>Asia/Almaty</i>, a city like <i>Tashkent</i>, or <i>UTC+5</i>."
            ).format(text=html.quote((message.text or "")[:60]))
        )
        return
    await state.clear()
    await _set_zone(message, zone, user, session, lang)


async def set_language(
    callback: CallbackQuery, callback_data: LangCb, user: UserDTO, session: AsyncSession, i18n: I18n
) -> None:
    if callback_data.lang not in LANGUAGES:
        await callback.answer(_("That option is no longer available."))
        return
    await UserRepo(session).set_language(user.id, callback_data.lang)
    with i18n.use_locale(callback_data.lang):  # answer in the language just chosen
        await callback.answer(_("Language: English") if callback_data.lang == "en" else _("Language: Russian"))
        await show_settings(callback, user, session, callback_data.lang)


def create_router() -> Router:
    router = Router(name="settings")
    router.message.register(settings_command, Command("settings"))
    router.callback_query.register(set_language, LangCb.filter())
    router.callback_query.register(settings_action, RemSetCb.filter())
    router.callback_query.register(choose_day, RemDayCb.filter())
    router.callback_query.register(choose_hour, RemHourCb.filter())
    router.callback_query.register(choose_zone, ZoneCb.filter())
    router.message.register(type_zone, SettingsFlow.zone, F.text, ~F.text.startswith("/"))
    return router
