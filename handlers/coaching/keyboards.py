"""Coaching's keyboards: the menu, the roadmap's tick and page buttons, the profile's fields."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from coach.progress import Item, ItemState
from handlers.coaching.layout import RoadmapLayout
from handlers.common.buttons import button, rows
from handlers.common.callbacks import ItemAction, ItemCb, MenuCb, MenuTarget, PageCb, ProfileCb, ProfileField


def main_menu() -> InlineKeyboardMarkup:
    return rows(
        [button(_("📋 Roadmap"), MenuCb(target=MenuTarget.ROADMAP)),
         button(_("📊 Gap report"), MenuCb(target=MenuTarget.GAP))],
        [button(_("📈 Progress"), MenuCb(target=MenuTarget.PROGRESS)),
         button(_("👤 Profile"), MenuCb(target=MenuTarget.PROFILE))],
    )  # fmt: skip


def after_gap() -> InlineKeyboardMarkup:
    return rows(
        [button(_("📋 My roadmap"), MenuCb(target=MenuTarget.ROADMAP)),
         button(_("📈 Progress"), MenuCb(target=MenuTarget.PROGRESS))]
    )  # fmt: skip


def profile_fields(with_stack: bool = False) -> InlineKeyboardMarkup:
    first = [button(_("Role"), ProfileCb(field=ProfileField.ROLE))]
    if with_stack:
        first.append(button(_("Stack"), ProfileCb(field=ProfileField.STACK)))
    first.append(button(_("Level"), ProfileCb(field=ProfileField.LEVEL)))
    return rows(
        first,
        [button(_("City"), ProfileCb(field=ProfileField.CITY)),
         button(_("Skills"), ProfileCb(field=ProfileField.SKILLS))],
    )  # fmt: skip


def _item_buttons(item: Item, number: int, page: int) -> list[InlineKeyboardButton]:
    def tick(label: str, action: ItemAction) -> InlineKeyboardButton:
        return button(label, ItemCb(item=item.id, action=action, page=page))

    if item.state is ItemState.OPEN:
        return [tick(f"{number} ✅", ItemAction.DONE), tick(f"{number} ⏭", ItemAction.SKIP)]
    return [tick(f"{number} ↩", ItemAction.UNDO)]


def roadmap(layout: RoadmapLayout) -> InlineKeyboardMarkup:
    keyboard: list[list[InlineKeyboardButton]] = []
    for group in layout.groups:
        row: list[InlineKeyboardButton] = []
        for number, item in group.items:
            row.extend(_item_buttons(item, number, layout.page))
            if len(row) >= 4:
                keyboard.append(row)
                row = []
        if row:
            keyboard.append(row)
    if layout.pages > 1:
        nav = []
        if layout.page > 0:
            nav.append(button("◀", PageCb(page=layout.page - 1)))
        nav.append(button(f"{layout.page + 1}/{layout.pages}", PageCb(page=layout.page)))
        if layout.page < layout.pages - 1:
            nav.append(button("▶", PageCb(page=layout.page + 1)))
        keyboard.append(nav)
    return InlineKeyboardMarkup(inline_keyboard=keyboard)
