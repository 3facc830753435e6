"""/settings: language, the weekly reminder's day and hour, the time zone, pause and resume."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from coach.student import Student
from coach.zones import Zone, parse_zone
from handlers.common.callbacks import LangCb, RemDayCb, RemHourCb, SettingsAction, SettingsCb, ZoneCb
from handlers.common.commands import set_chat_menu
from handlers.common.i18n import LANGUAGES
from handlers.common.screens import Target, show
from handlers.settings import keyboards, texts
from handlers.settings.states import SettingsFlow
from services.admin import AdminService
from services.schedule import ScheduleService
from services.students import StudentService


async def show_settings(
    target: Target, student: Student, schedules: ScheduleService, lang: str, note: str = ""
) -> None:
    if student.role_id is None:  # no roadmap, no reminders (nothing is created for someone who has no profile)
        text = texts.settings_without_profile(student, lang)
        await show(target, (note + "\n\n" if note else "") + text, keyboards.languages_only(lang))
        return
    reminder = await schedules.current(student, datetime.now(UTC))
    text = texts.settings_text(reminder, student, lang)
    await show(target, (note + "\n\n" if note else "") + text, keyboards.settings(reminder, lang))


async def _needs_profile(callback: CallbackQuery, student: Student) -> bool:
    """Reminder buttons of a student who has no profile (an old message after /delete_me): ask for /start."""
    if student.role_id is not None:
        return False
    await callback.answer(texts.reminders_need_a_profile(), show_alert=True)
    return True


async def settings_command(message: Message, state: FSMContext, student: Student, schedules: ScheduleService,
                           lang: str) -> None:  # fmt: skip
    await state.clear()
    await show_settings(message, student, schedules, lang)


async def settings_action(callback: CallbackQuery, callback_data: SettingsCb, state: FSMContext, student: Student,
                          schedules: ScheduleService, lang: str) -> None:  # fmt: skip
    if await _needs_profile(callback, student):
        return
    await callback.answer()
    action = callback_data.action
    if action is SettingsAction.TIME:
        await show(callback, texts.which_day(), keyboards.days(lang))
    elif action is SettingsAction.ZONE:
        await state.set_state(SettingsFlow.zone)
        await show(callback, texts.which_zone(), keyboards.zones(lang))
    elif action in (SettingsAction.PAUSE, SettingsAction.RESUME):
        enabled = action is SettingsAction.RESUME
        await schedules.set_enabled(student, datetime.now(UTC), enabled)
        await show_settings(callback, student, schedules, lang, texts.paused(enabled))
    else:
        await state.clear()
        await show_settings(callback, student, schedules, lang)


async def choose_day(callback: CallbackQuery, callback_data: RemDayCb, student: Student, lang: str) -> None:
    if await _needs_profile(callback, student):
        return
    await callback.answer()
    await show(callback, texts.which_hour(callback_data.day), keyboards.hours(callback_data.day))


async def choose_hour(callback: CallbackQuery, callback_data: RemHourCb, student: Student, schedules: ScheduleService,
                      lang: str) -> None:  # fmt: skip
    if await _needs_profile(callback, student):
        return
    await callback.answer()
    reminder = await schedules.set_slot(student, datetime.now(UTC), callback_data.day, callback_data.hour)
    await show_settings(callback, student, schedules, lang, "✔ " + texts.slot_text(reminder, student, lang))


async def _set_zone(target: Target, zone: Zone, student: Student, schedules: ScheduleService, lang: str) -> None:
    updated, _reminder = await schedules.set_zone(student, datetime.now(UTC), zone)
    await show_settings(target, updated, schedules, lang, texts.zone_set(updated, lang))


async def choose_zone(callback: CallbackQuery, callback_data: ZoneCb, state: FSMContext, student: Student,
                      schedules: ScheduleService, lang: str) -> None:  # fmt: skip
    if callback_data.index >= len(keyboards.ZONES):
        await callback.answer(texts.option_gone())
        return
    if await _needs_profile(callback, student):
        return
    await callback.answer()
    await state.clear()
    await _set_zone(callback, keyboards.ZONES[callback_data.index], student, schedules, lang)


async def type_zone(message: Message, state: FSMContext, student: Student, schedules: ScheduleService,
                    lang: str) -> None:  # fmt: skip
    zone = parse_zone(message.text or "")
    if zone is None:
        await message.answer(texts.unknown_zone(message.text or ""))
        return
    await state.clear()
    await _set_zone(message, zone, student, schedules, lang)


async def set_language(callback: CallbackQuery, callback_data: LangCb, student: Student, students: StudentService,
                       schedules: ScheduleService, admin: AdminService, i18n: I18n, bot: Bot) -> None:  # fmt: skip
    if callback_data.lang not in LANGUAGES:
        await callback.answer(texts.option_gone())
        return
    updated = await students.set_language(student, callback_data.lang)
    with i18n.use_locale(callback_data.lang):  # answer in the language just chosen
        await callback.answer(texts.language_set(callback_data.lang))
        await show_settings(callback, updated, schedules, callback_data.lang)
    if callback.message is not None and callback.message.chat.type == "private":
        admin_chat = admin.is_admin(callback.from_user.id)
        await set_chat_menu(bot, i18n, callback.message.chat.id, callback_data.lang, admin=admin_chat)


def create_router() -> Router:
    router = Router(name="settings")
    router.message.register(settings_command, Command("settings"))
    router.callback_query.register(set_language, LangCb.filter())
    router.callback_query.register(settings_action, SettingsCb.filter())
    router.callback_query.register(choose_day, RemDayCb.filter())
    router.callback_query.register(choose_hour, RemHourCb.filter())
    router.callback_query.register(choose_zone, ZoneCb.filter())
    router.message.register(type_zone, SettingsFlow.zone, F.text, ~F.text.startswith("/"))
    return router
