"""/cancel and /delete_me."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from coach.catalog import Catalog
from handlers import keyboards
from handlers.callbacks import DeleteCb
from handlers.ui import show
from services.coaching import CoachService
from storage.users import UserDTO


async def cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(_("There's nothing to cancel. /help shows what I can do."))
        return
    await state.clear()
    await message.answer(_("Cancelled. Nothing was changed. /start to begin again, /help for everything else."))


async def delete_me(message: Message) -> None:
    await message.answer(
        _(
            "This erases everything I know about you: profile, skills, roadmap and progress. "
            "It cannot be undone. Are you sure?"
        ),
        reply_markup=keyboards.confirm_delete(),
    )


async def confirm_delete(
    callback: CallbackQuery, callback_data: DeleteCb, state: FSMContext, user: UserDTO, session: AsyncSession,
    catalog: Catalog,
) -> None:  # fmt: skip
    await callback.answer()
    if not callback_data.confirm:
        await show(callback, _("Kept. Nothing was deleted."))
        return
    await CoachService(session, catalog).forget(user)
    await state.clear()
    await show(callback, _("Done: everything about you is erased. Send /start if you ever want to begin again."))


def create_router() -> Router:
    router = Router(name="account")
    router.message.register(cancel, Command("cancel"))
    router.message.register(delete_me, Command("delete_me"))
    router.callback_query.register(confirm_delete, DeleteCb.filter())
    return router
