"""Answers shared by every feature that needs something first."""

from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from coach.student import Profile, Student
from handlers.common.i18n import N_
from handlers.common.screens import Target
from services.coaching import CoachService, Roadmap


async def tell(target: Target, text: str) -> None:
    """A short answer: a toast for a button, a message for a command."""
    if isinstance(target, CallbackQuery):
        await target.answer(text, show_alert=True)
    else:
        await target.answer(text)


NO_PROFILE = N_("First tell me which role you want and what you know — send /start. It takes a minute.")


async def profile_or_hint(target: Target, coach: CoachService, student: Student) -> Profile | None:
    """The student's profile, or None after telling them to make one first."""
    profile = await coach.profile(student)
    if not profile.complete:
        await tell(target, _(NO_PROFILE))
        return None
    return profile


async def roadmap_or_hint(target: Target, coach: CoachService, student: Student) -> Roadmap | None:
    """The student's roadmap, or None after telling them to make a profile first."""
    roadmap = await coach.overview(student)
    if roadmap is None:
        await tell(target, _(NO_PROFILE))
    return roadmap
