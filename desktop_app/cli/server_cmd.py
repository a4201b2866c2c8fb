"""``workstation server``: run the server, or administer its users and project members.

The server's database defaults to a SQLite file in the data dir and its storage (slides,
attached files) to a folder beside it; ``--database-url postgresql+psycopg://...`` is
the production choice.  The administration actions (``add-user``, ``add-member``,
``remove-member``, in :mod:`desktop_app.cli.server_admin`) work on the database
directly, so they need no running server and no keys; each prints one JSON object.

Running, the server prints one line when it listens (URL, database with any password
hidden, storage dir, workers), logs failed requests (5xx, 401/403: status, method,
path; never a header or a key) and, with ``--access-log``, every request.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from desktop_app.cli.common import CliError, settings_from

ACTIONS = ("add-user", "add-member", "remove-member")
INSTALL_HINT = (
    "run `bash scripts/setup.sh server` in the workstation's checkout "
    "(or `pip install 'desktop_app[server]'` in its environment)"
)


def register(subparsers: Any) -> None:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "server",
        help="run the Cytomine-compatible server (or: add-user, add-member, remove-member)",
        description="Run the server, or administer it: "
        "`server add-user NAME --role superadmin|admin|user|guest`, "
        "`server add-member PROJECT_ID USERNAME --role ro|rw|admin`, "
        "`server remove-member PROJECT_ID USERNAME`.",
    )
    p.add_argument("action", nargs="?", choices=ACTIONS, help="optional administration action")
    p.add_argument("names", nargs="*", metavar="ARG", help="NAME, or PROJECT_ID USERNAME")
    p.add_argument(
        "--role",
        default=None,
        help="add-user: superadmin|admin|user|guest; add-member: ro|rw|admin",
    )
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
    p.add_argument(
        "--access-log",
        action="store_true",
        help="log every request (time, client, method, path, status) to stdout",
    )
    p.add_argument("--max-body-mb", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument(
        "--max-date-skew",
        type=float,
        default=None,
        metavar="SECONDS",
        help="refuse signed requests whose date is further than this from the server clock "
        "(default 900; 0 turns the check off, as stock Cytomine)",
    )
    p.add_argument(
        "--require-path-signature",
        action="store_true",
        help="accept only signatures that cover the path and query (Cytomine <= 5.2 layout, "
        "the workstation's sync client); 4.x Python clients are then refused",
    )
    p.add_argument(
        "--ssl-certfile",
        metavar="PEM",
        default=None,
        help="serve HTTPS with this certificate chain (with --ssl-keyfile)",
    )
    p.add_argument("--ssl-keyfile", metavar="PEM", default=None, help="the certificate's key")
    p.add_argument(
        "--no-docs", action="store_true", help="do not serve /docs, /redoc and /openapi.json"
    )
    p.set_defaults(func=run)


def require_server_extra(database_url: str | None = None) -> None:
    """The server's own dependencies, or one line saying how to install them."""
    needed = ["fastapi", "uvicorn", "multipart"]
    if database_url and database_url.startswith("postgresql"):
        needed.append("psycopg")
    missing = [name for name in needed if not _installed(name)]
    if missing:
        raise CliError(
            f"the server is not installed here (missing: {', '.join(missing)}): {INSTALL_HINT}",
            2,
        )


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _server_settings(args: argparse.Namespace) -> Any:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.server.settings import ServerSettings, default_database_url

    data_dir = settings_from(args).data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    storage = Path(args.storage_dir) if args.storage_dir else data_dir / "server-storage"
    kwargs: dict[str, Any] = {}
    if args.max_body_mb:
        kwargs["max_body_bytes"] = args.max_body_mb * 1024 * 1024
    if args.max_date_skew is not None:
        if args.max_date_skew < 0:
            raise CliError("--max-date-skew must not be negative", 2)
        kwargs["max_date_skew_s"] = args.max_date_skew or None
    return ServerSettings(
        database_url=args.database_url or default_database_url(data_dir),
        storage_dir=storage.expanduser().resolve(),
        host=args.host,
        port=args.port,
        require_path_signature=args.require_path_signature,
        secret_file=str(data_dir.resolve() / "server-secret.key"),
        docs_enabled=not args.no_docs,
        **kwargs,
    )


def _tls(args: argparse.Namespace) -> dict[str, str]:
    """uvicorn's TLS options, after checking that both files are given and readable."""
    if not args.ssl_certfile and not args.ssl_keyfile:
        return {}
    if not (args.ssl_certfile and args.ssl_keyfile):
        raise CliError("--ssl-certfile and --ssl-keyfile go together", 2)
    for flag, value in (("--ssl-certfile", args.ssl_certfile), ("--ssl-keyfile", args.ssl_keyfile)):
        if not Path(value).is_file():
            raise CliError(f"{flag}: no such file: {value}", 2)
    return {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}


def run(args: argparse.Namespace) -> int:
    require_server_extra(args.database_url)
    settings = _server_settings(args)
    if args.action is not None:
        # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
        from desktop_app.cli.server_admin import run_action

        return run_action(args, settings)
    if args.names:
        raise CliError(
            f"unexpected argument {args.names[0]!r}; did you mean `server add-user NAME`?", 2
        )
    from desktop_app.server.settings import default_workers

    workers = args.workers if args.workers is not None else default_workers()
    if workers < 1:
        raise CliError("--workers must be at least 1", 2)
    return _serve(settings, workers, access_log=args.access_log, tls=_tls(args))


def _serve(settings: Any, workers: int, *, access_log: bool, tls: dict[str, str]) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    import os

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from desktop_app.server.app import (
        SETTINGS_ENV,
        SUPERVISOR_ENV,
        create_app,
        prepare_database,
    )

    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": log_config(access_log),
        "log_level": None,
        "access_log": access_log,
        **tls,
    }
    if workers == 1:
        config = uvicorn.Config(create_app(settings), **common)
    else:
        prepare_database(settings)  # once, not racing in every worker
        os.environ[SETTINGS_ENV] = settings.to_json()
        os.environ[SUPERVISOR_ENV] = str(os.getpid())
        config = uvicorn.Config(
            "desktop_app.server.app:app_from_env", factory=True, workers=workers, **common
        )
    try:
        sock = config.bind_socket()
    except SystemExit:
        raise CliError(f"cannot listen on {settings.host}:{settings.port} (in use?)") from None
    # Listen before saying so: a client that connects while the workers still start waits
    # in the backlog instead of being refused (uvicorn only listens inside the workers).
    sock.listen(config.backlog)
    print(listening_line(settings, workers, https=bool(tls)), flush=True)
    server = uvicorn.Server(config)
    try:
        if workers == 1:
            server.run(sockets=[sock])
        else:
            Multiprocess(config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def listening_line(settings: Any, workers: int, https: bool = False) -> str:
    """The one start-up line: where it listens and what it serves (no password)."""
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from sqlalchemy.engine import make_url

    database = make_url(settings.database_url).render_as_string(hide_password=True)
    plural = "s" if workers != 1 else ""
    scheme = "https" if https else "http"
    return (
        f"workstation server listening on {scheme}://{settings.host}:{settings.port} "
        f"(database {database}, storage {settings.storage_dir}, {workers} worker{plural})"
    )


def log_config(access_log: bool) -> dict[str, Any]:
    """uvicorn's logging, applied in every worker: warnings and failed requests to
    stderr; with ``access_log``, one line per request to stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "default": {
                "()": "uvicorn.logging.DefaultFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s: %(message)s",
                "use_colors": False,
            },
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(asctime)s %(client_addr)s "%(request_line)s" %(status_code)s',
                "use_colors": False,
            },
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "WARNING", "propagate": False},
            "uvicorn.error": {"level": "WARNING"},
            "uvicorn.access": {
                "handlers": ["access"],
                "level": "INFO" if access_log else "WARNING",
                "propagate": False,
            },
            "desktop_app.server": {
                "handlers": ["default"],
                "level": "WARNING",
                "propagate": False,
            },
        },
    }
