"""The console's buttons."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common.buttons import button, rows
from handlers.common.callbacks import AdminAction, AdminCb


def console(sync_possible: bool) -> InlineKeyboardMarkup:
    first = [button(_("🔄 Refresh"), AdminCb(action=AdminAction.REFRESH))]
    if sync_possible:
        first.append(button(_("⬇️ Sync postings now"), AdminCb(action=AdminAction.SYNC)))
    return rows(first, [button(_("📣 Message every student"), AdminCb(action=AdminAction.BROADCAST))])


def confirm_broadcast(audience: int) -> InlineKeyboardMarkup:
    return rows(
        [button(_("✅ Send to {n}").format(n=audience), AdminCb(action=AdminAction.SEND))],
        [button(_("✖️ Cancel"), AdminCb(action=AdminAction.CANCEL))],
    )


def cancel_only() -> InlineKeyboardMarkup:
    return rows([button(_("✖️ Cancel"), AdminCb(action=AdminAction.CANCEL))])
