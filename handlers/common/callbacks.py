"""Every button's callback data, in one place: short prefixes, ids only (Telegram allows 64 bytes).

Data comes back from the client and may be forged or stale, so every field is typed and bounded: an action is
an Enum, an id a non-negative 32-bit integer, a slug a short ASCII word. Data that does not parse matches no
filter and lands in the fallback, which answers it with a toast.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field, StringConstraints

Id = Annotated[int, Field(ge=0, le=2**31 - 1)]  # a database row id
Page = Annotated[int, Field(ge=0, le=999)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,24}$")]  # a catalog id
ItemIds = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,10}(\.[0-9]{1,10}){0,4}$")]  # "12.13.14"


class StepAction(StrEnum):
    UNSURE = "unsure"  # choose a role by the system's modules
    SHOW_ROLES = "roles"  # the roles of the modules chosen
    BACK = "back"
    SKIP = "skip"
    SKILLS_DONE = "done"
    SKILLS_CLEAR = "clear"


class ItemAction(StrEnum):
    DONE = "d"
    SKIP = "s"
    UNDO = "o"


class MenuTarget(StrEnum):
    ROADMAP = "roadmap"
    GAP = "gap"
    PROGRESS = "progress"
    PROFILE = "profile"


class ProfileField(StrEnum):
    ROLE = "role"
    STACK = "stack"
    LEVEL = "level"
    CITY = "city"
    SKILLS = "skills"


class SettingsAction(StrEnum):
    TIME = "time"
    ZONE = "zone"
    PAUSE = "pause"
    RESUME = "resume"
    BACK = "back"


class MarketAction(StrEnum):
    ADD = "add"


class PostingAction(StrEnum):
    WANT_MISSING = "w"  # add what the posting asks for and the roadmap lacks to the skills I want


class AdminAction(StrEnum):
    REFRESH = "refresh"
    SYNC = "sync"  # start a postings sync
    BROADCAST = "bc"  # write a message to every student
    SEND = "send"  # send the broadcast previewed
    CANCEL = "cancel"


class ReportFormat(StrEnum):
    DOCX = "docx"
    MARKDOWN = "md"


class RoleCb(CallbackData, prefix="r"):
    role: Slug


class ModuleCb(CallbackData, prefix="m"):
    module: Slug  # toggles the module


class LevelCb(CallbackData, prefix="l"):
    level: Slug


class CityCb(CallbackData, prefix="c"):
    city: Slug  # a catalog city id, "other" or "remote"


class StackCb(CallbackData, prefix="sk"):
    stack: Slug  # a stack of the role, or "auto": read it from my skills


class SkillCb(CallbackData, prefix="s"):
    skill: Slug  # toggles the skill


class StepCb(CallbackData, prefix="st"):
    action: StepAction


class ConflictCb(CallbackData, prefix="cf"):
    skill: Slug
    have: bool


class ItemCb(CallbackData, prefix="i"):
    item: Id
    action: ItemAction
    page: Page


class PageCb(CallbackData, prefix="p"):
    page: Page


class MenuCb(CallbackData, prefix="mn"):
    target: MenuTarget


class ProfileCb(CallbackData, prefix="pf"):
    field: ProfileField


class LangCb(CallbackData, prefix="lg"):
    lang: Slug


class DeleteCb(CallbackData, prefix="del"):
    confirm: bool


class RemItemCb(CallbackData, prefix="ri"):
    item: Id
    action: ItemAction
    shown: ItemIds  # the reminder's item ids, so the same items are shown again after a tick


class SnoozeCb(CallbackData, prefix="sz"):
    hours: Annotated[int, Field(ge=1, le=72)]


class SettingsCb(CallbackData, prefix="rs"):
    action: SettingsAction


class RemDayCb(CallbackData, prefix="rd"):
    day: Annotated[int, Field(ge=0, le=6)]


class RemHourCb(CallbackData, prefix="rh"):
    day: Annotated[int, Field(ge=0, le=6)]
    hour: Annotated[int, Field(ge=0, le=23)]


class ZoneCb(CallbackData, prefix="z"):
    index: Annotated[int, Field(ge=0, le=99)]


class MarketCb(CallbackData, prefix="mk"):
    action: MarketAction


class PostingCb(CallbackData, prefix="ps"):
    """A button under a posting the student added (only theirs: the service checks `added_by`)."""

    posting: Id
    action: PostingAction


class ReportCb(CallbackData, prefix="rp"):
    format: ReportFormat


class AdminCb(CallbackData, prefix="adm"):
    action: AdminAction


# -- classes -------------------------------------------------------------------------------------------

TelegramId = Annotated[int, Field(ge=1, le=2**53)]  # a Telegram user id
InviteCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{22}$")]


class ClassesAction(StrEnum):
    LIST = "l"
    CREATE = "c"


class ClassAction(StrEnum):
    """What a teacher does with a class (every press re-checks that they teach it)."""

    OPEN = "o"  # the class's screen
    ROSTER = "r"
    GAPS = "g"
    STUCK = "s"
    EXPORT = "e"
    CSV = "csv"
    ZIP = "zip"
    LINK = "l"  # the invite link and its QR code again
    RENAME = "rn"
    ROTATE = "rt"
    ROTATE_OK = "rty"
    CLOSE = "cl"
    REOPEN = "op"
    DELETE = "d"
    DELETE_OK = "dy"
    DIGEST = "dg"
    DIGEST_OFF = "dg0"
    NUDGE = "n"
    NUDGE_OK = "ny"


class StudentAction(StrEnum):
    SUMMARY = "s"
    MARKDOWN = "md"
    DOCX = "dx"


class JoinAction(StrEnum):
    JOIN = "y"
    DECLINE = "n"


class MembershipAction(StrEnum):
    OPEN = "o"
    LEAVE = "l"
    LEAVE_OK = "ly"


class ClassesCb(CallbackData, prefix="cls"):
    action: ClassesAction


class ClassCb(CallbackData, prefix="cl"):
    id: Id
    action: ClassAction
    page: Page = 0
    new: bool = False  # show the screen in a new message (a button on a digest, which stays as it is)


class ClassStudentCb(CallbackData, prefix="cs"):
    id: Id
    user: TelegramId
    action: StudentAction
    page: Page = 0  # the roster page to go back to


class DigestDayCb(CallbackData, prefix="cdd"):
    id: Id
    day: Annotated[int, Field(ge=0, le=6)]


class DigestHourCb(CallbackData, prefix="cdh"):
    id: Id
    day: Annotated[int, Field(ge=0, le=6)]
    hour: Annotated[int, Field(ge=0, le=23)]


class JoinCb(CallbackData, prefix="jn"):
    code: InviteCode
    action: JoinAction


class MembershipCb(CallbackData, prefix="ms"):
    id: Id
    action: MembershipAction
