"""/gap, /roadmap, /progress and the roadmap's buttons: tick items off, page through, menu shortcuts."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from coach.catalog import Catalog
from coach.progress import ItemState
from handlers import keyboards, views
from handlers.callbacks import ItemCb, MenuCb, PageCb
from handlers.ui import show
from services.coaching import CoachService, Profile
from storage.users import UserDTO

_STATES = {"d": ItemState.DONE, "s": ItemState.SKIPPED, "o": ItemState.OPEN}


async def profile_or_hint(target: Message | CallbackQuery, service: CoachService, user: UserDTO) -> Profile | None:
    """The student's profile, or None after telling them to make one first (commands that need it)."""
    profile = await service.profile(user)
    if profile.complete:
        return profile
    text = _("First tell me which role you want and what you know — send /start. It takes a minute.")
    if isinstance(target, CallbackQuery):
        await target.answer(text, show_alert=True)
    else:
        await target.answer(text)
    return None


async def gap(
    target: Message | CallbackQuery, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str
) -> None:
    service = CoachService(session, catalog)
    if not (profile := await profile_or_hint(target, service, user)):
        return
    roadmap = await service.roadmap(profile)
    text = views.gap_report(catalog, profile, roadmap.gap, lang)
    if isinstance(target, CallbackQuery):
        await target.answer()
        await target.bot.send_message(target.from_user.id, text, reply_markup=keyboards.after_gap())
    else:
        await target.answer(text, reply_markup=keyboards.after_gap())


async def roadmap(
    target: Message | CallbackQuery, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str, page: int = 0
) -> None:
    service = CoachService(session, catalog)
    if not (profile := await profile_or_hint(target, service, user)):
        return
    view = views.roadmap_page(catalog, profile, await service.roadmap(profile), page, lang)
    if isinstance(target, CallbackQuery):
        await target.answer()
        await target.bot.send_message(target.from_user.id, view.text, reply_markup=view.markup)
    else:
        await target.answer(view.text, reply_markup=view.markup)


async def progress(
    target: Message | CallbackQuery, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str
) -> None:
    service = CoachService(session, catalog)
    if not (profile := await profile_or_hint(target, service, user)):
        return
    text = views.progress_report(catalog, profile, await service.roadmap(profile), lang)
    if isinstance(target, CallbackQuery):
        await target.answer()
        await target.bot.send_message(target.from_user.id, text, reply_markup=keyboards.main_menu())
    else:
        await target.answer(text, reply_markup=keyboards.main_menu())


async def tick_and_answer(
    callback: CallbackQuery, service: CoachService, user: UserDTO, item_id: int, state: ItemState | None
) -> bool:
    """Set one of the user's items to `state` and answer the press; True when something changed (the caller
    re-renders). Another user's item, a forged id or a repeated press change nothing and say so."""
    item, changed = await service.tick(user, item_id, state) if state else (None, False)
    if item is None:
        await callback.answer(_("That item isn't on your roadmap (any more). Send /roadmap for the current one."))
        return False
    if not changed:
        await callback.answer(_("Already marked."))
        return False
    done = {ItemState.DONE: _("Done ✅ Nice work!"), ItemState.SKIPPED: _("Skipped ⏭"), ItemState.OPEN: _("Undone ↩")}
    await callback.answer(done[item.state])
    return True


async def tick(
    callback: CallbackQuery, callback_data: ItemCb, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str
) -> None:
    """Done / skip / undo on a roadmap message: owner-checked, idempotent, edited in place."""
    service = CoachService(session, catalog)
    if not await tick_and_answer(callback, service, user, callback_data.item, _STATES.get(callback_data.state)):
        return
    profile = await service.profile(user)
    view = views.roadmap_page(catalog, profile, await service.roadmap(profile), callback_data.page, lang)
    await show(callback, view.text, view.markup)


async def turn_page(
    callback: CallbackQuery, callback_data: PageCb, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str
) -> None:
    service = CoachService(session, catalog)
    if not (profile := await profile_or_hint(callback, service, user)):
        return
    await callback.answer()
    if callback_data.page == _shown_page(callback):
        return  # the page is on screen already: an edit would change nothing (Telegram refuses those)
    view = views.roadmap_page(catalog, profile, await service.roadmap(profile), callback_data.page, lang)
    await show(callback, view.text, view.markup)


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


async def menu(
    callback: CallbackQuery, callback_data: MenuCb, user: UserDTO, session: AsyncSession, catalog: Catalog, lang: str,
    state: FSMContext,
) -> None:  # fmt: skip
    if callback_data.target == "roadmap":
        await roadmap(callback, user, session, catalog, lang)
    elif callback_data.target == "gap":
        await gap(callback, user, session, catalog, lang)
    elif callback_data.target == "progress":
        await progress(callback, user, session, catalog, lang)
    elif callback_data.target == "profile":
        service = CoachService(session, catalog)
        if profile := await profile_or_hint(callback, service, user):
            await callback.answer()
            await state.clear()
            await callback.bot.send_message(
                callback.from_user.id,
                views.profile_summary(catalog, profile, lang),
                reply_markup=keyboards.profile_fields(),
            )
    else:
        await callback.answer(_("That option is no longer available."))


def create_router() -> Router:
    router = Router(name="coaching")
    router.message.register(gap, Command("gap"))
    router.message.register(roadmap, Command("roadmap"))
    router.message.register(progress, Command("progress"))
    router.callback_query.register(tick, ItemCb.filter())
    router.callback_query.register(turn_page, PageCb.filter())
    router.callback_query.register(menu, MenuCb.filter())
    return router
