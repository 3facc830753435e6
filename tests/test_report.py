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
    assert "| API gateway & backend | Backend Engineer, DevOps Engineer, Fullstack Engineer |" in text
    assert "* Core skills: 4 of 12" in text
    assert re.search(r"\* Skills I already have: SQL, REST API, Python", text)
    named = text.split("* Skills I clearly lack (my own list): ")[1].split("\n")[0]
    assert named == "Git, OAuth 2.0, GitHub"  # his own words, not "one of GitHub / GitLab / Bitbucket"
    others = text.split("* Other gaps the market points to")[1].split("\n")[0]
    assert "PostgreSQL" in others and len(others.split(", ")) <= 8
    assert "7 postings for Backend Engineer · Python: 7 built-in samples" in text
    assert "hh.kz/vacancy/python-developer-kolesa" not in text  # samples are marked, no invented links
    assert "A built-in sample posting" in text
    surprised = text.split("### Skills that surprised me")[1].split("##")[0]
    assert "Apache Cassandra (14%)" in surprised and surprised.count("%") <= 5
    first_term = text.split("### Next 3 months")[1].split("###")[0]
    assert "1. Git" in first_term and "PostgreSQL" in first_term and "OAuth" in first_term
    assert "- [ ] " in text and "- [x] " not in text
    assert "### Skills that raise the offer" in text


async def test_seed_two_student_report_shows_done_items(alice):
    await onboard(alice, typed="Python, OOP, PostgreSQL, SQL, FastAPI, Git")
    [roadmap] = await alice.send("/roadmap")
    await alice.click("1 ✅", roadmap)
    text = await get_report(alice)
    hard = text.split("## 6.")[1].split("## 7.")[0]
    first_term = hard.split("### ")[1]
    assert "Docker" in first_term and "Unit testing" in first_term  # Docker and testing come early
    assert "REST API" not in first_term  # whoever builds with FastAPI has built a REST API
    assert text.count("- [x] ") == 1
    assert "Done 1 of " in text


async def test_report_in_russian(dana):
    await onboard(
        dana, role="Backend-разработчик", city="Алматы", typed="Python, SQL", done="Готово", skip="Пропустить"
    )
    text = await get_report(dana)
    assert text.startswith("# Анализ ролей и навыков")
    assert "## 8. " in text and "Python" in text
    assert "## 7. Soft skills" not in text  # every heading translated
    assert "вакансий по направлению" in text


async def test_report_escapes_what_comes_from_outside_and_links_only_http(alice, database, catalog, parser,
                                                                          tmp_path):  # fmt: skip
    """A posting's title or link from an import is text in the report, never markup or a script."""
    import json

    from testkit.seeding import importer

    rows = [{"id": "9001", "name": "Python Developer <img src=x onerror=alert(1)> [click](javascript:alert(1))",
             "alternate_url": "javascript:alert(1)", "key_skills": [{"name": "Python"}, {"name": "Django"},
             {"name": "PostgreSQL"}], "employer": {"name": "**Bold** | Co"}, "area": {"name": "Алматы"},
             "experience": {"id": "noExperience"}}]  # fmt: skip
    (tmp_path / "evil.json").write_text(json.dumps(rows))
    await importer(database, catalog, parser).import_files([tmp_path / "evil.json"])
    await onboard(alice, typed="Python, SQL, Django")
    text = await get_report(alice)
    assert not re.search(r"(?<!\\)<img", text) and "\\<img src=x onerror=alert(1)\\>" in text
    assert "\\[click\\](javascript:alert(1))" in text and "javascript:alert(1)>" not in text
    assert "\\*\\*Bold\\*\\* \\| Co" in text


async def test_report_as_word_document(alice):
    await onboard(alice, typed="Python, SQL")
    await alice.send("/report")
    replies = await alice.click("Word (.docx)")
    [doc] = [r for r in replies if r.document]
    assert doc.document.endswith(".docx") and doc.content.startswith(b"PK")  # a zip, as every .docx is
    import io
    import zipfile

    body = zipfile.ZipFile(io.BytesIO(doc.content)).read("word/document.xml").decode()
    assert "Roles and Skills Analysis" in body and "Hard skills roadmap" in body


async def test_report_before_onboarding_points_to_start(alice):
    [reply] = await alice.send("/report")
    assert reply.document is None
    assert "/start" in reply.visible
