"""``workstation server add-user | add-member | remove-member``: administration on the
server's database, without a running server or keys.

Each action prints exactly one JSON object (scripts read the keys of ``add-user``).  A
membership change made here is seen by a running server of the same storage dir at
once (its access caches watch a marker file there) and reaches the members' caches
through the project's change feed, like a change made through the API.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop_app.cli.common import CliError

USER_ROLES = ("superadmin", "admin", "user", "guest")
MEMBER_ROLES = ("ro", "rw", "admin")


def run_action(args: argparse.Namespace, settings: Any) -> int:
    if args.action == "add-user":
        if len(args.names) != 1:
            raise CliError("usage: workstation server add-user NAME --role ROLE", 2)
        if args.role not in USER_ROLES:
            raise CliError(f"add-user needs --role {'|'.join(USER_ROLES)}", 2)
        return _in_database(settings, lambda db: _add_user(db, args.names[0], args.role))
    if len(args.names) != 2 or not args.names[0].isdigit():
        raise CliError(f"usage: workstation server {args.action} PROJECT_ID USERNAME", 2)
    project, username = int(args.names[0]), args.names[1]
    if args.action == "add-member":
        if args.role not in MEMBER_ROLES:
            raise CliError(f"add-member needs --role {'|'.join(MEMBER_ROLES)}", 2)
        return _in_database(settings, lambda db: _member(db, project, username, args.role))
    return _in_database(settings, lambda db: _member(db, project, username, None))


def _add_user(db: Any, name: str, role: str) -> dict[str, Any]:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.model.security import RoleName
    from desktop_app.server.bootstrap import add_user

    return add_user(db, name, RoleName(role))


def _member(db: Any, project: int, username: str, role: str | None) -> dict[str, Any]:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.model.security import Access
    from desktop_app.server.bootstrap import set_member

    return set_member(db, project, username, Access(role) if role else None)


def _in_database(settings: Any, action: Any) -> int:
    """Run ``action(session)`` on the migrated database, commit, print its JSON."""
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    from desktop_app.server import access_cache
    from desktop_app.server.bootstrap import ensure_roles
    from desktop_app.server.db import make_engine, upgrade_schema
    from desktop_app.server.secret import SESSION_KEY, SecretError, ServerSecret

    settings.storage_dir.mkdir(parents=True, exist_ok=True)
    try:  # the secret that seals stored keys (add-user) and opens them
        secret = ServerSecret.load(settings.secret_path)
    except SecretError as exc:
        raise CliError(str(exc), 2) from exc
    engine = make_engine(settings.database_url)
    try:
        upgrade_schema(engine, secret)
        ensure_roles(engine)
        with Session(engine, info={SESSION_KEY: secret}) as db:
            try:
                out = action(db)
            except ValueError as exc:
                raise CliError(str(exc)) from exc
            # Running servers drop their cached access decisions: those on this host at
            # once (the marker), every server on the database within 0.25 s.
            access_cache.record_change(db)
            db.commit()
        access_cache.touch_marker(settings.storage_dir)
    except OperationalError as exc:
        raise CliError(f"cannot use the database: {exc.orig}") from None
    finally:
        engine.dispose()
    print(json.dumps(out))
    return 0
