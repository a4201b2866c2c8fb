"""``workstation server``: run the server, or ``server add-user`` to create an account.

The server's database defaults to a SQLite file in the data dir and its storage (slides,
attached files) to a folder beside it; ``--database-url postgresql+psycopg://...`` is
the production choice.  ``add-user`` prints exactly one JSON object so scripts can read
the keys.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from desktop_app.cli.common import CliError, settings_from


def register(subparsers: Any) -> None:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "server",
        help="run the Cytomine-compatible server (or: server add-user NAME --role ROLE)",
        description="Run the server, or create a user with `server add-user NAME --role ROLE`.",
    )
    p.add_argument("action", nargs="?", choices=["add-user"], help="optional sub-action")
    p.add_argument("name", nargs="?", help="user name for add-user")
    p.add_argument("--role", choices=["superadmin", "admin", "user", "guest"], default=None)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--database-url", metavar="URL", default=None)
    p.add_argument("--storage-dir", metavar="DIR", default=None)
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="server processes (default: one per core, at most 4; 1 = single process)",
    )
    p.add_argument("--max-body-mb", type=int, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def _server_settings(args: argparse.Namespace) -> Any:
    from desktop_app.server.settings import ServerSettings, default_database_url

    data_dir = settings_from(args).data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    storage = Path(args.storage_dir) if args.storage_dir else data_dir / "server-storage"
    kwargs: dict[str, Any] = {}
    if args.max_body_mb:
        kwargs["max_body_bytes"] = args.max_body_mb * 1024 * 1024
    return ServerSettings(
        database_url=args.database_url or default_database_url(data_dir),
        storage_dir=storage.expanduser().resolve(),
        host=args.host,
        port=args.port,
        **kwargs,
    )


def run(args: argparse.Namespace) -> int:
    settings = _server_settings(args)
    if args.action == "add-user":
        return _add_user(args, settings)
    if args.name is not None:
        raise CliError("unexpected argument; did you mean `server add-user NAME`?", 2)
    import uvicorn

    from desktop_app.server.settings import default_workers

    workers = args.workers if args.workers is not None else default_workers()
    if workers < 1:
        raise CliError("--workers must be at least 1", 2)
    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "access_log": False,
    }
    if workers == 1:
        from desktop_app.server.app import create_app

        uvicorn.run(create_app(settings), **common)
        return 0
    import os

    from desktop_app.server.app import SETTINGS_ENV, prepare_database

    prepare_database(settings)  # once, not racing in every worker
    os.environ[SETTINGS_ENV] = settings.to_json()
    uvicorn.run("desktop_app.server.app:app_from_env", factory=True, workers=workers, **common)
    return 0


def _add_user(args: argparse.Namespace, settings: Any) -> int:
    from sqlalchemy.orm import Session

    from desktop_app.model.security import RoleName
    from desktop_app.server.bootstrap import add_user, ensure_roles
    from desktop_app.server.db import make_engine, upgrade_schema

    if not args.name:
        raise CliError("add-user needs a NAME", 2)
    if not args.role:
        raise CliError("add-user needs --role superadmin|admin|user|guest", 2)
    engine = make_engine(settings.database_url)
    try:
        upgrade_schema(engine)
        ensure_roles(engine)
        with Session(engine) as db:
            try:
                out = add_user(db, args.name, RoleName(args.role))
            except ValueError as exc:
                raise CliError(str(exc)) from exc
            db.commit()
    finally:
        engine.dispose()
    print(json.dumps(out))
    return 0
