# Career Coach: a slim image that runs as a non-root user and migrates the database on start.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 coach
WORKDIR /app

# Dependencies first, so code changes reuse the cached layer.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY coach ./coach
COPY services ./services
COPY storage ./storage
RUN pip install . && rm -rf /app/build

USER coach
WORKDIR /home/coach
# SQLite by default (a volume keeps it); docker-compose.yml points DATABASE_URL at PostgreSQL instead.
ENV DATABASE_URL=sqlite+aiosqlite:////home/coach/data/career_coach.sqlite3
VOLUME ["/home/coach/data"]
EXPOSE 8080

# `run` migrates the database itself before it starts polling (or serving the webhook with WEBHOOK_URL); a
# separate `db upgrade` first would pay the whole start-up (imports) twice.
CMD ["python", "-m", "bot", "run"]
