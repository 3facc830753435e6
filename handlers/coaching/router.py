"""/gap, /roadmap, /progress and the roadmap's buttons: tick items off, page through, menu shortcuts."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog
from coach.progress import ItemState
from coach.student import Student
from handlers.coaching import keyboards, texts
from handlers.coaching.layout import layout
from handlers.common.callbacks import ItemAction, ItemCb, MenuCb, MenuTarget, PageCb
from handlers.common.guards import profile_or_hint, roadmap_or_hint
from handlers.common.screens import Target, send, show
from services.coaching import CoachService, Roadmap, Tick

ITEM_STATES = {ItemAction.DONE: ItemState.DONE, ItemAction.SKIP: ItemState.SKIPPED, ItemAction.UNDO: ItemState.OPEN}


def roadmap_screen(catalog: Catalog, roadmap: Roadmap, page: int, lang: str):
    shown = layout(roadmap.items, roadmap.plan, page)
    return texts.roadmap_text(catalog, roadmap, shown, lang), keyboards.roadmap(shown)


async def _opened(target: Target) -> None:
    if isinstance(target, CallbackQuery):
        await target.answer()


async def gap(target: Target, student: Student, coach: CoachService, catalog: Catalog, lang: str) -> None:
    if not (roadmap := await roadmap_or_hint(target, coach, student)):
        return
    await _opened(target)
    await send(target, texts.gap_report(catalog, roadmap, lang), keyboards.after_gap())


async def roadmap(target: Target, student: Student, coach: CoachService, catalog: Catalog, lang: str) -> None:
    if not (found := await roadmap_or_hint(target, coach, student)):
        return
    await _opened(target)
    await send(target, *roadmap_screen(catalog, found, 0, lang))


async def progress(target: Target, student: Student, coach: CoachService, catalog: Catalog, lang: str) -> None:
    if not (roadmap := await roadmap_or_hint(target, coach, student)):
        return
    await _opened(target)
    await send(target, texts.progress_report(catalog, roadmap.profile, roadmap, lang), keyboards.main_menu())


async def answer_tick(callback: CallbackQuery, tick: Tick) -> bool:
    """Answer a press of ✅ / ⏭ / ↩; True when something changed (the caller re-renders). Another student's
    item, a forged id or a repeated press change nothing and say so."""
    if tick.item is None:
        await callback.answer(_("That item isn't on your roadmap (any more). Send /roadmap for the current one."))
        return False
    if not tick.changed:
        await callback.answer(_("Already marked."))
        return False
    done = {ItemState.DONE: _("Done ✅ Nice work!"), ItemState.SKIPPED: _("Skipped ⏭"), ItemState.OPEN: _("Undone ↩")}
    await callback.answer(done[tick.item.state])
    return True


async def tick(callback: CallbackQuery, callback_data: ItemCb, student: Student, coach: CoachService,
               catalog: Catalog, lang: str) -> None:  # fmt: skip
    """Done / skip / undo on a roadmap message: owner-checked, idempotent, edited in place."""
    result = await coach.tick(student, callback_data.item, ITEM_STATES[callback_data.action])
    if await answer_tick(callback, result) and result.roadmap is not None:
        await show(callback, *roadmap_screen(catalog, result.roadmap, callback_data.page, lang))


async def turn_page(callback: CallbackQuery, callback_data: PageCb, student: Student, coach: CoachService,
                    catalog: Catalog, lang: str) -> None:  # fmt: skip
    if callback_data.page == _shown_page(callback):
        await callback.answer()
        return  # the page is on screen already: an edit would change nothing (Telegram refuses those)
    if not (roadmap := await roadmap_or_hint(callback, coach, student)):
        return
    await callback.answer()
    await show(callback, *roadmap_screen(catalog, roadmap, callback_data.page, lang))


def _shown_page(callback: CallbackQuery) -> int | None:
    """The page a roadmap message shows, read from its page counter button."""
    markup = getattr(callback.message, "reply_markup", None)
    for row in markup.inline_keyboard if markup else []:
        for button in row:
            if button.callback_data and "/" in button.text:
                try:
                    return PageCb.unpack(button.callback_data).page
                except (TypeError, ValueError):
                    return None
    return None


async def menu(callback: CallbackQuery, callback_data: MenuCb, student: Student, coach: CoachService,
               catalog: Catalog, lang: str, state: FSMContext) -> None:  # fmt: skip
    if callback_data.target is MenuTarget.ROADMAP:
        await roadmap(callback, student, coach, catalog, lang)
    elif callback_data.target is MenuTarget.GAP:
        await gap(callback, student, coach, catalog, lang)
    elif callback_data.target is MenuTarget.PROGRESS:
        await progress(callback, student, coach, catalog, lang)
    elif profile := await profile_or_hint(callback, coach, student):
        await callback.answer()
        await state.clear()
        stacks = bool(catalog.role(profile.student.role_id or "").stacks)
        await send(callback, texts.profile_summary(catalog, profile, lang), keyboards.profile_fields(stacks))


def create_router() -> Router:
    router = Router(name="coaching")
    router.message.register(gap, Command("gap"))
    router.message.register(roadmap, Command("roadmap"))
    router.message.register(progress, Command("progress"))
    router.callback_query.register(tick, ItemCb.filter())
    router.callback_query.register(turn_page, PageCb.filter())
    router.callback_query.register(menu, MenuCb.filter())
    return router
