"""The application factory: one FastAPI app per ``ServerSettings``.

Nothing is global: the engine, session factories and settings hang off ``app.state``,
so several servers (SQLite and PostgreSQL) can live in one test process.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

from fastapi import FastAPI

from desktop_app import __version__
from desktop_app.server import upload
from desktop_app.server.access_cache import AccessWatch
from desktop_app.server.bootstrap import ensure_roles
from desktop_app.server.db import make_engine, session_factory, upgrade_schema
from desktop_app.server.errors import install_handlers
from desktop_app.server.integrity import ContentMD5Middleware
from desktop_app.server.lifetime import die_with_parent
from desktop_app.server.limits import BodyLimitMiddleware
from desktop_app.server.request_log import RequestErrorLog
from desktop_app.server.routes import (
    activity,
    annotation,
    annotation_activity,
    annotation_crop,
    annotation_filters,
    annotation_groups,
    annotation_included,
    annotation_term,
    attached_file,
    attachments,
    descriptions,
    image,
    image_group_members,
    imagegroup,
    misc,
    ontology,
    project,
    review,
    review_decision,
    scitran,
    software,
    storage,
    sync_ext,
    tags,
    tiles,
    tracks,
    user_lookup,
    users,
)
from desktop_app.server.secret import SESSION_KEY, ServerSecret
from desktop_app.server.settings import ServerSettings
from desktop_app.server.slides import SlideCache
from desktop_app.server.state import STATE_KEY, ServerState

log = logging.getLogger(__name__)

#: Route modules, each exposing ``router``; order matters only for path shadowing
#: (literal paths such as ``/api/project/{id}/changes.json`` are registered first).
ROUTE_MODULES: tuple[ModuleType, ...] = (
    misc,
    sync_ext,
    users,
    user_lookup,
    project,
    ontology,
    storage,
    image,
    tiles,
    annotation_crop,
    upload,
    annotation,
    annotation_included,
    annotation_filters,
    annotation_activity,
    tags,
    tracks,
    annotation_groups,
    image_group_members,
    annotation_term,
    review,
    review_decision,
    attachments,
    descriptions,
    attached_file,
    software,
    activity,
    scitran,
    imagegroup,
)


#: How ``workstation server --workers N`` hands the settings to its worker processes.
SETTINGS_ENV = "WORKSTATION_SERVER_SETTINGS"
#: ... and its own pid: a worker still loading when the supervisor died ends too.
SUPERVISOR_ENV = "WORKSTATION_SERVER_SUPERVISOR"


def prepare_database(settings: ServerSettings) -> None:
    """Schema at head and seed rows, once, before worker processes start."""
    engine = make_engine(settings.database_url)
    try:
        upgrade_schema(engine, ServerSecret.load(settings.secret_path))
        ensure_roles(engine)
    finally:
        engine.dispose()


def app_from_env() -> FastAPI:
    """uvicorn factory for worker processes (the parent ran ``prepare_database``).

    The worker ends when its supervisor does, even one killed with SIGKILL."""
    die_with_parent(signal.SIGTERM, int(os.environ[SUPERVISOR_ENV]))
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
    for module in ROUTE_MODULES:
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
