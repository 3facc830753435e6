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

# Migrate explicitly (the bot would also do it), then run: polling, or a webhook server with WEBHOOK_URL.
CMD ["sh", "-c", "python -m bot db upgrade && exec python -m bot run"]
