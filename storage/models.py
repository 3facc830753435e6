"""The database schema. Migrations in `storage/migrations` create exactly this (a test compares them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints make migrations reversible on SQLite (batch mode recreates tables by these names).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Always aware UTC in Python; SQLite keeps no zone, so values are normalised on the way in and out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Stamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class User(Stamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)  # Telegram user id
    language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str] = mapped_column(String(64))  # an IANA zone
    zone_place: Mapped[str | None] = mapped_column(String(32))  # the place they named for it (coach/zones.py)
    role_id: Mapped[str | None] = mapped_column(String(24))
    stack: Mapped[str | None] = mapped_column(String(24))  # the role's stack (Python backend, React, ...)
    level: Mapped[str | None] = mapped_column(String(16))
    city: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)  # False once the user blocked the bot
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserSkill(Base):
    """A skill the user says they have ("have") or want to learn ("want")."""

    __tablename__ = "user_skills"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    status: Mapped[str] = mapped_column(String(8), default="have")
    # The order the student named them in: what they say they lack first comes first in their roadmap.
    position: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now())


class Posting(Stamped, Base):
    __tablename__ = "postings"
    __table_args__ = (UniqueConstraint("source", "source_id"), Index("ix_postings_role_stack", "role_id", "stack"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # sample | hh | csv | user
    source_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    company: Mapped[str | None] = mapped_column(String(200))
    role_id: Mapped[str | None] = mapped_column(String(24), index=True)
    stack: Mapped[str | None] = mapped_column(String(24))  # None: stack-neutral
    level: Mapped[str | None] = mapped_column(String(16))
    city: Mapped[str | None] = mapped_column(String(100))
    remote: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    url: Mapped[str | None] = mapped_column(String(500))
    salary_from: Mapped[int | None] = mapped_column(Integer)
    salary_to: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))
    salary_gross: Mapped[bool | None] = mapped_column(Boolean)
    added_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )  # a student's own find: looked up on every view of their market, erased with the student


class PostingSkill(Base):
    __tablename__ = "posting_skills"
    __table_args__ = (Index("ix_posting_skills_skill_id", "skill_id"),)

    posting_id: Mapped[int] = mapped_column(Integer, ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[str] = mapped_column(String(24), primary_key=True)


class RoadmapItem(Base):
    """One action item of a user's roadmap: (skill, n-th action of that skill in the catalog).

    Ids are never reused (AUTOINCREMENT on SQLite): a button on an old message names an item by id, and a
    reused id would act on another item."""

    __tablename__ = "roadmap_items"
    __table_args__ = (UniqueConstraint("user_id", "skill_id", "action_no"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[str] = mapped_column(String(24))
    action_no: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(8), default="open")  # open | done | skipped
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class ReminderSettings(Base):
    """When a user wants the weekly reminder (in the user's time zone); `next_run_at` (UTC) is what the
    scheduler looks at."""

    __tablename__ = "reminders"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    weekday: Mapped[int] = mapped_column(SmallInteger, default=0)  # Monday = 0
    hour: Mapped[int] = mapped_column(SmallInteger, default=19)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_nudge_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A sender's lease on the row while it delivers: other senders skip it until the lease runs out, so a
    # crashed sender's rows come back instead of being lost.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))


class FsmRecord(Base):
    """aiogram FSM state and data of one chat/user key, so a restart mid-conversation loses nothing."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON, as Redis would store it
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class RoleSkillCount(Base):
    """How many of a role's postings of one stack ("" for stack-neutral ones) ask for a skill or a group of
    alternatives (a group once per posting) — kept up to date as postings are saved, so a gap report reads
    its market's demand in O(skills), whatever the number of postings."""

    __tablename__ = "role_skill_counts"

    role_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    stack: Mapped[str] = mapped_column(String(24), primary_key=True)
    skill_id: Mapped[str] = mapped_column(String(24), primary_key=True)  # a skill id or a group id
    postings: Mapped[int] = mapped_column(Integer, default=0)


class RolePostingCount(Base):
    """How many postings a role has, per stack ("" stack-neutral) and source (hh, csv, sample)."""

    __tablename__ = "role_posting_counts"

    role_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    stack: Mapped[str] = mapped_column(String(24), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    postings: Mapped[int] = mapped_column(Integer, default=0)


class Meta(Base):
    """Facts about the stored data: which catalog the market aggregates were counted with."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class CityPostingCount(Base):
    """How many stored postings name a city — kept up to date as postings are saved, so the onboarding city
    step lists the most common cities first in O(cities), not by counting every posting."""

    __tablename__ = "city_posting_counts"

    city: Mapped[str] = mapped_column(String(100), primary_key=True)
    postings: Mapped[int] = mapped_column(Integer, default=0)


class LeaseRow(Base):
    """A named lease one process holds for a while ("I send the reminders"): a row, not a database lock or a
    held connection, so the holder keeps nothing open while it works; it renews the lease as it goes, and a
    holder that dies loses it when `expires_at` passes."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ClassRow(Stamped, Base):
    """A teacher's class: students join it through an invite link and share their progress with the teacher.

    Ids are never reused (AUTOINCREMENT on SQLite): the teacher's buttons name a class by id, and a reused id
    would point an old button at someone else's class (the owner is checked on every press all the same).
    The weekly digest is a row state like a reminder's: `digest_next_run_at` (UTC) in the teacher's time zone,
    claimed with a lease while it is delivered."""

    __tablename__ = "classes"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    owner_name: Mapped[str] = mapped_column(String(64))  # the teacher's first name, shown to students
    name: Mapped[str] = mapped_column(String(100))
    invite_code: Mapped[str] = mapped_column(String(32), unique=True)  # rotated: the old link stops working
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    digest_weekday: Mapped[int | None] = mapped_column(SmallInteger)  # None: no weekly digest
    digest_hour: Mapped[int | None] = mapped_column(SmallInteger)
    digest_next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    digest_last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digest_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digest_claim_token: Mapped[str | None] = mapped_column(String(32))
    nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the teacher's last nudge of stuck students


class ClassMember(Base):
    """A student in a class, by their own choice. Only what the teacher sees of them is stored here (the
    name they had in Telegram when they joined); the rest is read live from their profile and roadmap, so
    leaving (or /delete_me: ON DELETE CASCADE) leaves the teacher nothing. A nudge the teacher sends waits
    here (`nudge_due_at`) until the sender claims and delivers it, like a reminder."""

    __tablename__ = "class_members"

    class_id: Mapped[int] = mapped_column(Integer, ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    display_name: Mapped[str] = mapped_column(String(64))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now())
    nudge_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    nudge_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    nudge_claim_token: Mapped[str | None] = mapped_column(String(32))
    nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncRun(Base):
    """One run of the postings sync from hh: when, what it listed, how far it got (`cursor`: the search slices
    still to walk, so a stopped or killed run continues where it was), and what it did (`counts`, JSON per
    role). `status`: running | completed | stopped (hh refused, or was unreachable; the cursor stays)."""

    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trigger: Mapped[str] = mapped_column(String(16))  # cli | schedule | admin
    mode: Mapped[str] = mapped_column(String(16))  # full | incremental
    status: Mapped[str] = mapped_column(String(16), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_from: Mapped[datetime] = mapped_column(UTCDateTime)  # hh's date_from
    window_to: Mapped[datetime] = mapped_column(UTCDateTime)  # hh's date_to: the run's own start
    areas: Mapped[str] = mapped_column(String(200))
    cursor: Mapped[str] = mapped_column(Text, default="[]")  # JSON: the slices still to walk
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: per role and in total
    error: Mapped[str | None] = mapped_column(String(500))


class SyncedVacancy(Base):
    """An hh vacancy the sync stored as a posting: what its search result looked like (`fingerprint`, so an
    unchanged vacancy is not fetched again) and the last run that listed it (a full listing expires those it
    no longer finds: hh closed them)."""

    __tablename__ = "synced_vacancies"

    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the hh vacancy id
    fingerprint: Mapped[str] = mapped_column(String(40))
    role_id: Mapped[str | None] = mapped_column(String(24))
    seen_run: Mapped[int] = mapped_column(Integer, index=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeliveryRun(Base):
    """One run of unsolicited messages — a reminder tick that sent anything, a `remind` command, an operator's
    broadcast — and its outcome, for the operator's console."""

    __tablename__ = "delivery_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # reminders | broadcast
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
