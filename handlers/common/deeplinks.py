"""Deep links: `https://t.me/<bot>?start=<payload>` opens the bot and sends `/start <payload>`.

One function reads a payload (`parse_start`) and rejects anything that is not exactly one of ours; `/start`
with any other payload is a plain /start. Telegram allows up to 64 characters of A-Z a-z 0-9 _ - in a payload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from coach.classes import is_invite_code

PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
JOIN_PREFIX = "join_"


@dataclass(frozen=True)
class JoinLink:
    """An invite to a class, by its invite code."""

    code: str


def parse_start(payload: str | None) -> JoinLink | None:
    """What a /start payload asks for; None for no payload, a malformed one, or one that is not ours."""
    if not payload or not PAYLOAD.fullmatch(payload):
        return None
    if payload.startswith(JOIN_PREFIX) and is_invite_code(code := payload.removeprefix(JOIN_PREFIX)):
        return JoinLink(code)
    return None


def join_payload(code: str) -> str:
    payload = JOIN_PREFIX + code
    assert PAYLOAD.fullmatch(payload) and parse_start(payload) == JoinLink(code)
    return payload


def invite_link(bot_username: str, code: str) -> str:
    """The class's invite link: opening it starts the bot with the join payload."""
    return f"https://t.me/{quote(bot_username)}?start={join_payload(code)}"
