"""Callback data: short prefixes and ids only (Telegram allows 64 bytes). Malformed data matches no filter
and lands in the fallback, which answers it."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class RoleCb(CallbackData, prefix="r"):
    role: str


class ModuleCb(CallbackData, prefix="m"):
    module: str  # a module id toggles it; "*" shows the roles for the chosen modules


class LevelCb(CallbackData, prefix="l"):
    level: str


class CityCb(CallbackData, prefix="c"):
    city: str  # a catalog city id, "other" or "remote"


class SkillCb(CallbackData, prefix="s"):
    skill: str  # a skill id toggles it; "*" is Done, "-" clears the list


class StepCb(CallbackData, prefix="st"):
    action: str  # unsure | back | skip


class ConflictCb(CallbackData, prefix="cf"):
    skill: str
    have: bool


class ItemCb(CallbackData, prefix="i"):
    item: int
    state: str  # d(one) | s(kipped) | o(pen, i.e. undo)
    page: int


class PageCb(CallbackData, prefix="p"):
    page: int


class MenuCb(CallbackData, prefix="mn"):
    target: str  # roadmap | gap | progress | profile


class ProfileCb(CallbackData, prefix="pf"):
    field: str  # role | level | city | skills


class LangCb(CallbackData, prefix="lg"):
    lang: str


class DeleteCb(CallbackData, prefix="del"):
    confirm: bool


class RemItemCb(CallbackData, prefix="ri"):
    item: int
    state: str  # d | s
    shown: str  # the reminder's item ids, "12.13.14", so the same items are shown again after a tick


class SnoozeCb(CallbackData, prefix="sz"):
    hours: int


class RemSetCb(CallbackData, prefix="rs"):
    action: str  # time | zone | pause | resume | back


class RemDayCb(CallbackData, prefix="rd"):
    day: int


class RemHourCb(CallbackData, prefix="rh"):
    day: int
    hour: int


class ZoneCb(CallbackData, prefix="z"):
    index: int  # into ZONES; -1: type one
