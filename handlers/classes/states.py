"""The two things a teacher types: a new class's name, and a class's new name."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ClassFlow(StatesGroup):
    name = State()  # creating a class
    rename = State()  # data: class_id


STEPS = {state.state for state in ClassFlow.__all_states__}
