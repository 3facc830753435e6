"""What /settings says, and the reminder lines other screens borrow."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import html
from aiogram.utils.i18n import gettext as _
from babel.dates import format_datetime

from coach.schedule import Reminder
from coach.student import Student
from handlers.common.i18n import LANGUAGE_NAMES
from handlers.common.labels import every_weekday, on_weekday, zone_name


def local_time(moment: datetime, zone: str, lang: str) -> str:
    return format_datetime(moment.astimezone(ZoneInfo(zone)), "EEE d MMM, HH:mm", locale=lang)


def slot_text(reminder: Reminder, student: Student, lang: str) -> str:
    zone = student.timezone
    when = _("{every_day} at {hour}:00 ({zone})").format(
        every_day=every_weekday(reminder.weekday), hour=f"{reminder.hour:02d}", zone=html.quote(_zone(student, lang))
    )
    if not reminder.enabled:
        return _("Reminders: paused (were {when}).").format(when=when)
    line = _("Reminders: {when}.").format(when=when)
    if reminder.next_run_at:
        line += " " + _("Next: {date}.").format(date=local_time(reminder.next_run_at, zone, lang))
    return line


def _zone(student: Student, lang: str) -> str:
    return zone_name(student.timezone, student.zone_place, lang)


def next_reminder_note(reminder: Reminder, student: Student, lang: str) -> str:
    """What onboarding says about the reminders it just turned on."""
    if not reminder.enabled or reminder.next_run_at is None:
        return ""
    return "⏰ " + _(
        "I'll send your next steps {every_day} at {hour}:00 ({zone}), first on {date}. Change or pause it in /settings."
    ).format(
        every_day=every_weekday(reminder.weekday),
        hour=f"{reminder.hour:02d}",
        zone=html.quote(_zone(student, lang)),
        date=local_time(reminder.next_run_at, student.timezone, lang),
    )


def settings_text(reminder: Reminder, student: Student, lang: str) -> str:
    return "\n".join(
        [
            _("<b>Settings</b>"),
            _("Language: {language}").format(language=LANGUAGE_NAMES[lang]),
            _("Time zone: {zone}").format(zone=html.quote(_zone(student, lang))),
            slot_text(reminder, student, lang),
        ]
    )


def settings_without_profile(student: Student, lang: str) -> str:
    return "\n".join(
        [
            _("<b>Settings</b>"),
            _("Language: {language}").format(language=LANGUAGE_NAMES[lang]),
            _("Weekly reminders start once you have a roadmap: send /start."),
        ]
    )


def reminders_need_a_profile() -> str:
    return _("You have no profile and no reminders any more. Send /start to make a new one.")


def which_day() -> str:
    return _("Which day should the weekly reminder come?")


def which_hour(weekday: int) -> str:
    return _("At what time {on_day}?").format(on_day=on_weekday(weekday))


def which_zone() -> str:
    return _("Which time zone are you in? Pick one, or type your city or your offset from UTC (e.g. <i>Pavlodar</i>, "
             "<i>UTC+6</i>).")  # fmt: skip


def unknown_zone(text: str) -> str:
    return _(
        "I don't know the time zone “{text}”. Type your city (e.g. <i>Pavlodar</i>, <i>Tashkent</i>) or your offset "
        "from UTC (e.g. <i>UTC+5</i>)."
    ).format(text=html.quote(text[:60]))


def zone_set(student: Student, lang: str) -> str:
    return "✔ " + _("Time zone: {zone}").format(zone=html.quote(_zone(student, lang)))


def paused(enabled: bool) -> str:
    return _("▶ Reminders are on again.") if enabled else _("⏸ Reminders paused. Resume any time here.")


def language_set(lang: str) -> str:
    return _("Language: {language}").format(language=LANGUAGE_NAMES[lang])


def option_gone() -> str:
    return _("That option is no longer available.")
