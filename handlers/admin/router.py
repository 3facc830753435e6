"""/admin: the operator's console — for ADMIN_IDS only, checked on every message and every button. Anyone
else never reaches these handlers: their /admin is answered like any unknown command, and a console button
they got hold of like any stale one (handlers/fallback.py)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.utils.i18n import I18n

from coach.catalog import Catalog
from handlers.admin import keyboards, texts
from handlers.admin.states import AdminFlow
from handlers.common.callbacks import AdminAction, AdminCb
from handlers.common.format import TEXT_LIMIT
from handlers.common.screens import Target, send, show
from services.admin import AdminService
from services.broadcast import BroadcastService
from services.sync import SyncService


async def is_admin(event: TelegramObject, admin: AdminService, event_from_user: User | None = None) -> bool:
    return event_from_user is not None and admin.is_admin(event_from_user.id)


async def show_console(target: Target, admin: AdminService, sync: SyncService, catalog: Catalog, lang: str,
                       fresh: bool = False) -> None:  # fmt: skip
    overview = await admin.overview()
    text = texts.console(catalog, overview, lang)
    markup = keyboards.console(sync_possible=overview.sync_problem is None and not overview.sync_running)
    await (send(target, text, markup) if fresh else show(target, text, markup))


async def console_command(message: Message, state: FSMContext, admin: AdminService, sync: SyncService,
                          catalog: Catalog, lang: str) -> None:  # fmt: skip
    if await state.get_state() in (AdminFlow.broadcast_text.state, AdminFlow.broadcast_confirm.state):
        await state.clear()
    await show_console(message, admin, sync, catalog, lang, fresh=True)


async def console_button(callback: CallbackQuery, callback_data: AdminCb, state: FSMContext, admin: AdminService,
                         sync: SyncService, broadcasts: BroadcastService, catalog: Catalog, lang: str,
                         i18n: I18n) -> None:  # fmt: skip
    action = callback_data.action
    if action is AdminAction.REFRESH:
        await callback.answer()
        await show_console(callback, admin, sync, catalog, lang)
    elif action is AdminAction.SYNC:
        if sync.problem() is not None or await sync.running() or not sync.start("admin"):
            await callback.answer(texts.sync_running() if sync.problem() is None else sync.problem()[:190],
                                  show_alert=True)  # fmt: skip
        else:
            await callback.answer(texts.sync_started())
        await show_console(callback, admin, sync, catalog, lang)
    elif action is AdminAction.BROADCAST:
        if broadcasts.running:
            await callback.answer(texts.already_sending(), show_alert=True)
            return
        await callback.answer()
        await state.set_state(AdminFlow.broadcast_text)
        await send(callback, texts.ask_broadcast(await broadcasts.audience()), keyboards.cancel_only())
    elif action is AdminAction.SEND:
        await send_broadcast(callback, state, broadcasts, lang, i18n)
    else:
        await callback.answer()
        had = await state.get_state() in (AdminFlow.broadcast_text.state, AdminFlow.broadcast_confirm.state)
        await state.clear()
        await show(callback, texts.cancelled() if had else texts.nothing_to_send())


async def receive_broadcast(message: Message, state: FSMContext, broadcasts: BroadcastService) -> None:
    text = message.html_text
    if len(message.text or "") > TEXT_LIMIT or len(text) > TEXT_LIMIT:
        await message.answer(texts.too_long())
        return
    audience = await broadcasts.audience()
    await state.update_data(broadcast=text)
    await state.set_state(AdminFlow.broadcast_confirm)
    await message.answer(text)  # exactly what the students will get
    await message.answer(texts.confirm(audience, broadcasts.rate), reply_markup=keyboards.confirm_broadcast(audience))


async def not_text(message: Message) -> None:
    await message.answer(texts.text_only())


async def send_broadcast(callback: CallbackQuery, state: FSMContext, broadcasts: BroadcastService, lang: str,
                         i18n: I18n) -> None:  # fmt: skip
    text = (await state.get_data()).get("broadcast") if await state.get_state() == AdminFlow.broadcast_confirm.state \
        else None  # fmt: skip
    if not text:  # pressed twice, or a stale preview: nothing is sent again
        await callback.answer(texts.nothing_to_send(), show_alert=True)
        return
    if broadcasts.running:
        await callback.answer(texts.already_sending(), show_alert=True)
        return
    audience = await broadcasts.audience()
    await state.clear()  # committed before anything is sent: a second press finds no text

    def report(counts) -> str:
        with i18n.context(), i18n.use_locale(lang):
            return texts.broadcast_done(counts)

    broadcasts.start(text, report_to=callback.from_user.id, report=report)
    await callback.answer()
    await show(callback, texts.sending(audience))


def create_router() -> Router:
    router = Router(name="admin")
    router.message.filter(is_admin)
    router.callback_query.filter(is_admin)
    router.message.register(console_command, Command("admin"))
    router.callback_query.register(console_button, AdminCb.filter())
    router.message.register(receive_broadcast, AdminFlow.broadcast_text, F.text, ~F.text.startswith("/"))
    router.message.register(not_text, AdminFlow.broadcast_text, ~F.text)
    return router
