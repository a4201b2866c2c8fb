"""``workstation agreement PROJECT [--image ID] [--json] [--csv FILE]``: reader agreement.

Percent agreement and Cohen's kappa per pair of readers (on accept/reject and on terms),
Fleiss' kappa for three readers or more, a term confusion matrix per pair; ``--csv``
writes every decision (readers' and adjudicators') for the study's own analysis.
Reads the local cache only: run ``workstation sync`` first to include other readers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli.common import CliError, open_store, settings_from


def register(subparsers: Any) -> None:
    cmd = subparsers.add_parser(
        "agreement",
        help="agreement between a project's readers (kappa per pair, Fleiss, confusion)",
    )
    cmd.add_argument("project", metavar="PROJECT", help="project server id, local:<id> or name")
    cmd.add_argument("--image", metavar="ID", help="one image of the project (id or UUID)")
    cmd.add_argument("--json", action="store_true", help="print the figures as JSON")
    cmd.add_argument(
        "--csv", metavar="FILE", type=Path, help="also write every decision as CSV ('-': stdout)"
    )
    cmd.set_defaults(func=run)


def _fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "—"  # undefined (no comparable annotation, or p_e = 1): not a score
    return f"{100 * x:.1f}%" if pct else f"{x:.3f}"


def run(args: argparse.Namespace) -> int:
    # loaded when this subcommand runs: the CLI starts without the GUI, server or sync stacks
    from desktop_app.services.agreement import (
        agreement_json,
        image_project,
        project_agreement,
        write_decisions_csv,
    )
    from desktop_app.services.projects import ProjectCatalog
    from desktop_app.services.workspace import Workspace
    from desktop_app.store.uow import Store

    store: Store = open_store(settings_from(args))
    try:
        project_pk = ProjectCatalog(store).find_project(args.project)
        if project_pk is None:
            raise CliError(f"no project {args.project!r} in the cache (`workstation projects`)")
        image_pk = None
        if args.image is not None:
            image_pk = Workspace(store).find_image(args.image)
            if image_pk is None or image_project(store, image_pk) != project_pk:
                raise CliError(f"project {args.project} has no image {args.image!r}")
        result = project_agreement(store, project_pk, image_pk)
        if args.csv is not None:
            _write_csv(args.csv, lambda f: write_decisions_csv(store, project_pk, f, image_pk))
    finally:
        store.close()
    if args.csv is not None and str(args.csv) == "-":
        return 0
    if args.json:
        print(json.dumps(agreement_json(result), indent=2))
        return 0
    if len(result.readers) < 2:
        print(
            f"{len(result.readers)} reader(s) decided here: agreement needs two "
            "(sync to pull the other readers' decisions)"
        )
        return 0
    print(f"{'READER A':<14} {'READER B':<14} {'N':>5} {'AGREE':>7} {'KAPPA':>7} {'TERM K':>7}")
    for p in result.pairs:
        print(
            f"{p.a:<14} {p.b:<14} {p.n:>5} {_fmt(p.percent_agreement, True):>7} "
            f"{_fmt(p.decision_kappa):>7} {_fmt(p.term_kappa):>7}"
        )
    if result.fleiss_kappa is not None or len(result.readers) >= 3:
        print(f"Fleiss' kappa ({len(result.readers)} readers, {result.fleiss_n} annotations "
              f"decided by all): {_fmt(result.fleiss_kappa)}")  # fmt: skip
    return 0


def _write_csv(path: Path, write: Any) -> None:
    if str(path) == "-":
        try:
            write(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # piped into `head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            rows = write(f)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc}") from exc
    print(f"wrote {rows} decisions to {path}", file=sys.stderr)
