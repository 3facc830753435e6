"""What /cancel and /delete_me say."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _


def nothing_to_cancel() -> str:
    return _("There's nothing to cancel. /help shows what I can do.")


def cancelled() -> str:
    return _("Cancelled. Nothing was changed. /start to begin again, /help for everything else.")


def confirm_delete() -> str:
    return _(
        "This erases everything I know about you: profile, skills, roadmap and progress, the classes you joined "
        "(their teachers see nothing of you any more) and the classes you teach. It cannot be undone. Are you sure?"
    )


def kept() -> str:
    return _("Kept. Nothing was deleted.")


def deleted() -> str:
    return _("Done: everything about you is erased. Send /start if you ever want to begin again.")
