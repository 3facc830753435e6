"""The reminder's buttons, as neutral `services.ui` keyboards (a reminder is delivered by a service)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from coach.progress import Item, ItemState
from handlers.common.buttons import neutral
from handlers.common.callbacks import ItemAction, MenuCb, MenuTarget, RemItemCb, SnoozeCb
from services.ui import Keyboard

SNOOZE_HOURS = 24


def reminder(shown: Sequence[Item]) -> Keyboard:
    ids = ".".join(str(item.id) for item in shown)
    rows = []
    for number, item in enumerate(shown, 1):
        if item.state is ItemState.OPEN:
            rows.append(
                (
                    neutral(f"{number} ✅", RemItemCb(item=item.id, action=ItemAction.DONE, shown=ids)),
                    neutral(f"{number} ⏭", RemItemCb(item=item.id, action=ItemAction.SKIP, shown=ids)),
                )
            )
    rows.append(
        (neutral(_("😴 Snooze a day"), SnoozeCb(hours=SNOOZE_HOURS)),
         neutral(_("📋 Roadmap"), MenuCb(target=MenuTarget.ROADMAP)))
    )  # fmt: skip
    return tuple(rows)


def finished() -> Keyboard:
    return ((neutral(_("📊 Gap report"), MenuCb(target=MenuTarget.GAP)),),)


def without_snooze(markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    """The reminder's keyboard after a snooze: the same buttons, the snooze gone."""

    def is_snooze(data: str | None) -> bool:
        try:
            SnoozeCb.unpack(data or "")
        except (TypeError, ValueError):
            return False
        return True

    kept = [[b for b in row if not is_snooze(b.callback_data)] for row in markup.inline_keyboard]
    return InlineKeyboardMarkup(inline_keyboard=[row for row in kept if row])
