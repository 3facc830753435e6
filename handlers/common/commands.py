"""The commands the bot answers, with what each does: the command menu and /help read this one list."""

from __future__ import annotations

from handlers.common.i18n import N_

COMMANDS = (
    ("start", N_("Start: choose a role and check your skills")),
    ("gap", N_("Gap report: what you have and lack, by market demand")),
    ("roadmap", N_("Your roadmap: action items to tick off")),
    ("progress", N_("Your progress and streak")),
    ("market", N_("The job market for your role, and adding postings you found")),
    ("report", N_("Your roles and skills analysis as a document")),
    ("profile", N_("Change role, level, city or skills")),
    ("settings", N_("Language, reminders and time zone")),
    ("class", N_("Classes: create one as a teacher, or see and leave yours")),
    ("cancel", N_("Stop the current step")),
    ("delete_me", N_("Erase everything about you")),
    ("help", N_("What I can do")),
)

# Shown in the command menu of the operators' chats only (ADMIN_IDS); others are answered as for any unknown
# command.
ADMIN_COMMANDS = (("admin", N_("Operator's console: students, postings, sync, broadcast")),)
