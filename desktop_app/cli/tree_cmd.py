"""``workstation tree [--json]``: the SciTran hierarchy from the local cache, offline."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop_app.cli.common import open_store, settings_from
from desktop_app.services.scitran_tree import NAMES_HIDDEN, Node, ScitranTree


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "tree", help="show the SciTran hierarchy (groups, projects, subjects, sessions, ...)"
    )
    parser.add_argument("--json", action="store_true", help="print the nodes as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = open_store(settings_from(args))
    try:
        nodes = ScitranTree(store).nodes()
    finally:
        store.close()
    if args.json:
        print(json.dumps(nodes, indent=2))
        return 0
    if not nodes:
        print("nothing in the cache yet (log in and run `workstation sync`)")
        return 0
    for node in nodes:
        _print(node, 0)
    return 0


def _print(node: Node, depth: int) -> None:
    ident = node["id"] if node["id"] is not None else "local"
    extra = []
    if node.get("timestamp"):
        extra.append(f"{node['timestamp']} {node.get('timezone') or ''}".strip())
    if node.get("tags"):
        extra.append("tags: " + ", ".join(node["tags"]))
    if node.get("names_hidden"):
        extra.append(NAMES_HIDDEN)
    suffix = f"  [{'; '.join(extra)}]" if extra else ""
    print(f"{'  ' * depth}{node['type']} {ident}: {node['label'] or '-'}{suffix}")
    for f in node["files"]:
        size = f"{f['size']:,} B" if f.get("size") is not None else "? B"
        print(f"{'  ' * (depth + 1)}file {f['name']} ({f.get('type') or '?'}, {size})")
    for d in node.get("devices") or []:
        known = ", ".join(str(d[k]) for k in ("model", "location") if d.get(k))
        print(
            f"{'  ' * (depth + 1)}device {d.get('label') or d.get('id')}"
            + (f" ({known})" if known else "")
        )
    for n in node["notes"]:
        print(f"{'  ' * (depth + 1)}note by {n.get('user') or '?'}: {n['text']}")
    for child in node["children"]:
        _print(child, depth + 1)
