"""Inline keyboards. Labels are translated here; callback data comes from `handlers.callbacks`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

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


def _grid(
    buttons: Sequence[InlineKeyboardButton], width: int, *last_rows: list[InlineKeyboardButton]
) -> InlineKeyboardMarkup:
    """Buttons in rows of `width`, then the given rows. Not aiogram's InlineKeyboardBuilder: its `add`
    deep-copies the whole markup each time, which made a 20-button keyboard cost a millisecond per update."""
    rows = [list(buttons[start : start + width]) for start in range(0, len(buttons), width)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, *last_rows])


def roles(
    catalog: Catalog, lang: str, role_ids: Iterable[str] | None = None, unsure: bool = True
) -> InlineKeyboardMarkup:
    buttons = [
        _button(catalog.role(role_id).display(lang), RoleCb(role=role_id))
        for role_id in (role_ids if role_ids is not None else catalog.roles)
    ]
    if unsure:
        return _grid(buttons, 2, [_button(_("🤔 Not sure? Pick by system module"), StepCb(action="unsure"))])
    return _grid(buttons, 2, [_button(_("◀ All roles"), StepCb(action="back"))])


def modules(catalog: Catalog, lang: str, chosen: Sequence[str]) -> InlineKeyboardMarkup:
    buttons = [
        _button(("✅ " if module.id in chosen else "") + module.name.get(lang), ModuleCb(module=module.id))
        for module in catalog.modules.values()
    ]
    return _grid(
        buttons, 2, [_button(_("◀ All roles"), StepCb(action="back")), _button(_("Show roles ▶"), ModuleCb(module="*"))]
    )


def levels() -> InlineKeyboardMarkup:
    buttons = [_button(level_name(level.value), LevelCb(level=level.value)) for level in Level]
    return _grid(buttons, 2, [_button(_("◀ Back"), StepCb(action="back"))])


def cities(options: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """`options`: (city id, label) pairs; "other" and "remote" are added."""
    buttons = [_button(label, CityCb(city=city_id)) for city_id, label in options]
    buttons += [_button(_("Other city"), CityCb(city="other")), _button(_("🌐 Remote"), CityCb(city="remote"))]
    return _grid(buttons, 2, [_button(_("◀ Back"), StepCb(action="back"))])


def skills(catalog: Catalog, lang: str, offered: Sequence[str], chosen: Iterable[str]) -> InlineKeyboardMarkup:
    have = set(chosen)
    buttons = []
    for skill_id in offered:
        name = catalog.skill(skill_id).display(lang)
        buttons.append(_button(f"✅ {name}" if skill_id in have else name, SkillCb(skill=skill_id)))
    controls = [_button(_("◀ Back"), StepCb(action="back"))]
    if have:
        controls.append(_button(_("🗑 Clear"), SkillCb(skill="-")))
    controls.append(_button(_("Done ✔"), SkillCb(skill="*")))
    return _grid(buttons, 3, controls)


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
