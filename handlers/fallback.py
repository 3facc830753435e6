"""Answers whatever no other handler took — text, stickers, photos, unknown commands, stale or forged
buttons — with a short explanation and, mid-conversation, the current step again."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.student import Student
from handlers.classes.states import ClassFlow
from handlers.coaching import keyboards as coaching_keyboards
from handlers.coaching import texts as coaching_texts
from handlers.common.screens import drop_keyboard
from handlers.market.states import MarketFlow
from handlers.onboarding.router import prompt
from handlers.onboarding.states import STEPS, TYPING_STEPS
from handlers.settings.states import SettingsFlow
from services.coaching import CoachService


async def _repeat_step(message: Message, state: FSMContext, coach: CoachService, catalog: Catalog, lang: str) -> None:
    data = await state.get_data()
    text, markup = await prompt(await state.get_state(), data, catalog, coach, lang)
    await drop_keyboard(message, message.chat.id, data.get("msg"))
    sent = await message.answer(text, reply_markup=markup)
    await state.update_data(msg=sent.message_id)


async def unknown_message(message: Message, state: FSMContext, student: Student, coach: CoachService,
                          catalog: Catalog, lang: str) -> None:  # fmt: skip
    current = await state.get_state()
    is_command = bool(message.text and message.text.startswith("/"))
    if current is None:
        if is_command:
            await message.answer(_("I don't know that command. /help lists the ones I do."))
            return
        roadmap = await coach.overview(student)
        if roadmap is None:
            await message.answer(_("I didn't get that. Send /start to begin or /help to see what I can do."))
            return
        # A student with a roadmap who says "hello" gets where they are and the way on, not "send /start".
        status = "\n".join(
            [
                coaching_texts.headline(catalog, roadmap.profile, lang),
                coaching_texts.core_line(roadmap.gap),
                coaching_texts.progress_line(roadmap.progress),
            ]
        )
        await message.answer(_("Here is where you are — what next?") + "\n\n" + status,
                             reply_markup=coaching_keyboards.main_menu())  # fmt: skip
        return
    if current not in STEPS:  # typing a time zone in /settings, a posting in /market
        hints = {
            SettingsFlow.zone.state: _(
                "Please type a time zone like <i>Asia/Almaty</i> or <i>UTC+5</i> — or /cancel to stop."
            ),
            MarketFlow.posting.state: _(
                "Please paste the vacancy's text or an hh.kz / hh.ru link — or /cancel to stop."
            ),
            ClassFlow.name.state: _("Please send the class's name as text — or /cancel to stop."),
            ClassFlow.rename.state: _("Please send the class's new name as text — or /cancel to stop."),
        }
        await message.answer(hints.get(current, _("Let's finish this step — or /cancel to stop.")))
        return
    if is_command:
        hint = _("I don't know that command. Let's finish this step — or /cancel to stop.")
    elif current in TYPING_STEPS:
        hint = _("Please type your skills as text (e.g. <i>Python, SQL</i>) or use the buttons.")
    else:
        hint = _("Please choose with the buttons below 👇 (or /cancel to stop).")
    await message.answer(hint)
    await _repeat_step(message, state, coach, catalog, lang)


async def stale_button(callback: CallbackQuery, state: FSMContext, coach: CoachService, catalog: Catalog,
                       lang: str) -> None:  # fmt: skip
    """A button from an earlier step, an old message or nowhere: a toast, and at most one change — the old
    message loses its buttons (once: a message without buttons is not edited again), or, when the current
    step's message is unknown, the step is shown again."""
    message = callback.message if isinstance(callback.message, Message) else None
    if await state.get_state() not in STEPS:
        await callback.answer(_("This button no longer works. Send /start to begin again."))
        return
    current = (await state.get_data()).get("msg")
    if message is not None and current and message.message_id != current:
        await callback.answer(_("That button is from an earlier step — the current one is in your latest message."))
        if message.reply_markup:
            await drop_keyboard(callback, message.chat.id, message.message_id)
        return
    if message is not None and message.message_id == current:
        await callback.answer(_("That option is no longer available."))  # forged or outdated data on the step
        return
    await callback.answer(_("That button is from another step. Here is where we are:"))
    if message is not None:
        await _repeat_step(message, state, coach, catalog, lang)


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(unknown_message)
    router.callback_query.register(stale_button)
    return router
