"""The market's one question: the posting a student pastes."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class MarketFlow(StatesGroup):
    posting = State()
