"""Command line: `python -m bot [run | chat | plan | remind | postings | skills | db] ...` (see --help)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings, TokenProblem
from bot.logs import setup_logging
from handlers.common.i18n import LANGUAGES, language_for

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Career Coach: a Telegram bot that coaches IT students toward their first job.",
        epilog="Settings come from the environment and .env; .env.example documents each of them.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot with long polling (the default when no command is given)")

    skills = commands.add_parser("skills", help="work with the skill catalog")
    skills_cmd = skills.add_subparsers(dest="skills_command", metavar="ACTION", required=True)
    parse = skills_cmd.add_parser(
        "parse", help='show how free text is understood: JSON {"recognized": [...], "unknown": [...]}'
    )
    parse.add_argument("text", nargs="+", help='skills as a student writes them, e.g. "Basic Python, PosgreSQL"')
    parse.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the skill names")

    chat = commands.add_parser(
        "chat", help="talk to the coach in this terminal: no Telegram, no token (a local SQLite file)"
    )
    chat.add_argument("--lang", choices=LANGUAGES, default=None, help="your language (default: from $LANG)")
    chat.add_argument(
        "--database",
        default=None,
        help="database URL for the chat (default: sqlite+aiosqlite:///data/terminal-chat.sqlite3)",
    )

    remind = commands.add_parser("remind", help="deliver reminders now and exit (needs BOT_TOKEN)")
    which = remind.add_mutually_exclusive_group(required=True)
    which.add_argument("--due", action="store_true", help="send the reminders that are due now (as the scheduler does)")
    which.add_argument(
        "--all", action="store_true", help="send a reminder to every active user now; nobody's schedule changes"
    )

    postings = commands.add_parser("postings", help="job postings: import files, show per-role statistics")
    postings_cmd = postings.add_subparsers(dest="postings_command", metavar="ACTION", required=True)
    load = postings_cmd.add_parser(
        "import",
        help="import hh.ru API vacancy JSON (object, array, {items: [...]}, JSON Lines) or CSV files",
        description="CSV columns: id, title, company, city, level, salary_from, salary_to, currency, skills "
        "(separated by ; or ,), url, role. Re-importing a vacancy updates it. Bad rows are reported and skipped.",
    )
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    postings_cmd.add_parser("stats", help="per role: number of postings and the most asked skills with shares")
    sync = postings_cmd.add_parser(
        "sync",
        help="fetch vacancies of every catalog role from the hh API (new and changed ones; a stopped run goes on)",
        description="Searches the hh API (HH_API_URL) in HH_SYNC_AREAS for every catalog role, fetches new and "
        "changed vacancies, and retires closed ones and those older than HH_SYNC_MAX_AGE_DAYS. Needs a contact "
        "e-mail in HH_USER_AGENT (and, as hh now asks, an application token in HH_ACCESS_TOKEN). Exit code: 0 "
        "done, 1 done with failures or stopped (hh unreachable, another sync running), 2 settings, 3 hh refused.",
    )
    sync.add_argument(
        "--full", action="store_true", help="list everything again (retires what hh closed), not only what is new"
    )

    export = postings_cmd.add_parser(
        "export",
        help="print every stored posting (id, title, role, stack, level, city, salary, skills, ...)",
        description="Writes to standard output: JSON Lines (one object per posting) or CSV with a header row.",
    )
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="default: jsonl")

    plan = commands.add_parser(
        "plan",
        help="the gap report and roadmap for a profile, from the stored market (nothing is saved)",
        description="Coaching from the command line, from the same services as the bot. With --json: an "
        "object with role, stack, have, unknown, gap (ordered; alternatives as one entry), roadmap (ordered; "
        "the first term with its action items), postings_used and salary.",
    )
    plan.add_argument("--role", required=True, help="a role id, e.g. backend, frontend, devops, qa")
    plan.add_argument("--level", choices=["intern", "junior", "middle", "senior"], default="junior")
    plan.add_argument("--city", default="Almaty", help="a city name, 'remote' or 'other' (default: Almaty)")
    plan.add_argument("--skills", required=True, help='what you know, as free text: "Python, SQL, a bit of REST"')
    plan.add_argument("--lacks", default="", help='what you know you lack, as free text: "Docker, Git"')
    plan.add_argument("--stack", default=None, help="a stack of the role (python, java, react, ...)")
    plan.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the names and items")
    plan.add_argument("--json", action="store_true", help="print JSON instead of text")

    db = commands.add_parser("db", help="database schema migrations (DATABASE_URL)")
    db_cmd = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = db_cmd.add_parser("upgrade", help="migrate to the newest schema (the bot also does this on start)")
    up.add_argument("revision", nargs="?", default="head", help="target revision (default: head)")
    down = db_cmd.add_parser("downgrade", help="migrate back to a revision ('base' removes every table)")
    down.add_argument("revision", help="target revision, e.g. -1 or base")
    db_cmd.add_parser("current", help="print the schema revision the database is at")
    return parser


def _load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors())
        print(f"Invalid settings ({problems}). See .env.example.", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _skills_parse(args: argparse.Namespace) -> int:
    from coach.catalog import default_catalog
    from coach.skills import SkillParser

    catalog = default_catalog()
    result = SkillParser(catalog).parse(" ".join(args.text))
    print(
        json.dumps(
            {"recognized": result.names(catalog, args.lang), "unknown": list(result.unknown)},
            ensure_ascii=False,
        )
    )
    return 0


async def _db(args: argparse.Namespace, settings: Settings) -> int:
    from storage import migrate
    from storage.db import create_engine

    engine = create_engine(settings.database_url)
    try:
        if args.db_command == "upgrade":
            await migrate.upgrade(engine, args.revision)
        elif args.db_command == "downgrade":
            await migrate.downgrade(engine, args.revision)
        print(await migrate.current_revision(engine) or "base")
    finally:
        await engine.dispose()
    return 0


def _progress_line(file: str, done: int, total: int) -> None:
    """On a terminal, one line that updates itself: "postings.json: 1,200 of 40,000"."""
    print(f"\r{file}: {done:,} of {total:,}", end="" if done < total else "\n", file=sys.stderr, flush=True)


EXIT_REFUSED = 3  # hh refused the client (captcha, 403, User-Agent)


def _sync_progress(progress) -> None:
    """On a terminal, one line that updates itself while the sync runs."""
    total = progress.summary.totals()
    line = (
        f"hh sync: {progress.slices_done} searches done, {progress.slices_left} to go · listed "
        f"{progress.summary.listed:,} · fetched {total.fetched:,} · added {total.added:,} · failed {total.failed:,}"
    )
    print(f"\r{line}", end="" if progress.slices_left else "\n", file=sys.stderr, flush=True)


def _sync_report(catalog, summary) -> str:
    total = summary.totals()
    lines = [
        f"hh sync {summary.status} ({summary.mode}, run {summary.run_id}{', resumed' if summary.resumed else ''}): "
        f"listed {summary.listed}, fetched {total.fetched}, added {total.added}, updated {total.updated}, "
        f"expired {total.expired}, failed {total.failed}; unchanged {summary.unchanged}, no role we coach for "
        f"{summary.skipped}, closed before fetched {summary.gone}"
        + (f", searches hh would not list whole {summary.truncated}" if summary.truncated else "")
    ]
    for role_id, counts in sorted(summary.roles.items()):
        name = catalog.role(role_id).name if role_id in catalog.roles else "(unreadable)"
        lines.append(
            f"  {name}: fetched {counts.fetched}, added {counts.added}, updated {counts.updated}, "
            f"expired {counts.expired}, failed {counts.failed}"
        )
    return "\n".join(lines)


async def _sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bootstrap import open_storage
    from bot.factory import create_services
    from coach.skills import SkillParser
    from services.sync import SyncNotReady, SyncProblem, SyncRefused

    async with open_storage(settings.database_url) as (catalog, db):
        services = create_services(settings, db, catalog, SkillParser(catalog))
        try:
            progress = _sync_progress if sys.stderr.isatty() else None
            summary = await services.sync.run("cli", full=args.full, progress=progress)
        except SyncProblem as problem:
            if sys.stderr.isatty():
                print(file=sys.stderr)  # end the progress line
            print(problem.line, file=sys.stderr)
            if isinstance(problem, SyncNotReady):
                return EXIT_USAGE
            return EXIT_REFUSED if isinstance(problem, SyncRefused) else 1  # busy, or hh unreachable
        finally:
            await services.postings.close()
        print(_sync_report(catalog, summary))
        return 1 if summary.totals().failed else 0


async def _postings(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bootstrap import open_storage
    from bot.factory import create_services
    from coach.skills import SkillParser

    if args.postings_command == "sync":
        return await _sync(args, settings)
    async with open_storage(settings.database_url) as (catalog, db):
        postings = create_services(settings, db, catalog, SkillParser(catalog)).postings
        if args.postings_command == "import":
            progress = _progress_line if sys.stderr.isatty() else None
            result = await postings.import_files(args.files, progress)
            for file, problem in result.problems:
                where = f"{file}:{problem.line}" if problem.line else file
                print(f"{where}: {'failed' if problem.failed else 'skipped'}: {problem.reason}", file=sys.stderr)
            print(f"added {result.added}, updated {result.updated}, skipped {result.skipped}, failed {result.failed}")
            return 1 if result.failed else 0
        if args.postings_command == "export":
            await postings.export(sys.stdout, args.format)
            return 0
        for role_id, count, skills in await postings.role_stats():
            top = ", ".join(f"{catalog.ref_name(s, 'en')} {100 * n / count:.0f}%" for s, n in skills)
            print(f"{catalog.role(role_id).name}: {count} postings — {top}")
        return 0


PLAN_TEXT_LIMIT = 2_000  # characters of --skills or --lacks: a skills list, not a CV


def _plan_arguments(args: argparse.Namespace) -> str | None:
    """One line saying what is wrong with the arguments of `plan`, or None."""
    from coach.catalog import default_catalog

    catalog = default_catalog()
    if args.role not in catalog.roles:
        return f"unknown role {args.role[:40]!r}; roles: {', '.join(sorted(catalog.roles))}"
    role = catalog.role(args.role)
    if args.stack is not None and role.stack(args.stack) is None:
        stacks = ", ".join(s.id for s in role.stacks) or "none"
        return f"role {args.role} has no stack {args.stack[:40]!r}; its stacks: {stacks}"
    if not args.skills.strip():
        return '--skills is empty: say what you know, e.g. --skills "Python, SQL, Git"'
    for name in ("skills", "lacks"):
        if len(getattr(args, name)) > PLAN_TEXT_LIMIT:
            return f"--{name} is longer than {PLAN_TEXT_LIMIT} characters: give a list of skills, not a document"
    return None


async def _plan(args: argparse.Namespace, settings: Settings) -> int:
    from aiogram.utils.i18n import I18n

    from bot.bootstrap import open_storage
    from bot.factory import create_services
    from bot.i18n import create_i18n
    from coach.skills import SkillParser
    from services.plans import plan_summary

    async with open_storage(settings.database_url) as (catalog, db):
        parser = SkillParser(catalog)
        have = parser.parse(args.skills)
        lacks = parser.parse(args.lacks)
        if not have.recognized:
            print(f"no skill recognised in --skills ({', '.join(have.unknown[:5]) or 'nothing'})", file=sys.stderr)
            return EXIT_USAGE
        coach = create_services(settings, db, catalog, parser).coach
        city = catalog.city(args.city)
        roadmap = await coach.preview(
            role_id=args.role, level=args.level, city=city.name if city else args.city, have=have.recognized,
            want=lacks.recognized, stack=args.stack, language=args.lang,
        )  # fmt: skip
        if args.json:
            summary = plan_summary(catalog, roadmap, args.lang, (*have.unknown, *lacks.unknown))
            print(json.dumps(summary, ensure_ascii=False, indent=2))
            return 0
        i18n: I18n = create_i18n()
        with i18n.context(), i18n.use_locale(args.lang):
            print(_plan_text(catalog, roadmap, args.lang))
    return 0


def _plan_text(catalog, roadmap, lang: str) -> str:
    """The gap report as the bot writes it, and the whole roadmap, as plain text."""
    from handlers.coaching.texts import gap_report
    from handlers.report.document import plain
    from services.plans import plan_summary

    lines = [plain(gap_report(catalog, roadmap, lang)), ""]
    for number, entry in enumerate(plan_summary(catalog, roadmap, lang)["roadmap"], 1):
        lines.append(f"{number}. {entry['name']} [{entry['term']}]")
        lines += [f"   - {item}" for item in entry["items"]]
    return "\n".join(lines)


def _token(settings: Settings) -> str | None:
    try:
        token = settings.token()
    except TokenProblem as problem:
        print(problem, file=sys.stderr)
        return None
    return token


def _run(settings: Settings) -> int:
    if (token := _token(settings)) is None:
        if sys.stdin.isatty() and sys.stdout.isatty() and _ask("Try the coach in this terminal instead? [Y/n] "):
            return _chat(argparse.Namespace(lang=None, database=None), settings)
        return EXIT_USAGE
    from bot.runners import run_polling, run_webhook

    with _telegram_problems(settings) as failed:
        asyncio.run(run_webhook(settings, token) if settings.webhook_url else run_polling(settings, token))
    return failed.code


class _Outcome:
    code = 0


@contextlib.contextmanager
def _telegram_problems(settings: Settings) -> Iterator[_Outcome]:
    """Telegram refusing the token or out of reach: one line that says what to do, and a non-zero exit (the
    traceback at DEBUG only), never a traceback on the screen of whoever starts the bot."""
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    outcome = _Outcome()
    where = str(settings.telegram_api_url or "https://api.telegram.org")
    try:
        yield outcome
    except TelegramUnauthorizedError:
        logging.getLogger("bot").debug("token refused", exc_info=True)
        print("Telegram refused BOT_TOKEN (401 Unauthorized): copy the token again from @BotFather.", file=sys.stderr)
        outcome.code = EXIT_USAGE
    except TelegramNetworkError as exc:
        logging.getLogger("bot").debug("Telegram unreachable", exc_info=True)
        print(_redacted(settings, f"Cannot reach the Telegram Bot API at {where} ({exc.message}); check the network "
                                  "or TELEGRAM_API_URL, then start the bot again."), file=sys.stderr)  # fmt: skip
        outcome.code = 1


def _ask(question: str) -> bool:
    try:
        return input(question).strip().lower() in {"", "y", "yes", "д", "да"}
    except EOFError:
        return False


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runners import CHAT_DATABASE_URL, run_chat

    language = args.lang or language_for(os.environ.get("LANG"))
    logging.getLogger().setLevel("WARNING")  # the conversation is the output; warnings still reach stderr
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C leaves the chat like Ctrl+D
        asyncio.run(run_chat(settings, language, args.database or CHAT_DATABASE_URL))
    return 0


def _remind(args: argparse.Namespace, settings: Settings) -> int:
    if (token := _token(settings)) is None:
        return EXIT_USAGE
    from bot.runners import remind_once

    with _telegram_problems(settings) as failed:
        counts = asyncio.run(remind_once(settings, token, everyone=args.all))
        print(counts)
    return failed.code


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "skills":
        return _skills_parse(args)
    settings = _load_settings()
    # Before anything can fail: from here on every line written, tracebacks included, is free of secrets.
    setup_logging(settings.log_level, secrets=settings.secrets(), json_format=settings.log_format == "json")
    if args.command != "chat" and (missing := settings.missing_extra()):  # the chat has a SQLite file of its own
        print(missing, file=sys.stderr)
        return EXIT_USAGE
    try:
        return _dispatch(args, settings)
    except (OSError, SQLAlchemyError) as exc:
        # The database (or its folder) cannot be opened or written: one line that says what to do; the
        # traceback only when asked for (LOG_LEVEL=DEBUG).
        logging.getLogger("bot").debug("storage failure", exc_info=True)
        print(_storage_problem(settings, exc), file=sys.stderr)
        return 1


def _storage_problem(settings: Settings, exc: BaseException) -> str:
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else type(exc).__name__
    where = settings.sqlite_path() or make_url(settings.database_url).render_as_string(hide_password=True)
    text = (
        f"The database cannot be used ({reason}). Check DATABASE_URL ({where}): the server must be reachable, "
        "or the SQLite file and its folder writable by this user."
    )
    return _redacted(settings, text)


def _redacted(settings: Settings, text: str) -> str:
    for secret in settings.secrets():  # a reason may quote a path or URL that holds one
        text = text.replace(secret, "***")
    return text


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "plan":
        if problem := _plan_arguments(args):
            print(problem, file=sys.stderr)
            return EXIT_USAGE
        logging.getLogger().setLevel("WARNING")
        return asyncio.run(_plan(args, settings))
    if args.command == "db":
        return asyncio.run(_db(args, settings))
    if args.command == "remind":
        return _remind(args, settings)
    if args.command == "chat":
        return _chat(args, settings)
    if args.command == "postings":
        logging.getLogger().setLevel("WARNING")
        return asyncio.run(_postings(args, settings))
    return _run(settings)


if __name__ == "__main__":
    sys.exit(main())
