"""The coach's catalog: role profiles, skills, sample postings and salary facts, loaded from data files.

``load_catalog()`` reads and validates everything once; the result is immutable and shared by every handler.
Every cross-reference is checked here (unknown skill ids, aliases that name two skills, prerequisite cycles,
core skills without action items), so a broken data file fails at start-up with a readable message.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from coach.catalog.models import (
    Category,
    City,
    CityFile,
    Level,
    Module,
    PostingFile,
    Role,
    RoleFile,
    SalaryFacts,
    SamplePosting,
    Skill,
    SkillFile,
    Text,
)
from coach.text import normalize

CATALOG_DIR = Path(__file__).resolve().parent
_M = TypeVar("_M", bound=BaseModel)

__all__ = [
    "CATALOG_DIR",
    "Catalog",
    "CatalogError",
    "Category",
    "City",
    "Level",
    "Module",
    "Role",
    "SalaryFacts",
    "SamplePosting",
    "Skill",
    "Text",
    "load_catalog",
]


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
            if key in {normalize(n) for n in (city.id, city.name, city.name_ru, *city.aliases)}:
                return city
        return None

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
        names = {skill.name, *(skill.aliases)}
        if skill.name_ru:
            names.add(skill.name_ru)
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

    need(catalog.cross_cutting, "roles.toml cross_cutting")
    for skill in catalog.skills.values():
        need(skill.requires, f"skill {skill.id} requires")
        if skill.id in skill.requires:
            raise CatalogError(f"skill {skill.id} requires itself")
    for role in catalog.roles.values():
        need(role.core + role.nice, f"role {role.id}")
        bare = [sid for sid in role.core if not catalog.skills[sid].actions]
        if bare:
            raise CatalogError(f"role {role.id}: core skills without action items: {bare}")
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
    )
    _check_references(catalog)
    return catalog


@cache
def default_catalog() -> Catalog:
    """The packaged catalog, loaded once per process."""
    return load_catalog()
