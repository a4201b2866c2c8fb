"""The ``workstation`` command.

Each subcommand lives in its own module under ``desktop_app.cli`` and exposes
``register(subparsers)``; this module only assembles them, parses the global options
and turns expected failures into one line on stderr and a non-zero exit.  A run
imports only the module of the command it names (``COMMANDS``): the others pull in
SQLAlchemy, the sync engine or numpy, which every scripted call would otherwise pay
for at start-up; ``--help`` and unknown commands get the full parser.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from desktop_app import __version__
from desktop_app.cli.common import CliError

#: Subcommand modules, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "desktop_app.cli.slides",
    "desktop_app.cli.open_cmd",
    "desktop_app.cli.download_cmd",
    "desktop_app.cli.demo",
    "desktop_app.cli.images",
    "desktop_app.cli.geojson_cmd",
    "desktop_app.cli.measurements_cmd",
    "desktop_app.cli.agreement_cmd",
    "desktop_app.cli.review_cmd",
    "desktop_app.cli.server_cmd",
    "desktop_app.cli.sync_cmd",
    "desktop_app.cli.projects_cmd",
    "desktop_app.cli.tree_cmd",
    "desktop_app.cli.checkout_cmd",
    "desktop_app.cli.doctor_cmd",
)


#: Command name -> the module that registers it (tests/cli/test_dispatch.py checks both).
COMMANDS = {
    "make-slide": "desktop_app.cli.slides",
    "open": "desktop_app.cli.open_cmd",
    "download": "desktop_app.cli.download_cmd",
    "demo": "desktop_app.cli.demo",
    "images": "desktop_app.cli.images",
    "import": "desktop_app.cli.geojson_cmd",
    "export": "desktop_app.cli.geojson_cmd",
    "measurements": "desktop_app.cli.measurements_cmd",
    "agreement": "desktop_app.cli.agreement_cmd",
    "review": "desktop_app.cli.review_cmd",
    "adjudicate": "desktop_app.cli.review_cmd",
    "reasons": "desktop_app.cli.review_cmd",
    "server": "desktop_app.cli.server_cmd",
    "login": "desktop_app.cli.sync_cmd",
    "logout": "desktop_app.cli.sync_cmd",
    "sync": "desktop_app.cli.sync_cmd",
    "projects": "desktop_app.cli.projects_cmd",
    "tree": "desktop_app.cli.tree_cmd",
    "checkout": "desktop_app.cli.checkout_cmd",
    "doctor": "desktop_app.cli.doctor_cmd",
}


def command_in(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names: its first word that is not a global option or its value.

    ``None`` when help comes first (``workstation --help review`` lists every command).
    """
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help"):
            return None
        if word == "--":
            return next(words, None)
        if word.startswith("-"):
            if "=" not in word and len(word) > 2 and "--data-dir".startswith(word):
                next(words, None)  # --data-dir DIR (or a prefix of it, as argparse allows)
            continue
        return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with ``command``'s module only, or with every command's."""
    parser = argparse.ArgumentParser(
        prog="workstation",
        description="Slide annotation workstation: view, annotate, review and sync slides.",
    )
    parser.add_argument("--version", action="version", version=f"workstation {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the local cache lives (env WORKSTATION_DATA_DIR; "
        "default: the platform's user data dir)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules: Sequence[str] = COMMAND_MODULES
    if command is not None and command in COMMANDS:
        modules = [COMMANDS[command]]
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # Answered before the subcommand modules (SQLAlchemy, numpy, …) are imported:
        # the same line argparse prints, in a fraction of the start-up time.
        print(f"workstation {__version__}")
        return 0
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(command_in(words))
    args = parser.parse_args(words)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"workstation: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback in a file
        if os.environ.get("WORKSTATION_DEBUG") == "1":
            raise
        log = Path(tempfile.gettempdir()) / "workstation-error.log"
        with contextlib.suppress(OSError):
            log.write_text(traceback.format_exc(), encoding="utf-8")
        print(
            f"workstation: unexpected error: {type(exc).__name__}: {exc} "
            f"(details in {log}; WORKSTATION_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
