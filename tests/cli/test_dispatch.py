"""``workstation COMMAND`` imports only COMMAND's module: the table behind it is exact."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from desktop_app.cli import COMMAND_MODULES, COMMANDS, build_parser, command_in
from tests.server.harness import ROOT


def test_the_table_names_every_command_of_every_module() -> None:
    registered: dict[str, str] = {}
    for module in COMMAND_MODULES:
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module).register(subparsers)
        registered.update(dict.fromkeys(subparsers.choices, module))
    assert registered == COMMANDS


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["review", "1", "--json"], "review"),
        (["--data-dir", "/tmp/ws", "sync", "--json"], "sync"),
        (["--data-dir=/tmp/ws", "images"], "images"),
        (["--data", "images", "tree"], "tree"),  # argparse accepts a prefix of --data-dir
        (["--help", "review"], None),
        (["-h"], None),
        ([], None),
        (["--version"], None),
    ],
)
def test_the_command_is_found_past_the_global_options(argv: list[str], command: str | None) -> None:
    assert command_in(argv) == command


def test_a_run_registers_its_command_only_and_help_lists_them_all() -> None:
    parser = build_parser("review")
    assert parser.parse_args(["reasons", "7"]).command == "reasons"
    with pytest.raises(SystemExit):
        parser.parse_args(["sync"])  # not registered for a ``review`` run
    listed = build_parser(None).format_help()
    assert all(name in listed for name in COMMANDS)


#: Runs ``workstation review --help`` in a fresh interpreter, then lists what it imported.
_LIST_IMPORTS = (
    "import contextlib, sys\n"
    "from desktop_app.cli import main\n"
    "with contextlib.suppress(SystemExit):\n"
    "    main(['review', '--help'])\n"
    "print(' '.join(sys.modules), file=sys.stderr)\n"
)


def test_a_command_does_not_import_the_other_commands() -> None:
    """The start-up every scripted call pays: ``review`` loads neither the sync engine
    nor the slide generator (fails when the parser imports every command module)."""
    out = subprocess.run(
        [sys.executable, "-c", _LIST_IMPORTS], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    imported = set(out.stderr.split())
    assert "desktop_app.cli.review_cmd" in imported
    others = {"desktop_app.cli.sync_cmd", "desktop_app.sync.engine", "desktop_app.slide.synth"}
    assert not imported & others
