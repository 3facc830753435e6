"""Inline keyboards. Labels are translated here; callback data comes from `handlers.callbacks`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from coach.catalog import Catalog, Level
from handlers.callbacks import (
    CityCb,
    DeleteCb,
    LevelCb,
    MenuCb,
    ModuleCb,
    ProfileCb,
    RoleCb,
    SkillCb,
    StepCb,
)
from handlers.labels import level_name


def _button(text: str, data) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def roles(
    catalog: Catalog, lang: str, role_ids: Iterable[str] | None = None, unsure: bool = True
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for role_id in role_ids if role_ids is not None else catalog.roles:
        builder.add(_button(catalog.role(role_id).display(lang), RoleCb(role=role_id)))
    builder.adjust(2)
    if unsure:
        builder.row(_button(_("🤔 Not sure? Pick by system module"), StepCb(action="unsure")))
    else:
        builder.row(_button(_("◀ All roles"), StepCb(action="back")))
    return builder.as_markup()


def modules(catalog: Catalog, lang: str, chosen: Sequence[str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for module in catalog.modules.values():
        mark = "✅ " if module.id in chosen else ""
        builder.add(_button(mark + module.name.get(lang), ModuleCb(module=module.id)))
    builder.adjust(2)
    builder.row(_button(_("◀ All roles"), StepCb(action="back")), _button(_("Show roles ▶"), ModuleCb(module="*")))
    return builder.as_markup()


def levels() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for level in Level:
        builder.add(_button(level_name(level.value), LevelCb(level=level.value)))
    builder.adjust(2)
    builder.row(_button(_("◀ Back"), StepCb(action="back")))
    return builder.as_markup()


def cities(options: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """`options`: (city id, label) pairs; "other" and "remote" are added."""
    builder = InlineKeyboardBuilder()
    for city_id, label in options:
        builder.add(_button(label, CityCb(city=city_id)))
    builder.add(_button(_("Other city"), CityCb(city="other")), _button(_("🌐 Remote"), CityCb(city="remote")))
    builder.adjust(2)
    builder.row(_button(_("◀ Back"), StepCb(action="back")))
    return builder.as_markup()


def skills(catalog: Catalog, lang: str, offered: Sequence[str], chosen: Iterable[str]) -> InlineKeyboardMarkup:
    have = set(chosen)
    builder = InlineKeyboardBuilder()
    for skill_id in offered:
        name = catalog.skill(skill_id).display(lang)
        builder.add(_button(f"✅ {name}" if skill_id in have else name, SkillCb(skill=skill_id)))
    builder.adjust(3)
    buttons = [_button(_("◀ Back"), StepCb(action="back"))]
    if have:
        buttons.append(_button(_("🗑 Clear"), SkillCb(skill="-")))
    buttons.append(_button(_("Done ✔"), SkillCb(skill="*")))
    builder.row(*buttons)
    return builder.as_markup()


def skip() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(_("◀ Back"), StepCb(action="back")), _button(_("Skip ⏭"), StepCb(action="skip"))]]
    )


def main_menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(_("📋 Roadmap"), MenuCb(target="roadmap")), _button(_("📊 Gap report"), MenuCb(target="gap"))],
            [_button(_("📈 Progress"), MenuCb(target="progress")), _button(_("👤 Profile"), MenuCb(target="profile"))],
        ]
    )


def after_gap() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(_("📋 My roadmap"), MenuCb(target="roadmap")),
                _button(_("📈 Progress"), MenuCb(target="progress")),
            ]
        ]
    )


def profile_fields() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(_("Role"), ProfileCb(field="role")), _button(_("Level"), ProfileCb(field="level"))],
            [_button(_("City"), ProfileCb(field="city")), _button(_("Skills"), ProfileCb(field="skills"))],
        ]
    )


def confirm_delete() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(_("Yes, delete everything"), DeleteCb(confirm=True)),
                _button(_("No, keep it"), DeleteCb(confirm=False)),
            ]
        ]
    )
