"""Onboarding's keyboards. Labels are translated here; callback data comes from `handlers.common.callbacks`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from coach.catalog import Catalog, Level
from handlers.common.buttons import button, grid, rows
from handlers.common.callbacks import (
    CityCb,
    ConflictCb,
    LevelCb,
    ModuleCb,
    RoleCb,
    SkillCb,
    StackCb,
    StepAction,
    StepCb,
)
from handlers.common.labels import level_name


def roles(catalog: Catalog, lang: str, role_ids: Iterable[str] | None = None, unsure: bool = True
          ) -> InlineKeyboardMarkup:  # fmt: skip
    buttons = [
        button(catalog.role(role_id).display(lang), RoleCb(role=role_id))
        for role_id in (role_ids if role_ids is not None else catalog.roles)
    ]
    if unsure:
        return grid(buttons, 2, [button(_("🤔 Not sure? Pick by system module"), StepCb(action=StepAction.UNSURE))])
    return grid(buttons, 2, [button(_("◀ All roles"), StepCb(action=StepAction.BACK))])


def modules(catalog: Catalog, lang: str, chosen: Sequence[str]) -> InlineKeyboardMarkup:
    buttons = [
        button(("✅ " if module.id in chosen else "") + module.name.get(lang), ModuleCb(module=module.id))
        for module in catalog.modules.values()
    ]
    return grid(
        buttons,
        2,
        [button(_("◀ All roles"), StepCb(action=StepAction.BACK)),
         button(_("Show roles ▶"), StepCb(action=StepAction.SHOW_ROLES))],
    )  # fmt: skip


def levels() -> InlineKeyboardMarkup:
    buttons = [button(level_name(level.value), LevelCb(level=level.value)) for level in Level]
    return grid(buttons, 2, [button(_("◀ Back"), StepCb(action=StepAction.BACK))])


def other_city() -> InlineKeyboardMarkup:
    return rows(
        [button(_("◀ Back"), StepCb(action=StepAction.BACK)), button(_("Skip ⏭"), StepCb(action=StepAction.SKIP))]
    )


def cities(options: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """`options`: (city id, label) pairs; "other" and "remote" are added."""
    buttons = [button(label, CityCb(city=city_id)) for city_id, label in options]
    buttons += [button(_("Other city"), CityCb(city="other")), button(_("🌐 Remote"), CityCb(city="remote"))]
    return grid(buttons, 2, [button(_("◀ Back"), StepCb(action=StepAction.BACK))])


EXTRA_CHOSEN = 24  # typed skills beyond the offered ones get a button each (a tap takes one out), this many


def skills(catalog: Catalog, lang: str, offered: Sequence[str], chosen: Iterable[str]) -> InlineKeyboardMarkup:
    have = list(dict.fromkeys(chosen))
    buttons = []
    for skill_id in offered:
        name = catalog.skill(skill_id).display(lang)
        buttons.append(button(f"✅ {name}" if skill_id in have else name, SkillCb(skill=skill_id)))
    extra = [sid for sid in have if sid not in set(offered) and sid in catalog.skills][:EXTRA_CHOSEN]
    buttons += [button(f"✅ {catalog.skill(sid).display(lang)}", SkillCb(skill=sid)) for sid in extra]
    controls = [button(_("◀ Back"), StepCb(action=StepAction.BACK))]
    if have:
        controls.append(button(_("🗑 Clear"), StepCb(action=StepAction.SKILLS_CLEAR)))
    controls.append(button(_("Done ✔"), StepCb(action=StepAction.SKILLS_DONE)))
    return grid(buttons, 3, controls)


def stacks(catalog: Catalog, role_id: str, chosen: str | None) -> InlineKeyboardMarkup:
    buttons = [
        button(("✅ " if stack.id == chosen else "") + stack.name, StackCb(stack=stack.id))
        for stack in catalog.role(role_id).stacks
    ]
    return grid(buttons, 3, [button(_("◀ Back"), StepCb(action=StepAction.BACK)),
                             button(_("🤷 Not decided yet"), StackCb(stack="auto"))])  # fmt: skip


def skip() -> InlineKeyboardMarkup:
    return rows(
        [button(_("◀ Back"), StepCb(action=StepAction.BACK)), button(_("Skip ⏭"), StepCb(action=StepAction.SKIP))]
    )


def conflict(skill_id: str) -> InlineKeyboardMarkup:
    return rows(
        [button(_("I have it"), ConflictCb(skill=skill_id, have=True)),
         button(_("I want to learn it"), ConflictCb(skill=skill_id, have=False))]
    )  # fmt: skip
