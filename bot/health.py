"""/healthz and /metrics, in every mode: on the webhook server, or on a small server of their own
(HEALTH_PORT) beside long polling.

/healthz answers 200 once the bot is ready (started, webhook registered or polling) and its database answers,
503 before that or when the database does not; container health checks and load balancers read it.
"""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy import text

from bot.observability import Metrics
from storage.db import Database

log = logging.getLogger(__name__)


class Health:
    def __init__(self, db: Database, metrics: Metrics) -> None:
        self._db = db
        self._metrics = metrics
        self.ready = False

    async def healthz(self, _: web.Request) -> web.Response:
        if not self.ready:
            return web.Response(status=503, text="starting\n")
        try:
            async with self._db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check: the database does not answer")
            return web.Response(status=503, text="database unavailable\n")
        return web.Response(text="ok\n")

    async def metrics(self, _: web.Request) -> web.Response:
        await self._metrics.refresh(self._db)
        return web.Response(body=self._metrics.render(), content_type="text/plain", charset="utf-8")

    def add_routes(self, app: web.Application, metrics: bool = True) -> None:
        app.router.add_get("/healthz", self.healthz)
        if metrics:
            app.router.add_get("/metrics", self.metrics)


async def serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start `app` on host:port; the caller cleans the runner up."""
    runner = web.AppRunner(app, shutdown_timeout=30)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
