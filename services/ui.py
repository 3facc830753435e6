"""Buttons without Telegram: what a use case offers the student to press, rendered by the handlers.

A use case that composes a message for later delivery (a reminder) says which buttons it carries in these
terms; `handlers` turn them into Telegram's inline keyboards and `bot.sender` delivers them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    text: str
    data: str  # callback data, packed (1–64 bytes)


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class OutgoingMessage:
    """An unsolicited message: HTML text and its buttons."""

    text: str
    keyboard: Keyboard = ()
