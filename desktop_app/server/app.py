"""The application factory: one FastAPI app per ``ServerSettings``.

Nothing is global: the engine, session factories and settings hang off ``app.state``,
so several servers (SQLite and PostgreSQL) can live in one test process.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from desktop_app import __version__
from desktop_app.server.access_cache import AccessWatch
from desktop_app.server.db import make_engine, session_factory, upgrade_schema
from desktop_app.server.errors import install_handlers
from desktop_app.server.integrity import ContentMD5Middleware
from desktop_app.server.limits import BodyLimitMiddleware
from desktop_app.server.request_log import RequestErrorLog
from desktop_app.server.secret import SESSION_KEY, ServerSecret
from desktop_app.server.settings import ServerSettings
from desktop_app.server.slides import SlideCache
from desktop_app.server.state import STATE_KEY, ServerState

log = logging.getLogger(__name__)

#: Route modules, each exposing ``router``; order matters only for path shadowing
#: (literal paths such as ``/api/project/{id}/changes.json`` are registered first).
ROUTE_MODULES = (
    "desktop_app.server.routes.misc",
    "desktop_app.server.routes.sync_ext",
    "desktop_app.server.routes.users",
    "desktop_app.server.routes.user_lookup",
    "desktop_app.server.routes.project",
    "desktop_app.server.routes.ontology",
    "desktop_app.server.routes.storage",
    "desktop_app.server.routes.image",
    "desktop_app.server.routes.tiles",
    "desktop_app.server.routes.annotation_crop",
    "desktop_app.server.upload",
    "desktop_app.server.routes.annotation",
    "desktop_app.server.routes.annotation_included",
    "desktop_app.server.routes.annotation_filters",
    "desktop_app.server.routes.annotation_activity",
    "desktop_app.server.routes.tags",
    "desktop_app.server.routes.tracks",
    "desktop_app.server.routes.annotation_groups",
    "desktop_app.server.routes.image_group_members",
    "desktop_app.server.routes.annotation_term",
    "desktop_app.server.routes.review",
    "desktop_app.server.routes.review_decision",
    "desktop_app.server.routes.attachments",
    "desktop_app.server.routes.attached_file",
    "desktop_app.server.routes.software",
    "desktop_app.server.routes.activity",
    "desktop_app.server.routes.scitran",
    "desktop_app.server.routes.imagegroup",
)


#: How ``workstation server --workers N`` hands the settings to its worker processes.
SETTINGS_ENV = "WORKSTATION_SERVER_SETTINGS"


def prepare_database(settings: ServerSettings) -> None:
    """Schema at head and seed rows, once, before worker processes start."""
    engine = make_engine(settings.database_url)
    try:
        upgrade_schema(engine, ServerSecret.load(settings.secret_path))
        from desktop_app.server.bootstrap import ensure_roles

        ensure_roles(engine)
    finally:
        engine.dispose()


def app_from_env() -> FastAPI:
    """uvicorn factory for worker processes (the parent ran ``prepare_database``)."""
    return create_app(ServerSettings.from_json(os.environ[SETTINGS_ENV]), migrate=False)


def create_app(settings: ServerSettings, *, migrate: bool = True) -> FastAPI:
    """Build the server: engine, schema at head, routes, error shapes, size limits.

    ``migrate=False`` (worker processes) skips the migrations and the seed rows.
    """
    settings.storage_dir.mkdir(parents=True, exist_ok=True)
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    settings.attached_dir.mkdir(parents=True, exist_ok=True)
    secret = ServerSecret.load(settings.secret_path)
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade_schema(engine, secret)
        from desktop_app.server.bootstrap import ensure_roles

        ensure_roles(engine)

    docs: dict[str, Any] = (
        {} if settings.docs_enabled else {"docs_url": None, "redoc_url": None, "openapi_url": None}
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        **docs,
        lifespan=lifespan,
        title="Workstation server",
        version=__version__,
        description="Cytomine-compatible REST API, SciTran-style container API and "
        "sync extensions (see docs/api.md).",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.secret = secret
    state = app.state.server = ServerState()
    app.state.slide_cache = SlideCache()
    info = {SESSION_KEY: secret, STATE_KEY: state}
    app.state.read_sessions = session_factory(engine, write=False, info=info)
    app.state.write_sessions = session_factory(engine, write=True, info=info)
    watch = app.state.access_watch = AccessWatch(engine, settings.storage_dir, state.clear_access)
    watch.attach(app.state.read_sessions)
    watch.attach(app.state.write_sessions)
    install_handlers(app)
    for name in ROUTE_MODULES:
        try:
            module: Any = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        # The module's routes go straight into the app's list, in order, rather than
        # through ``include_router``: an included router is matched once by every
        # included router a request passes and again inside the one that takes it
        # (benchmarks/route_bench.py, a 401 to the last module's route, load 12: 5.8 ms
        # flat vs 9.2 ms included).  Our routers are plain path groups (no prefix, no
        # dependencies), so nothing of the include is lost.
        app.router.routes.extend(module.router.routes)
    app.add_middleware(RequestErrorLog)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
    )
    app.add_middleware(ContentMD5Middleware)

    return app
