"""``workstation login | logout | sync``: connect the cache to a server and synchronise.

``sync`` exits 0 only when everything is in sync; otherwise it prints one line saying
why (offline, keys refused, conflicts to resolve, changes not sent yet) and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from desktop_app.cli.common import CliError, open_store, settings_from
from desktop_app.sync.engine import SyncEngine
from desktop_app.sync.push import publish as local_projects
from desktop_app.sync.transport import credentials
from desktop_app.sync.transport.http import AuthError, CytomineClient, SyncHttpError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    login = subparsers.add_parser("login", help="store server keys (private key in the keyring)")
    login.add_argument("--server", required=True, metavar="URL")
    login.add_argument("--public-key", required=True)
    login.add_argument("--private-key", required=True)
    login.set_defaults(func=cmd_login)
    logout = subparsers.add_parser("logout", help="remove the stored server keys")
    logout.set_defaults(func=cmd_logout)
    sync = subparsers.add_parser("sync", help="push local edits, pull server changes")
    sync.add_argument(
        "--project",
        action="append",
        metavar="REF",
        help="a project to sync (repeatable): a server id, local:<pk> or a project name; "
        "a local-only project is created on the server (ontology, terms, project), then "
        "its slides are uploaded and its annotations pushed",
    )
    sync.add_argument(
        "--push-local",
        action="store_true",
        help="also create every local-only project of the cache on the server and sync it",
    )
    sync.add_argument("--json", action="store_true", help="print a JSON summary")
    sync.add_argument("--batch", type=int, default=500, help=argparse.SUPPRESS)
    sync.set_defaults(func=cmd_sync)


def cmd_login(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if not credentials.keyring_usable():
        raise CliError(credentials.NO_KEYRING, 2)
    url = args.server.rstrip("/")
    client = CytomineClient(url, args.public_key, args.private_key)
    try:
        user = client.current_user()
    except AuthError:
        raise CliError("the server refused these keys", 3) from None
    except SyncHttpError as exc:
        raise CliError(str(exc), 4) from None
    finally:
        client.close()
    try:
        credentials.save(
            settings.data_dir, credentials.Credentials(url, args.public_key, args.private_key), user
        )
    except credentials.CredentialError as exc:
        raise CliError(str(exc), 2) from None
    store = open_store(settings)
    try:
        SyncEngine(store, client)._link_me(user)
    finally:
        store.close()
    print(f"logged in to {url} as {user['username']} (id {user['id']})")
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    removed = credentials.forget(settings.data_dir)
    print("logged out" if removed else "not logged in")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        creds = credentials.load(settings.data_dir)
    except credentials.CredentialError as exc:
        raise CliError(str(exc), 2) from None
    store = open_store(settings)
    try:
        projects, local = (
            local_projects.resolve_refs(store, args.project) if args.project else (None, [])
        )
    except local_projects.ProjectRefError as exc:
        store.close()
        raise CliError(str(exc), 2) from None
    if args.push_local:
        local += [pk for pk in local_projects.local_project_pks(store) if pk not in local]
    if projects == [] and not local:
        projects = None
    client = CytomineClient(creds.server_url, creds.public_key, creds.private_key)
    try:
        report = SyncEngine(store, client, batch=args.batch).run(projects, local_projects=local)
        published = _published(store, local)
    finally:
        client.close()
        store.close()
    if args.json:
        print(json.dumps(report.as_json()))
    for name, sid in published:
        print(
            f"project {name!r} is on the server as project {sid} "
            f"(share it: workstation server add-member {sid} USERNAME --role rw)",
            file=sys.stderr if args.json else sys.stdout,
        )
    if report.ok:
        if not args.json:
            print(f"in sync: pushed {report.pushed}, pulled {report.pulled}")
        return 0
    reason = report.reason()
    if report.pending and not args.push_local:
        reason += _local_hint(settings)
    print(f"workstation: not in sync: {reason}", file=sys.stderr)
    return 1


def _published(store: Any, local_pks: list[int]) -> list[tuple[str, int]]:
    """(name, server id) of the local projects this run created on the server."""
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.model.project import Project

    with store.read() as s:
        rows = [s.get(Project, pk) for pk in local_pks]
        return [(p.name, int(p.server_id)) for p in rows if p is not None and p.server_id]


def _local_hint(settings: Any) -> str:
    """Names the fix when unsent edits belong to projects that are not on the server."""
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.sync.projects.local_upload import local_projects

    store = open_store(settings)
    try:
        waiting = local_projects(store, with_changes_only=True)
    finally:
        store.close()
    if not waiting:
        return ""
    listed = ", ".join(
        f"{p.name!r} ({p.ref}: {p.images} image(s), {p.slide_bytes / 1e6:.1f} MB)" for p in waiting
    )
    return (
        f"; they belong to local projects not on the server yet: {listed}. "
        "Run `workstation sync --push-local` to upload them (slides included), "
        f"or `workstation sync --project {waiting[0].ref}` for one"
    )
