"""The market's buttons."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.buttons import button, rows
from handlers.common.callbacks import MarketAction, MarketCb, PostingAction, PostingCb


def add_posting() -> InlineKeyboardMarkup:
    return rows([button(_("➕ Add a posting"), MarketCb(action=MarketAction.ADD))])


def after_posting(posting_id: int, missing: int) -> InlineKeyboardMarkup:
    """Under a posting just added: its missing skills onto the roadmap (when there are any), another posting."""
    buttons = []
    if missing:
        label = ngettext(
            "📌 Add the missing skill to my roadmap", "📌 Add the {n} missing skills to my roadmap", missing
        )
        buttons.append(
            [button(label.format(n=missing), PostingCb(posting=posting_id, action=PostingAction.WANT_MISSING))]
        )
    buttons.append([button(_("➕ Add another posting"), MarketCb(action=MarketAction.ADD))])
    return rows(*buttons)
