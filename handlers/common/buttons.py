"""Inline keyboards: the one button helper, grids, and the rendering of `services.ui` keyboards."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from services.ui import Button, Keyboard


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def grid(buttons: Sequence[InlineKeyboardButton], width: int, *last_rows: list[InlineKeyboardButton]
         ) -> InlineKeyboardMarkup:  # fmt: skip
    """Buttons in rows of `width`, then the given rows. Not aiogram's InlineKeyboardBuilder: its `add`
    deep-copies the whole markup each time, which made a 20-button keyboard cost a millisecond per update."""
    rows = [list(buttons[start : start + width]) for start in range(0, len(buttons), width)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, *[row for row in last_rows if row]])


def rows(*rows: Sequence[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(row) for row in rows if row])


def neutral(text: str, data: CallbackData) -> Button:
    """A button for a message a service delivers later (a reminder)."""
    return Button(text, data.pack())


def render(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=b.text, callback_data=b.data) for b in row] for row in keyboard]
    )
