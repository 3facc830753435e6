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
    """A text the user sees, in every language the bot speaks (Kazakh falls back to Russian, which every
    Kazakh-speaking student reads, until it is written)."""

    en: NonEmpty
    ru: NonEmpty
    kk: NonEmpty | None = None

    def get(self, lang: str) -> str:
        if lang == "kk":
            return self.kk or self.ru
        return self.ru if lang == "ru" else self.en


class Action(Text):
    """One concrete action item. `alt` is a neutral wording for students who neither have nor learn earlier a
    tool the main wording names ("Deploy it with PostgreSQL and Docker" → "Deploy it to a free hosting"); the
    roadmap picks it, and a catalog test requires it wherever the main wording names such a tool."""

    alt: Text | None = None
    # The tools the main wording assumes, when the automatic reading of its English text gets it wrong
    # (`assumes = []`: it assumes nothing). Left out: read from the text (Catalog.mentions).
    assumes: tuple[SlugId, ...] | None = None


class Skill(Frozen):
    id: SlugId
    name: NonEmpty
    name_ru: NonEmpty | None = None
    name_kk: NonEmpty | None = None
    category: Category
    aliases: tuple[NonEmpty, ...] = ()
    # Kazakh ways to write it ("Деректер қоры", "Дерекқор"): their words are also read with Kazakh endings
    # ("деректер қорын", "дерекқорлар"; coach/skills.py), which the other aliases are not.
    aliases_kk: tuple[NonEmpty, ...] = ()
    # Hard prerequisites only: Y is required for X when a learner cannot do X's first action item without Y
    # (DRF needs Django; Docker does not need Linux). The roadmap puts a missing one right before X.
    requires: tuple[SlugId, ...] = ()
    # What anyone who has this skill knows too, without it being needed first: a web framework's user has
    # built a REST API over HTTP. Counts as had; never planned before the skill.
    implies: tuple[SlugId, ...] = ()
    actions: tuple[Action, ...] = Field(default=(), max_length=4)

    def display(self, lang: str) -> str:
        return _localized(self.name, self.name_ru, self.name_kk, lang)


class SkillFile(Frozen):
    """One file of ``skills/``: every skill in it shares the file's category."""

    category: Category
    skill: tuple[dict, ...]

    def skills(self) -> list[Skill]:
        return [Skill(category=self.category, **raw) for raw in self.skill]


def _localized(en: str, ru: str | None, kk: str | None, lang: str) -> str:
    if lang == "kk":
        return kk or ru or en
    if lang == "ru":
        return ru or en
    return en


class Group(Frozen):
    """Alternatives: skills any one of which does the job ("FastAPI/Django", "AWS/GCP/Azure"). A posting that
    asks for one of them asks for the group; a student who has one has the group. Roles name groups in their
    core and nice lists like skills; a skill belongs to at most one group."""

    id: SlugId
    name: Text  # what the members have in common: "a Python web framework"
    skills: tuple[SlugId, ...] = Field(min_length=2)


class Stack(Frozen):
    """A main technology that splits a role's postings (Backend: Python, Java, Go, ...). A student's or a
    posting's stack is read from `markers` (and posting titles); the stack adds its own core and nice skills
    to the role's language-neutral ones, and its market is the role's postings of this stack plus the
    stack-neutral ones."""

    id: SlugId
    name: NonEmpty  # "Python", ".NET", "React" — the same in every language
    markers: tuple[SlugId, ...] = Field(min_length=1)  # skills that put a student or a posting here
    core: tuple[SlugId, ...] = ()  # skill or group ids
    nice: tuple[SlugId, ...] = ()


class Role(Frozen):
    id: SlugId
    name: NonEmpty
    name_ru: NonEmpty
    name_kk: NonEmpty | None = None
    summary: Text
    core: tuple[SlugId, ...] = Field(min_length=4)  # skill or group ids, whatever the stack
    nice: tuple[SlugId, ...] = ()
    stacks: tuple[Stack, ...] = ()

    def display(self, lang: str) -> str:
        return _localized(self.name, self.name_ru, self.name_kk, lang)

    def stack(self, stack_id: str | None) -> Stack | None:
        return next((s for s in self.stacks if s.id == stack_id), None)

    def profile(self, stack_id: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(core, nice) for a student of `stack_id` (None or unknown: the role's own lists only)."""
        stack = self.stack(stack_id)
        if stack is None:
            return self.core, self.nice
        core = tuple(dict.fromkeys((*self.core, *stack.core)))
        nice = tuple(ref for ref in dict.fromkeys((*self.nice, *stack.nice)) if ref not in core)
        return core, nice

    @model_validator(mode="after")
    def _consistent(self) -> Role:
        both = set(self.core) & set(self.nice)
        if both:
            raise ValueError(f"role {self.id}: skills both core and nice-to-have: {sorted(both)}")
        ids = [s.id for s in self.stacks]
        if len(ids) != len(set(ids)):
            raise ValueError(f"role {self.id}: a stack id is used twice: {ids}")
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


class GroupFile(Frozen):
    group: tuple[Group, ...] = ()


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
    """Salary knowledge from one published source, for when postings carry too few salaries to say anything.
    It describes one role (and stack, when set) and is used for that scope only, always labelled with
    `source` (in the student's language); every other role gets "not enough data yet" rather than someone else's
    figures."""

    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    source: Text
    role: SlugId
    stack: SlugId | None = None
    levels: dict[Level, Range]
    cities: dict[NonEmpty, dict[Level, Range]]
    lifts: tuple[SkillLift, ...] = ()


class RoleRules(Frozen):
    """How postings name one role (classify.toml). Phrases are written as titles write them and compared word
    by word, Russian words by their stems; level words are ignored inside them ("Web middle разработчик")."""

    id: SlugId
    titles: tuple[NonEmpty, ...] = ()  # phrases that name the role by themselves: "тестировщик", "data engineer"
    techs: tuple[NonEmpty, ...] = ()  # words for a technology that means the role in a title: "1с", "javascript"
    markers: tuple[SlugId, ...] = ()  # skills that file a developer posting here (besides its stacks' markers)
    stacks: dict[SlugId, tuple[NonEmpty, ...]] = {}  # title words per stack, besides its markers' names
    hh_roles: tuple[int, ...] = ()  # hh professional role ids that mean this role


class FamilyRules(Frozen):
    """A kind of job whose title word does not say the role ("Разработчик", "Аналитик", "Дизайнер", "Руководитель
    проектов"): the role comes from the rest of the title, hh's professional role and the posting's skills."""

    id: SlugId
    heads: tuple[NonEmpty, ...] = Field(min_length=1)  # title words for the kind of job
    roles: tuple[SlugId, ...] = Field(min_length=1)  # the roles it can be
    hh_roles: tuple[int, ...] = ()
    skill_roles: dict[SlugId, SlugId] = {}  # skill asked for or named in the title -> role
    techs: dict[NonEmpty, SlugId] = {}  # a technology word in the title -> role ("1с" for an analyst)
    min_skills: int = Field(default=1, ge=1)  # how many of the skill_roles skills tell the role
    it_skills_role: SlugId | None = None  # role when the posting asks for any IT skill (not soft, not office)
    evidence: tuple[NonEmpty, ...] = ()  # title or text words that make the job an IT one ("it", "веб")
    evidence_role: SlugId | None = None  # ... and the role it is then
    default: SlugId | None = None  # role when the title has the head word and nothing else tells


class SkipScope(StrEnum):
    # The job itself ("Менеджер по продажам", "Технический директор"): outside brackets, and in brackets when
    # the title outside them names no job.
    JOB = "job"
    # What the job works on ("бурового инструмента", "станков с ЧПУ"): anywhere but the employer's description.
    OBJECT = "object"
    # The employer's field ("строительство"): only when the title names no IT job at all
    # ("1С-программист в строительную компанию" stays a 1C job).
    FIELD = "field"


class SkipRules(Frozen):
    reason: NonEmpty  # reported at import: "a management position", "sales", ...
    words: tuple[NonEmpty, ...] = Field(min_length=1)
    scope: SkipScope = SkipScope.JOB


class LevelRules(Frozen):
    words: dict[Level, tuple[NonEmpty, ...]] = {}
    experience: dict[NonEmpty, Level] = {}  # hh experience id -> level


class ClassifyRules(Frozen):
    """classify.toml: how an imported posting is filed under a role, a stack and a level (coach/classify.py)."""

    pending_roles: tuple[SlugId, ...] = ()  # roles another change adds to the catalog; nothing is filed there yet
    it_skill_categories: tuple[Category, ...] = ()  # skills that make a manager's posting an IT one ...
    office_skills: tuple[SlugId, ...] = ()  # ... except these, which any manager has
    context: tuple[NonEmpty, ...] = ()  # words after which a title describes the team or employer, not the job
    hh_skip: tuple[int, ...] = ()  # hh professional roles that are no job the coach prepares for
    levels: LevelRules = LevelRules()
    skip: tuple[SkipRules, ...] = ()
    role: tuple[RoleRules, ...] = ()
    family: tuple[FamilyRules, ...] = ()


class City(Frozen):
    id: SlugId
    name: NonEmpty
    name_ru: NonEmpty
    name_kk: NonEmpty | None = None
    aliases: tuple[NonEmpty, ...] = ()

    def display(self, lang: str) -> str:
        return _localized(self.name, self.name_ru, self.name_kk, lang)


class CityFile(Frozen):
    city: tuple[City, ...] = Field(min_length=1)
