# Career Coach: a slim image that runs as a non-root user and migrates the database on start.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 coach
WORKDIR /app

# Dependencies first, so code changes reuse the cached layer. The versions are the pinned ones (constraints.txt,
# written by `python3 tasks.py lock`); the image has both extras, for compose's PostgreSQL and Redis.
COPY pyproject.toml README.md constraints.txt ./
COPY bot ./bot
COPY handlers ./handlers
COPY coach ./coach
COPY services ./services
COPY storage ./storage
RUN pip install -c constraints.txt ".[postgres,redis]" && rm -rf /app/build

USER coach
WORKDIR /home/coach
# SQLite by default (a volume keeps it); docker-compose.yml points DATABASE_URL at PostgreSQL instead.
ENV DATABASE_URL=sqlite+aiosqlite:////home/coach/data/career_coach.sqlite3
VOLUME ["/home/coach/data"]
# Long polling serves GET /healthz and /metrics on HEALTH_PORT; webhook mode on WEBHOOK_PORT.
ENV HEALTH_PORT=8081
EXPOSE 8080 8081

# Healthy once the bot is started and its database answers (/healthz, bot/health.py). Plain Python and the
# standard library only: importing the bot would cost seconds of CPU every 30 s.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; port = os.environ.get('WEBHOOK_PORT') or '8080' if os.environ.get('WEBHOOK_URL') else os.environ.get('HEALTH_PORT') or '8081'; r.urlopen('http://127.0.0.1:%s/healthz' % port, timeout=4)"]

# `run` migrates the database itself before it starts polling (or serving the webhook with WEBHOOK_URL); a
# separate `db upgrade` first would pay the whole start-up (imports) twice.
CMD ["python", "-m", "bot", "run"]
