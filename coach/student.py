"""The student as the coach knows them: who they are, what they want to become, what they have and lack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Student(BaseModel):
    """A user of the bot (a Telegram user id), with the profile fields the conversation fills in."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: int
    language: str
    timezone: str  # an IANA zone
    zone_place: str | None = None  # the place the student named for it (coach.zones), shown with the zone
    role_id: str | None = None
    stack: str | None = None  # the role's stack, when the role has stacks (Python backend, React, ...)
    level: str | None = None
    city: str | None = None
    is_active: bool = True
    created_at: datetime | None = None


@dataclass(frozen=True)
class Profile:
    student: Student
    have: frozenset[str]  # skill ids the student says they have
    want: tuple[str, ...]  # skill ids the student says they lack, in the order they named them

    @property
    def complete(self) -> bool:
        return self.student.role_id is not None

    @property
    def user(self) -> Student:  # the name the views grew up with
        return self.student
