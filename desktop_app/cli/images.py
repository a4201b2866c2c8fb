"""``workstation images [--json]``: list the images of the local cache."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from desktop_app.cli.common import open_store, settings_from
from desktop_app.services.workspace import Workspace


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("images", help="list the images in the local cache")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = open_store(settings_from(args))
    try:
        images = Workspace(store).images()
    finally:
        store.close()
    if args.json:
        print(json.dumps([dataclasses.asdict(i) for i in images], indent=2))
        return 0
    if not images:
        print("no images in the cache (try `workstation demo` or `workstation open SLIDE`)")
        return 0
    print(f"{'ID':>5}  {'SERVER':>8}  {'SIZE':>13}  {'MPP':>6}  {'ANN':>7}  PROJECT / FILE")
    for i in images:
        mpp = f"{i.mpp:.3f}" if i.mpp else "-"
        server = str(i.server_id) if i.server_id else "-"
        size = f"{i.width}x{i.height}"
        print(
            f"{i.pk:>5}  {server:>8}  {size:>13}  {mpp:>6}  {i.annotations:>7}  "
            f"{i.project} / {i.filename}"
        )
    return 0
