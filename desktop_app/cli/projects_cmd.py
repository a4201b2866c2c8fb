"""``workstation projects [--json]``: the projects of the local cache, offline."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop_app.cli.common import open_store, settings_from
from desktop_app.config import Settings
from desktop_app.services.projects import ProjectCatalog


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "projects", help="list the projects in the local cache (counts, role, offline images)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    parser.set_defaults(func=run)


def _me(settings: Settings) -> int | None:
    from desktop_app.sync.transport.login_info import login_info

    info = login_info(settings.data_dir)
    return info.user_id if info else None


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    store = open_store(settings)
    try:
        rows = ProjectCatalog(store, settings.tiles_dir).projects(_me(settings))
    finally:
        store.close()
    if args.json:
        print(json.dumps([r.as_json() for r in rows], indent=2))
        return 0
    if not rows:
        print("no projects in the cache (try `workstation demo` or `workstation sync`)")
        return 0
    print(
        f"{'ID':>8}  {'IMAGES':>6}  {'ANN':>7}  {'REVIEWED':>9}  {'ROLE':>5}  {'OFFLINE':>7}  NAME"
    )
    for r in rows:
        sid = str(r.server_id) if r.server_id is not None else f"local:{r.pk}"
        print(
            f"{sid:>8}  {r.images:>6}  {r.annotations:>7}  {r.reviewed:>4}/{r.annotations:<4}  "
            f"{r.role or '-':>5}  {r.offline:>3}/{r.images:<3}  {r.name}"
        )
    return 0
