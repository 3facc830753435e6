"""The weekly reminder as the student sees it, and its buttons: tick items off right there, or snooze."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from coach.catalog import Catalog
from coach.progress import Item, ItemState
from coach.student import Student
from handlers.coaching.router import ITEM_STATES, answer_tick
from handlers.common.buttons import render
from handlers.common.callbacks import ItemAction, RemItemCb, SnoozeCb
from handlers.common.screens import show
from handlers.reminders import keyboards, texts
from services.coaching import CoachService, Roadmap
from services.reminders import Composer, ReminderMessage
from services.schedule import ScheduleService

ITEMS_PER_REMINDER = 3


def next_items(items: tuple[Item, ...], count: int = ITEMS_PER_REMINDER) -> list[Item]:
    return [item for item in sorted(items, key=lambda i: i.position) if item.state is ItemState.OPEN][:count]


def reminder_message(catalog: Catalog, roadmap: Roadmap, shown: list[Item], lang: str, nudge: bool = False
                     ) -> ReminderMessage:  # fmt: skip
    if not shown and roadmap.progress.open == 0:
        return ReminderMessage(texts.finished(catalog, roadmap, lang), keyboards.finished(), nudge)
    return ReminderMessage(texts.reminder(catalog, roadmap, shown, lang, nudge), keyboards.reminder(shown), nudge)


def make_composer(catalog: Catalog, i18n: I18n) -> Composer:
    """The reminder renderer the ReminderService calls, speaking each student's language."""

    async def compose(student: Student, roadmap: Roadmap | None, nudge: bool) -> ReminderMessage | None:
        if roadmap is None:
            return None
        with i18n.context(), i18n.use_locale(student.language):
            return reminder_message(catalog, roadmap, next_items(roadmap.items), student.language, nudge)

    return compose


async def tick_on_reminder(callback: CallbackQuery, callback_data: RemItemCb, student: Student, coach: CoachService,
                           catalog: Catalog, lang: str) -> None:  # fmt: skip
    if callback_data.action is ItemAction.UNDO:  # a reminder has no undo button: forged
        await callback.answer()
        return
    result = await coach.tick(student, callback_data.item, ITEM_STATES[callback_data.action])
    if not await answer_tick(callback, result) or result.roadmap is None:
        return
    by_id = {i.id: i for i in result.roadmap.items}
    shown = [by_id[int(part)] for part in callback_data.shown.split(".") if int(part) in by_id]
    message = reminder_message(catalog, result.roadmap, shown, lang)
    await show(callback, message.text, render(message.keyboard))


async def snooze(callback: CallbackQuery, callback_data: SnoozeCb, student: Student, schedules: ScheduleService
                 ) -> None:  # fmt: skip
    if student.role_id is None:  # an old reminder after /delete_me
        await callback.answer(texts.no_profile(), show_alert=True)
        return
    until = await schedules.snooze(student, datetime.now(UTC), callback_data.hours)
    if until is None:
        await callback.answer(texts.reminders_paused())
        return
    local = until.astimezone(ZoneInfo(student.timezone))
    await callback.answer(texts.snoozed(local.strftime("%H:%M")))
    markup = getattr(callback.message, "reply_markup", None)
    if isinstance(callback.message, Message) and markup:
        await show(callback, callback.message.html_text, keyboards.without_snooze(markup))


def create_router() -> Router:
    router = Router(name="reminders")
    router.callback_query.register(tick_on_reminder, RemItemCb.filter())
    router.callback_query.register(snooze, SnoozeCb.filter())
    return router
