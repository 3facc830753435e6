"""/cancel and /delete_me."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from coach.student import Student
from handlers.account import keyboards, texts
from handlers.common.callbacks import DeleteCb
from handlers.common.screens import show
from services.students import StudentService


async def cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(texts.nothing_to_cancel())
        return
    await state.clear()
    await message.answer(texts.cancelled())


async def delete_me(message: Message) -> None:
    await message.answer(texts.confirm_delete(), reply_markup=keyboards.confirm_delete())


async def confirm_delete(callback: CallbackQuery, callback_data: DeleteCb, state: FSMContext, student: Student,
                         students: StudentService) -> None:  # fmt: skip
    await callback.answer()
    if not callback_data.confirm:
        await show(callback, texts.kept())
        return
    await state.clear()  # joins the transaction that erases the student
    await students.forget(student)
    await show(callback, texts.deleted())


def create_router() -> Router:
    router = Router(name="account")
    router.message.register(cancel, Command("cancel"))
    router.message.register(delete_me, Command("delete_me"))
    router.callback_query.register(confirm_delete, DeleteCb.filter())
    return router
