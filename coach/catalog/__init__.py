"""The coach's catalog: role profiles, skills, sample postings and salary facts, loaded from data files.

``load_catalog()`` reads and validates everything once; the result is immutable and shared by every handler.
Every cross-reference is checked here (unknown skill ids, aliases that name two skills, prerequisite cycles,
core skills without action items), so a broken data file fails at start-up with a readable message.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from coach.catalog.models import (
    Action,
    Category,
    City,
    CityFile,
    ClassifyRules,
    FamilyRules,
    Group,
    GroupFile,
    Level,
    Module,
    PostingFile,
    Role,
    RoleFile,
    RoleRules,
    SalaryFacts,
    SamplePosting,
    Skill,
    SkillFile,
    Stack,
    Text,
)
from coach.text import normalize, words

CATALOG_DIR = Path(__file__).resolve().parent
_M = TypeVar("_M", bound=BaseModel)

__all__ = [
    "CATALOG_DIR",
    "Action",
    "Catalog",
    "CatalogError",
    "Category",
    "City",
    "ClassifyRules",
    "FamilyRules",
    "Group",
    "Level",
    "Module",
    "Role",
    "RoleRules",
    "SalaryFacts",
    "SamplePosting",
    "Skill",
    "Stack",
    "Text",
    "load_catalog",
    "untranslated",
]

# Categories whose skills are ideas, not tools: an action item may name them without assuming the student
# has them ("write a README", "use Git"), so they never call for an item's neutral wording.
_CONCEPT_CATEGORIES = frozenset({Category.FUNDAMENTALS, Category.PRACTICE, Category.SOFT})


class CatalogError(ValueError):
    """A data file is malformed or refers to something that does not exist."""


@dataclass(frozen=True)
class Catalog:
    skills: Mapping[str, Skill]
    roles: Mapping[str, Role]
    modules: Mapping[str, Module]
    cross_cutting: tuple[str, ...]
    sample_postings: tuple[SamplePosting, ...]
    salary: SalaryFacts
    cities: tuple[City, ...]
    # normalised alias (names and ids included) -> skill id
    aliases: Mapping[str, str] = field(repr=False)
    groups: Mapping[str, Group] = field(default_factory=dict)
    group_of: Mapping[str, str] = field(default_factory=dict, repr=False)  # skill id -> its group's id
    classify: ClassifyRules = field(default_factory=ClassifyRules, repr=False)  # how postings are filed

    def skill(self, skill_id: str) -> Skill:
        return self.skills[skill_id]

    def role(self, role_id: str) -> Role:
        return self.roles[role_id]

    def modules_of(self, role_id: str) -> list[Module]:
        return [m for m in self.modules.values() if role_id in m.roles]

    def lookup(self, text: str) -> Skill | None:
        """The skill a whole string names exactly (after normalisation), or None."""
        skill_id = self.aliases.get(normalize(text))
        return self.skills[skill_id] if skill_id else None

    def city(self, text: str | None) -> City | None:
        """The catalog city a posting or a student names ("Алматы", "almaty", "Astana"), or None."""
        key = normalize(text or "")
        for city in self.cities:
            if key in {normalize(n) for n in (city.id, city.name, city.name_ru, city.name_kk or "", *city.aliases)}:
                return city
        return None

    # -- alternatives: a "ref" is a skill id or a group id ---------------------------------------------------

    def is_group(self, ref: str) -> bool:
        return ref in self.groups

    def members(self, ref: str) -> tuple[str, ...]:
        """The skills a ref stands for: a group's members, or the skill itself."""
        group = self.groups.get(ref)
        return group.skills if group else (ref,)

    def ref_of(self, skill_id: str) -> str:
        """What a skill counts as in demand and gaps: its group if it has one, else itself."""
        return self.group_of.get(skill_id, skill_id)

    def ref_name(self, ref: str, lang: str) -> str:
        """ "Docker", or for a group its members: "Django / FastAPI / Flask"."""
        return " / ".join(self.skills[sid].display(lang) for sid in self.members(ref))

    def covered(self, ref: str, have: Collection[str]) -> bool:
        return any(sid in have for sid in self.members(ref))

    def prerequisites(self, skill_ids: Iterable[str]) -> set[str]:
        """The given skills and everything they require, transitively (hard prerequisites only)."""
        return self._closure(sid for sid in skill_ids if sid in self.skills)

    def implied(self, have: Iterable[str]) -> set[str]:
        """What a student knows, prerequisites and what comes with a skill included: whoever uses FastAPI knows
        Python (a prerequisite) and has built a REST API over HTTP (what the framework is for)."""
        seen: set[str] = set()
        stack = [sid for sid in have if sid in self.skills]
        while stack:
            sid = stack.pop()
            if sid not in seen:
                seen.add(sid)
                stack.extend(self.skills[sid].requires)
                stack.extend(self.skills[sid].implies)
        return seen

    @cached_property
    def _mention_index(self) -> tuple[dict[str, str], frozenset[str], int]:
        tools = [s for s in self.skills.values() if s.category not in _CONCEPT_CATEGORIES]
        index = {key: sid for key, sid in self.aliases.items() if self.skills[sid].category not in _CONCEPT_CATEGORIES}
        # One word names a tool only as the catalog writes it ("Docker", "pytest"): in lower case, "monitoring",
        # "sketch" or "database" are ordinary words of an English sentence.
        exact = frozenset(
            edge_stripped for skill in tools for name in (skill.name, *skill.aliases)
            if len(edge_stripped := name.strip()) and " " not in edge_stripped
        )  # fmt: skip
        return index, exact, max((len(key.split()) for key in index), default=1)

    def mentions(self, text: str) -> frozenset[str]:
        """The tool-like skills (frameworks, databases, languages, services) a text names by one of their
        aliases: what an action item assumes the student has or learns first."""
        index, exact, longest = self._mention_index
        raw = text.replace("/", " ").replace(",", " ").split()
        words = [normalize(word) for word in raw]
        found: set[str] = set()
        for size in range(longest, 0, -1):
            for start in range(len(words) - size + 1):
                hit = index.get(" ".join(w for w in words[start : start + size] if w))
                if hit and (size > 1 or raw[start].strip(".;:()!?\"'") in exact):
                    found.add(hit)
        return frozenset(found)

    def action_needs(self, skill_id: str, action_no: int) -> frozenset[str]:
        """Tools an action item's main wording assumes beyond its own skill and that skill's prerequisites:
        the item's `assumes` when the catalog says, else the tools its English wording names."""
        return self._action_needs.get((skill_id, action_no), frozenset())

    @cached_property
    def _action_needs(self) -> dict[tuple[str, int], frozenset[str]]:
        needs: dict[tuple[str, int], frozenset[str]] = {}
        for skill in self.skills.values():
            own = {skill.id, *self._closure(skill.requires), *self.members(self.ref_of(skill.id))}
            for number, action in enumerate(skill.actions):
                named = (frozenset(action.assumes) if action.assumes is not None else self.mentions(action.en)) - own
                if named:
                    needs[(skill.id, number)] = named
        return needs

    @cached_property
    def market_fingerprint(self) -> str:
        """What the stored market aggregates depend on — the groups of alternatives and the roles' stacks: when
        it changes, the aggregates are counted again (storage keeps the fingerprint they were counted with)."""
        import hashlib
        import json

        shape = {
            "version": 1,
            "groups": {g.id: sorted(g.skills) for g in self.groups.values()},
            "stacks": {r.id: {s.id: sorted(s.markers) for s in r.stacks} for r in self.roles.values()},
        }
        return hashlib.sha1(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]

    def soft_skills(self) -> list[Skill]:
        return [s for s in self.skills.values() if s.category is Category.SOFT]

    @cached_property
    def soft_ids(self) -> frozenset[str]:
        return frozenset(s.id for s in self.soft_skills())

    def prerequisites_first(self, skill_ids: Iterable[str]) -> list[str]:
        """All given skills and their transitive prerequisites, each after what it requires."""
        order = TopologicalSorter({sid: self.skills[sid].requires for sid in self._closure(skill_ids)})
        return list(order.static_order())

    def _closure(self, skill_ids: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(skill_ids)
        while stack:
            sid = stack.pop()
            if sid not in seen:
                seen.add(sid)
                stack.extend(self.skills[sid].requires)
        return seen


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path.name}: not valid TOML: {exc}") from exc


def _parse(model: type[_M], path: Path, raw: dict) -> _M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(f"{path.name}: {exc}") from exc


def _load_skills(folder: Path) -> dict[str, Skill]:
    skills: dict[str, Skill] = {}
    for path in sorted(folder.glob("*.toml")):
        file = _parse(SkillFile, path, _read_toml(path))
        try:
            parsed = file.skills()
        except ValidationError as exc:
            raise CatalogError(f"{path.name}: {exc}") from exc
        for skill in parsed:
            if skill.id in skills:
                raise CatalogError(f"{path.name}: skill id {skill.id!r} is defined twice")
            skills[skill.id] = skill
    return skills


def _alias_index(skills: Mapping[str, Skill]) -> dict[str, str]:
    index: dict[str, str] = {}
    for skill in skills.values():
        # Ids are not aliases: some are everyday words ("requirements", "make") that would turn up in any text.
        names = {skill.name, *skill.aliases, *skill.aliases_kk}
        names.update(name for name in (skill.name_ru, skill.name_kk) if name)
        for name in names:
            key = normalize(name)
            if not key:
                raise CatalogError(f"skill {skill.id}: alias {name!r} is empty once normalised")
            owner = index.setdefault(key, skill.id)
            if owner != skill.id:
                raise CatalogError(f"alias {name!r} names two skills: {owner} and {skill.id}")
    return index


def _check_references(catalog: Catalog) -> None:
    known = catalog.skills.keys()

    def need(ids: Iterable[str], where: str) -> None:
        missing = sorted(set(ids) - known)
        if missing:
            raise CatalogError(f"{where}: unknown skill ids {missing}")

    refs = known | catalog.groups.keys()

    def need_refs(ids: Iterable[str], where: str) -> None:
        missing = sorted(set(ids) - refs)
        if missing:
            raise CatalogError(f"{where}: unknown skill or group ids {missing}")

    def with_actions(ids: Iterable[str], where: str) -> None:
        bare = sorted(sid for ref in ids for sid in catalog.members(ref) if not catalog.skills[sid].actions)
        if bare:
            raise CatalogError(f"{where}: core skills without action items: {bare}")

    clash = sorted(catalog.groups.keys() & known)
    if clash:
        raise CatalogError(f"groups.toml: group ids also used by skills: {clash}")
    for group in catalog.groups.values():
        need(group.skills, f"group {group.id}")
    need(catalog.cross_cutting, "roles.toml cross_cutting")
    for skill in catalog.skills.values():
        need(skill.requires, f"skill {skill.id} requires")
        need(skill.implies, f"skill {skill.id} implies")
        if skill.id in skill.requires:
            raise CatalogError(f"skill {skill.id} requires itself")
    for role in catalog.roles.values():
        need_refs(role.core + role.nice, f"role {role.id}")
        with_actions(role.core, f"role {role.id}")
        for stack in role.stacks:
            where = f"role {role.id} stack {stack.id}"
            need(stack.markers, where + " markers")
            need_refs(stack.core + stack.nice, where)
            with_actions(stack.core, where)
    for module in catalog.modules.values():
        unknown = sorted(set(module.roles) - catalog.roles.keys())
        if unknown:
            raise CatalogError(f"module {module.id}: unknown roles {unknown}")
    for posting in catalog.sample_postings:
        if posting.role not in catalog.roles:
            raise CatalogError(f"postings.toml {posting.source_id}: unknown role {posting.role!r}")
    for lift in catalog.salary.lifts:
        need(lift.skills, "salary.toml lifts")
    try:
        TopologicalSorter({s.id: s.requires for s in catalog.skills.values()}).prepare()
    except CycleError as exc:
        raise CatalogError(f"skill prerequisites form a cycle: {exc.args[1]}") from exc


def _check_classify(catalog: Catalog) -> None:
    """classify.toml names catalog roles (or pending ones), their stacks and skills, every catalog role has
    rules, every phrase has words, and an hh professional role means one thing."""
    rules = catalog.classify
    where = "classify.toml"
    known = catalog.roles.keys() | set(rules.pending_roles)

    def need_roles(ids: Iterable[str | None], what: str, allowed: Collection[str] = known) -> None:
        missing = sorted({i for i in ids if i is not None} - set(allowed))
        if missing:
            raise CatalogError(f"{where} {what}: unknown roles {missing}")

    def need_skills(ids: Iterable[str], what: str) -> None:
        missing = sorted(set(ids) - catalog.skills.keys())
        if missing:
            raise CatalogError(f"{where} {what}: unknown skill ids {missing}")

    def need_words(phrases: Iterable[str], what: str) -> None:
        empty = [phrase for phrase in phrases if not words(phrase)]
        if empty:
            raise CatalogError(f"{where} {what}: phrases without a word {empty}")

    ids = [r.id for r in rules.role]
    if len(ids) != len(set(ids)):
        raise CatalogError(f"{where}: a role has two [[role]] tables")
    need_roles(ids, "[[role]]")
    if bare := sorted(catalog.roles.keys() - set(ids)):
        raise CatalogError(f"{where}: no [[role]] rules for catalog roles {bare}")
    need_skills(rules.office_skills, "office_skills")
    need_words(rules.context, "context")
    for level, phrases in rules.levels.words.items():
        need_words(phrases, f"levels.{level}")
    for group in rules.skip:
        need_words(group.words, f"skip {group.reason!r}")
    hh_owner: dict[int, str] = dict.fromkeys(rules.hh_skip, "hh_skip")

    def own(numbers: Iterable[int], owner: str) -> None:
        for number in numbers:
            if hh_owner.setdefault(number, owner) != owner:
                raise CatalogError(f"{where}: hh professional role {number} is in {hh_owner[number]} and {owner}")

    for role in rules.role:
        what = f"role {role.id}"
        need_words((*role.titles, *role.techs, *(w for ws in role.stacks.values() for w in ws)), what)
        need_skills(role.markers, what + " markers")
        if role.id in catalog.roles:
            stacks = {s.id for s in catalog.roles[role.id].stacks}
            if unknown := sorted(role.stacks.keys() - stacks):
                raise CatalogError(f"{where} {what}: unknown stacks {unknown}")
        own(role.hh_roles, what)
    for family in rules.family:
        what = f"family {family.id}"
        need_roles(family.roles, what)
        need_roles((family.default, family.evidence_role, family.it_skills_role, *family.skill_roles.values(),
                    *family.techs.values()), what, family.roles)  # fmt: skip
        need_skills(family.skill_roles, what + " skill_roles")
        need_words((*family.heads, *family.evidence, *family.techs), what)
        own(family.hh_roles, what)


def untranslated(catalog: Catalog) -> list[str]:
    """What a Kazakh-speaking student would read in Russian: every role, module, group and city name, every
    text with a Russian wording (role summaries, action items and their neutral wordings) and every skill name
    that Russian writes differently from English must have its Kazakh. A tool's own name ("Docker") has no
    Russian one and needs none; stack names are the same in every language."""
    missing = [f"role {r.id}: name_kk" for r in catalog.roles.values() if not r.name_kk]
    missing += [f"role {r.id}: summary.kk" for r in catalog.roles.values() if not r.summary.kk]
    missing += [f"module {m.id}: name.kk" for m in catalog.modules.values() if not m.name.kk]
    missing += [f"group {g.id}: name.kk" for g in catalog.groups.values() if not g.name.kk]
    missing += [f"city {c.id}: name_kk" for c in catalog.cities if not c.name_kk]
    for skill in catalog.skills.values():
        if skill.name_ru and not skill.name_kk:
            missing.append(f"skill {skill.id}: name_kk")
        for number, action in enumerate(skill.actions):
            if not action.kk:
                missing.append(f"skill {skill.id}: action {number} kk")
            if action.alt is not None and not action.alt.kk:
                missing.append(f"skill {skill.id}: action {number} alt.kk")
    return missing


def _group_index(groups: Iterable[Group]) -> dict[str, str]:
    owner: dict[str, str] = {}
    for group in groups:
        for sid in group.skills:
            if owner.setdefault(sid, group.id) != group.id:
                raise CatalogError(f"groups.toml: skill {sid!r} is in two groups: {owner[sid]} and {group.id}")
    return owner


def load_catalog(folder: Path = CATALOG_DIR) -> Catalog:
    """Read and validate the catalog in ``folder``; raise :class:`CatalogError` naming what is wrong."""
    roles_path = folder / "roles.toml"
    role_file = _parse(RoleFile, roles_path, _read_toml(roles_path))
    postings_path = folder / "postings.toml"
    postings = _parse(PostingFile, postings_path, _read_toml(postings_path))
    salary_path = folder / "salary.toml"
    salary = _parse(SalaryFacts, salary_path, _read_toml(salary_path))
    skills = _load_skills(folder / "skills")
    cities_path = folder / "cities.toml"
    cities = _parse(CityFile, cities_path, _read_toml(cities_path))
    groups_path = folder / "groups.toml"
    groups = _parse(GroupFile, groups_path, _read_toml(groups_path)) if groups_path.exists() else GroupFile()
    classify_path = folder / "classify.toml"
    classify = (
        _parse(ClassifyRules, classify_path, _read_toml(classify_path)) if classify_path.exists() else ClassifyRules()
    )

    def unique(items: Iterable, what: str) -> dict:
        result: dict = {}
        for item in items:
            if item.id in result:
                raise CatalogError(f"roles.toml: {what} id {item.id!r} is defined twice")
            result[item.id] = item
        return result

    catalog = Catalog(
        skills=MappingProxyType(skills),
        roles=MappingProxyType(unique(role_file.role, "role")),
        modules=MappingProxyType(unique(role_file.module, "module")),
        cross_cutting=role_file.cross_cutting,
        sample_postings=postings.posting,
        salary=salary,
        cities=cities.city,
        aliases=MappingProxyType(_alias_index(skills)),
        groups=MappingProxyType(unique(groups.group, "group")),
        group_of=MappingProxyType(_group_index(groups.group)),
        classify=classify,
    )
    _check_references(catalog)
    _check_classify(catalog)
    return catalog


@cache
def default_catalog() -> Catalog:
    """The packaged catalog, loaded once per process."""
    return load_catalog()
