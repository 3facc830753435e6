"""The confirmation /delete_me asks for."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common.buttons import button, rows
from handlers.common.callbacks import DeleteCb


def confirm_delete() -> InlineKeyboardMarkup:
    return rows(
        [button(_("Yes, delete everything"), DeleteCb(confirm=True)), button(_("No, keep it"), DeleteCb(confirm=False))]
    )
