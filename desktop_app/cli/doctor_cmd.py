"""``workstation doctor [--json] [--repair]``: check a cache against the outbox invariant.

The invariant (``store/outbox.py``, docs/sync.md): every change waiting for the server
has a queued operation that will send it, and every queued operation stands for a
change still waiting.  A break means work that no sync would deliver, or a sync that
would send something nobody means; the report says which, in the user's terms.
Exit 0 when healthy, 1 when problems were found (after ``--repair``: problems left).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

from desktop_app.cli.common import CliError, open_store, settings_from

#: What each kind of row is, for the user: (one, several).
_WHAT = {
    "annotation": ("annotation", "annotations"),
    "annotation_term": ("term on an annotation", "terms on annotations"),
    "property": ("annotation property", "annotation properties"),
    "description": ("description", "descriptions"),
    "attached_file": ("attached file", "attached files"),
    "ontology": ("ontology", "ontologies"),
    "term": ("ontology term", "ontology terms"),
    "relation_term": ("term hierarchy link", "term hierarchy links"),
    "note": ("note", "notes"),
    "review_decision": ("reader's review decision", "readers' review decisions"),
}
_KIND = {
    "no_operation": "marked as waiting for the server, but no sync would send it",
    "missing_row": "queued for the server, but no longer in the cache",
    "settled_row": "queued for the server again, although the server already has it",
}


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "doctor", help="check that every local change is queued for the server (and only those)"
    )
    cmd.add_argument("--json", action="store_true", help="print the findings as JSON")
    cmd.add_argument(
        "--repair",
        action="store_true",
        help="queue the changes no sync would send (annotations, their terms, ontology edits)",
    )
    cmd.set_defaults(func=run)


def summary_lines(problems: list[Any]) -> list[str]:
    """One line per (kind of row, kind of problem), e.g. '12 terms on annotations: …'."""
    counts = Counter((p.table, p.kind) for p in problems)
    lines = []
    for (table, kind), n in sorted(counts.items()):
        one, several = _WHAT.get(table, (table, table))
        lines.append(f"{n} {one if n == 1 else several}: {_KIND[kind]}")
    return lines


def run(args: argparse.Namespace) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.store.outbox import check_outbox
    from desktop_app.store.outbox_repair import repair

    settings = settings_from(args)
    if not settings.cache_path.exists():
        raise CliError(f"no cache in {settings.cache_path.parent}: nothing to check", exit_code=1)
    store = open_store(settings)
    try:
        repaired = 0
        if args.repair:
            with store.unit_of_work(undoable=False) as uow:
                repaired, _left = repair(uow)
        with store.read() as s:
            report = check_outbox(s)
    finally:
        store.close()
    lines = summary_lines(report.problems)
    if args.json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "cache": str(settings.cache_path),
                    "pending_rows": report.pending_rows,
                    "open_operations": report.open_operations,
                    "repaired": repaired,
                    "summary": lines,
                    "problems": [
                        {"kind": p.kind, "table": p.table, "pk": p.pk, "uid": p.uid}
                        for p in report.problems
                    ],
                }
            )
        )
        return 0 if report.ok else 1
    print(f"cache: {settings.cache_path}")
    if repaired:
        print(f"repaired: {repaired} change(s) queued; the next `workstation sync` sends them")
    if report.ok:
        print(
            f"healthy: {report.open_operations} change(s) waiting for the next sync, "
            "each one queued"
        )
        return 0
    print(f"{len(report.problems)} problem(s) found:")
    for line in lines:
        print(f"  {line}")
    if not args.repair and any(p.kind == "no_operation" for p in report.problems):
        print("run `workstation doctor --repair` to queue what can be sent")
    return 1
