"""``workstation tree`` lists each acquisition's and session's devices, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_foundation_cli import workstation
from tests.services.test_scitran_devices import cache_with_devices


def test_tree_lists_devices(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    cache_with_devices(data / "cache.sqlite").close()
    text = workstation("--data-dir", str(data), "tree")
    assert text.returncode == 0, text.stderr
    lines = [line.strip() for line in text.stdout.splitlines()]
    assert lines.count("device GT450 (Leica Aperio GT 450, room 2)") == 2  # H&E and session
    assert lines.count("device NanoZoomer S360") == 2  # IHC and session
    nodes = json.loads(workstation("--data-dir", str(data), "tree", "--json").stdout)
    (session,) = [c for c in nodes[0]["children"] if c["type"] == "session"]
    assert [d["label"] for d in session["devices"]] == ["GT450", "NanoZoomer S360"]
