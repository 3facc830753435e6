"""A synthetic but realistic hh.kz market for the coach's tests: postings of Backend, Frontend and DevOps with
the shares a reader of hh.kz in 2025 sees (orders of magnitude, not measurements), split by stack the way the
import splits them (`coach.ranking.posting_stack` on title and skills), with levels, cities, remote work,
salaries (some in USD) and publication dates. Deterministic: the same seed gives the same postings.

Nothing here is tuned to make a test pass: the shares were written down before the coach was run on them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from coach.catalog import Catalog
from coach.market import MarketSnapshot, PostingView, snapshot_from_postings
from coach.ranking import posting_stack

# role -> [(title, postings, {skill id: share of those postings})]
SPECS: dict[str, list[tuple[str, int, dict[str, float]]]] = {
    "backend": [
        ("Python Developer", 52, {
            "python": 0.97, "django": 0.45, "fastapi": 0.35, "flask": 0.08, "drf": 0.15, "postgresql": 0.62,
            "sql": 0.38, "docker": 0.55, "git": 0.5, "redis": 0.35, "kafka": 0.2, "rabbitmq": 0.22, "celery": 0.18,
            "linux": 0.3, "rest_api": 0.38, "ci_cd": 0.22, "gitlab_ci": 0.1, "github_actions": 0.06, "pytest": 0.16,
            "unit_testing": 0.14, "kubernetes": 0.2, "microservices": 0.25, "sqlalchemy": 0.18, "asyncio": 0.18,
            "docker_compose": 0.08, "oop": 0.2, "algorithms": 0.1, "english": 0.15, "clickhouse": 0.06,
            "mongodb": 0.1, "nginx": 0.1, "http": 0.06, "pydantic": 0.06, "elasticsearch": 0.05, "jira": 0.08,
            "teamwork": 0.1, "communication": 0.08,
        }),
        ("Java Developer", 28, {
            "java": 0.97, "spring_boot": 0.7, "spring": 0.55, "hibernate": 0.35, "postgresql": 0.5, "sql": 0.35,
            "kafka": 0.35, "docker": 0.45, "kubernetes": 0.3, "junit": 0.2, "git": 0.45, "microservices": 0.4,
            "rest_api": 0.3, "mysql": 0.1, "oracle": 0.15, "redis": 0.15, "linux": 0.2, "ci_cd": 0.15,
            "english": 0.1, "kotlin": 0.1, "gradle": 0.1,
        }),
        ("Golang Developer", 14, {
            "go": 0.97, "postgresql": 0.5, "kafka": 0.35, "docker": 0.55, "kubernetes": 0.4, "grpc": 0.35,
            "redis": 0.35, "microservices": 0.4, "git": 0.4, "linux": 0.3, "concurrency": 0.2, "gin": 0.15,
            "clickhouse": 0.15, "ci_cd": 0.2, "prometheus": 0.15,
        }),
        ("PHP разработчик", 20, {
            "php": 0.97, "laravel": 0.55, "symfony": 0.2, "mysql": 0.55, "postgresql": 0.25, "redis": 0.25,
            "docker": 0.35, "git": 0.5, "javascript": 0.25, "rest_api": 0.3, "linux": 0.2, "jquery": 0.1,
            "sql": 0.3, "oop": 0.25,
        }),
        (".NET Developer", 8, {
            "csharp": 0.95, "aspnet": 0.6, "dotnet": 0.5, "entity_framework": 0.4, "mssql": 0.45,
            "postgresql": 0.25, "docker": 0.25, "git": 0.4, "sql": 0.3, "rest_api": 0.3,
        }),
        ("Node.js Developer", 6, {
            "javascript": 0.7, "typescript": 0.6, "nodejs": 0.95, "express": 0.35, "nestjs": 0.4,
            "postgresql": 0.4, "mongodb": 0.35, "docker": 0.35, "git": 0.4, "redis": 0.25,
        }),
        ("Backend-разработчик", 10, {
            "sql": 0.6, "postgresql": 0.5, "docker": 0.5, "git": 0.5, "linux": 0.4, "rest_api": 0.4, "kafka": 0.2,
            "redis": 0.2, "microservices": 0.2, "ci_cd": 0.2, "algorithms": 0.15, "english": 0.2,
        }),
        ("Backend Engineer (High Load)", 2, {"go": 1.0, "python": 1.0, "clickhouse": 0.5, "mongodb": 0.5}),
    ],
    "frontend": [
        ("React Developer", 36, {
            "react": 0.97, "javascript": 0.8, "typescript": 0.65, "html": 0.5, "css": 0.5, "git": 0.45,
            "redux": 0.35, "nextjs": 0.25, "webpack": 0.2, "vite": 0.1, "jest": 0.15, "sass": 0.15,
            "tailwind": 0.12, "rest_api": 0.25, "figma": 0.1, "responsive_design": 0.1, "english": 0.1,
            "react_router": 0.1, "testing_library": 0.06,
        }),
        ("Vue.js разработчик", 15, {
            "vue": 0.97, "nuxt": 0.3, "pinia": 0.2, "javascript": 0.85, "typescript": 0.5, "html": 0.5,
            "css": 0.5, "git": 0.45, "sass": 0.2, "webpack": 0.15, "rest_api": 0.2,
        }),
        ("Angular Developer", 9, {
            "angular": 0.97, "rxjs": 0.5, "typescript": 0.9, "javascript": 0.6, "html": 0.4, "css": 0.4,
            "git": 0.4, "sass": 0.2,
        }),
        ("Frontend-разработчик", 6, {
            "javascript": 0.9, "html": 0.7, "css": 0.7, "git": 0.5, "typescript": 0.4, "figma": 0.2,
            "responsive_design": 0.3,
        }),
    ],
    "devops": [
        ("DevOps Engineer", 40, {
            "linux": 0.8, "docker": 0.7, "kubernetes": 0.65, "ci_cd": 0.55, "gitlab_ci": 0.35, "jenkins": 0.2,
            "github_actions": 0.1, "terraform": 0.35, "ansible": 0.45, "bash": 0.4, "python": 0.3,
            "prometheus": 0.4, "grafana": 0.45, "aws": 0.25, "gcp": 0.08, "azure": 0.1, "yandex_cloud": 0.1,
            "nginx": 0.3, "helm": 0.25, "git": 0.4, "networking": 0.2, "elk": 0.2, "postgresql": 0.2,
            "argocd": 0.1, "vault": 0.08, "english": 0.15, "go": 0.1,
        }),
    ],
}  # fmt: skip

CITIES = (("Алматы", 0.55), ("Астана", 0.3), ("Шымкент", 0.05), ("Караганда", 0.05), (None, 0.05))
LEVELS = (("intern", 0.05), ("junior", 0.3), ("middle", 0.45), ("senior", 0.2))
PAY = {"intern": (150_000, 300_000), "junior": (300_000, 700_000), "middle": (700_000, 1_500_000),
       "senior": (1_300_000, 2_500_000)}  # fmt: skip
FIRST_DAY = date(2025, 9, 1)


def _pick(rng: random.Random, options) -> object:
    roll, acc = rng.random(), 0.0
    for value, weight in options:
        acc += weight
        if roll < acc:
            return value
    return options[-1][0]


def postings(catalog: Catalog, role_id: str, seed: int = 7) -> list[PostingView]:
    """The role's postings, every stack, each filed to its stack by `posting_stack` like an import does."""
    rng = random.Random(f"{role_id}:{seed}")
    views: list[PostingView] = []
    for title, count, shares in SPECS[role_id]:
        unknown = set(shares) - catalog.skills.keys()
        assert not unknown, f"synthetic market names unknown skills: {unknown}"
        for _ in range(count):
            skills = frozenset(sid for sid, share in shares.items() if rng.random() < share) or frozenset(shares)
            level = _pick(rng, LEVELS)
            salary = rng.random() < 0.45
            low, high = PAY[level]
            pay_from = rng.randrange(low, high, 50_000) if salary else None
            usd = salary and rng.random() < 0.1
            views.append(
                PostingView(
                    id=len(views) + 1,
                    title=f"{level.title()} {title}" if rng.random() < 0.5 else title,
                    company=f"Company {len(views) + 1}",
                    skills=skills,
                    level=level,
                    city=_pick(rng, CITIES),
                    url=f"https://hh.kz/vacancy/{900000 + len(views)}",
                    salary_from=(pay_from // 500 if usd else pay_from) if salary else None,
                    salary_to=((pay_from + 200_000) // 500 if usd else pay_from + 200_000) if salary else None,
                    currency=("USD" if usd else "KZT") if salary else None,
                    source="hh",
                    stack=posting_stack(catalog, role_id, skills, title),
                    published_at=FIRST_DAY + timedelta(days=rng.randrange(90)),
                    remote=rng.random() < 0.1,
                )
            )
    return views


def market(catalog: Catalog, role_id: str, stack: str | None, seed: int = 7) -> MarketSnapshot:
    return snapshot_from_postings(catalog, role_id, stack, postings(catalog, role_id, seed))
