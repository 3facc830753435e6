"""Settings' one question: the time zone a student types."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class SettingsFlow(StatesGroup):
    zone = State()
