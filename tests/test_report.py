"""/report: the roles and skills analysis as a Markdown document, for both seed students."""

from __future__ import annotations

import re

from tests.test_journey import onboard

SECTIONS_EN = [
    "# Roles and Skills Analysis",
    "## 1. Roles per module",
    "## 2. Cross-cutting skills",
    "## 3. My chosen role",
    "## 4. Job market snapshot",
    "## 5. Salary insights",
    "## 6. Hard skills roadmap (priority order)",
    "## 7. Soft skills",
    "## 8. Action items",
]


async def get_report(client) -> str:
    [reply] = await client.send("/report")
    assert reply.document and reply.document.endswith(".md")
    assert reply.content
    return reply.content.decode("utf-8")


async def test_seed_one_student_report(alice):
    await onboard(alice, typed="Basic Python, SQL, and understanding of REST APIs.", want="OAuth, Git, GitHub")
    text = await get_report(alice)
    positions = [text.index(section) for section in SECTIONS_EN]
    assert positions == sorted(positions), "sections in the seeds' order"
    assert "| **API gateway & backend** | Backend Engineer, DevOps Engineer, Fullstack Engineer |" in text
    assert "* **Core skills:** 3 of 11" in text
    assert re.search(r"\* \*\*Skills I already have:\*\* Python, SQL, REST API", text)
    lack = text.split("* **Skills I clearly lack:** ")[1].split("\n")[0]
    assert "PostgreSQL" in lack and "OAuth" in lack and "GitHub" in lack
    assert "I analysed 7 job postings for this role." in text
    assert "Apache Cassandra" in text.split("### Skills that surprised me")[1].split("##")[0]
    assert "- [ ] " in text and "- [x] " not in text
    assert "**Skills that raise the offer:**" in text


async def test_seed_two_student_report_shows_done_items(alice):
    await onboard(alice, typed="Python, OOP, PostgreSQL, SQL, FastAPI, Git")
    [roadmap] = await alice.send("/roadmap")
    await alice.click("1 ✅", roadmap)
    text = await get_report(alice)
    hard = text.split("## 6.")[1].split("## 7.")[0]
    first_term = hard.split("### ")[1]
    assert "Docker" in first_term and "Unit testing" in first_term  # Docker and testing come early
    assert text.count("- [x] ") == 1
    assert "Done 1 of " in text


async def test_report_in_russian(dana):
    await onboard(
        dana, role="Backend-разработчик", city="Алматы", typed="Python, SQL", done="Готово", skip="Пропустить"
    )
    text = await get_report(dana)
    assert text.startswith("# Анализ ролей и навыков")
    assert "## 8. " in text and "Python" in text


async def test_report_before_onboarding_points_to_start(alice):
    [reply] = await alice.send("/report")
    assert reply.document is None
    assert "/start" in reply.visible
