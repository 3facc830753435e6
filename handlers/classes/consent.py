"""The invite a student accepts or declines — after /start with the link, or at the end of onboarding for a
student who opened the link before they had a profile."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery

from coach.catalog import Catalog
from coach.classes import display_name, is_invite_code
from coach.student import Student
from handlers.classes import keyboards, texts
from handlers.common.screens import Target, send

JOIN_KEYS = ("join", "join_class", "join_teacher")  # what onboarding carries for a student on their way in


def first_name(target: Target) -> str:
    user = target.from_user
    return display_name(user.first_name if user else None, "—")


async def offer(target: Target, catalog: Catalog, student: Student, code: str, class_name: str, teacher: str,
                lang: str) -> None:  # fmt: skip
    """What the teacher would see, and Join / No thanks."""
    text = texts.invite(catalog, class_name, teacher, student, first_name(target), lang)
    await send(target, text, keyboards.invite(code))


async def offer_after_onboarding(target: Target, catalog: Catalog, student: Student, data: dict[str, Any],
                                 lang: str) -> None:  # fmt: skip
    """At the end of onboarding: the invite the student came with, now that they have a profile (the press
    checks again that the link still works)."""
    code = data.get("join")
    if not isinstance(code, str) or not is_invite_code(code):
        return
    if isinstance(target, CallbackQuery) and target.message is None:
        return
    await offer(target, catalog, student, code, str(data.get("join_class") or ""),
                str(data.get("join_teacher") or ""), lang)  # fmt: skip
