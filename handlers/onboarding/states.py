"""The onboarding conversation's steps."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    role = State()
    modules = State()
    level = State()
    city = State()
    other_city = State()  # "Other city": which one (typed)
    skills = State()
    stack = State()
    want = State()
    conflicts = State()


TYPING_STEPS = {Onboarding.skills.state, Onboarding.want.state}  # where typed text is the answer (skills)
STEPS = {state.state for state in Onboarding.__all_states__}
