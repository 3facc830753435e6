"""Pydantic models of the catalog's data files.

The files under ``coach/catalog/`` are the coach's knowledge: role profiles, skills with the ways people write
them, concrete action items, sample postings and salary facts. They are validated here at start-up, so a typo
in a data file stops the bot with a message naming the file and the field instead of a wrong answer later.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Ids travel in callback data (64 bytes at most), so they stay short ASCII slugs.
SlugId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,24}$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Level(StrEnum):
    INTERN = "intern"
    JUNIOR = "junior"
    MIDDLE = "middle"
    SENIOR = "senior"


class Category(StrEnum):
    LANGUAGE = "language"
    BACKEND = "backend"
    FRONTEND = "frontend"
    MOBILE = "mobile"
    DATABASE = "database"
    DEVOPS = "devops"
    TESTING = "testing"
    DATA = "data"
    ML = "ml"
    SECURITY = "security"
    FUNDAMENTALS = "fundamentals"
    DESIGN = "design"
    PRACTICE = "practice"
    SOFT = "soft"


class Text(Frozen):
    """A text the user sees, in both languages the bot speaks."""

    en: NonEmpty
    ru: NonEmpty

    def get(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en


class Skill(Frozen):
    id: SlugId
    name: NonEmpty
    name_ru: NonEmpty | None = None
    category: Category
    aliases: tuple[NonEmpty, ...] = ()
    requires: tuple[SlugId, ...] = ()
    actions: tuple[Text, ...] = Field(default=(), max_length=4)

    def display(self, lang: str) -> str:
        return self.name_ru if lang == "ru" and self.name_ru else self.name


class SkillFile(Frozen):
    """One file of ``skills/``: every skill in it shares the file's category."""

    category: Category
    skill: tuple[dict, ...]

    def skills(self) -> list[Skill]:
        return [Skill(category=self.category, **raw) for raw in self.skill]


class Role(Frozen):
    id: SlugId
    name: NonEmpty
    name_ru: NonEmpty
    summary: Text
    titles: tuple[NonEmpty, ...] = Field(min_length=1)  # how posting titles name the role
    core: tuple[SlugId, ...] = Field(min_length=4)
    nice: tuple[SlugId, ...] = ()

    def display(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name

    @model_validator(mode="after")
    def _core_and_nice_are_disjoint(self) -> Role:
        both = set(self.core) & set(self.nice)
        if both:
            raise ValueError(f"role {self.id}: skills both core and nice-to-have: {sorted(both)}")
        return self


class Module(Frozen):
    """A part of the system students design (client, API gateway, ...) and the roles that build it."""

    id: SlugId
    name: Text
    roles: tuple[SlugId, ...] = Field(min_length=1)


class RoleFile(Frozen):
    cross_cutting: tuple[SlugId, ...] = Field(min_length=1)
    role: tuple[Role, ...] = Field(min_length=1)
    module: tuple[Module, ...] = Field(min_length=1)


class SamplePosting(Frozen):
    source_id: SlugId
    title: NonEmpty
    company: NonEmpty
    role: SlugId
    level: Level | None = None
    city: NonEmpty | None = None
    url: NonEmpty | None = None
    skills: tuple[NonEmpty, ...] = Field(min_length=1)  # as the posting writes them; parsed at load
    salary_from: int | None = Field(default=None, ge=0)
    salary_to: int | None = Field(default=None, ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "KZT"


class PostingFile(Frozen):
    posting: tuple[SamplePosting, ...]


class Range(Frozen):
    low: int = Field(ge=0)
    high: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"range {self.low}..{self.high} is reversed")
        return self


class SkillLift(Frozen):
    """A salary lift the market pays for a skill, in percent (low..high)."""

    skills: tuple[SlugId, ...] = Field(min_length=1)
    low: int = Field(ge=0, le=100)
    high: int = Field(ge=0, le=100)


class SalaryFacts(Frozen):
    """Fallback salary knowledge for when postings carry too few salaries to say anything."""

    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    source: NonEmpty
    levels: dict[Level, Range]
    cities: dict[NonEmpty, dict[Level, Range]]
    lifts: tuple[SkillLift, ...] = ()


class City(Frozen):
    id: SlugId
    name: NonEmpty
    name_ru: NonEmpty
    aliases: tuple[NonEmpty, ...] = ()

    def display(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name


class CityFile(Frozen):
    city: tuple[City, ...] = Field(min_length=1)
