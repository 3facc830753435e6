"""The console's questions: the broadcast's text, then whether to send it."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class AdminFlow(StatesGroup):
    broadcast_text = State()
    broadcast_confirm = State()
