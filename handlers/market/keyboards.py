"""The market's buttons."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common.buttons import button, rows
from handlers.common.callbacks import MarketAction, MarketCb


def add_posting() -> InlineKeyboardMarkup:
    return rows([button(_("➕ Add a posting"), MarketCb(action=MarketAction.ADD))])
