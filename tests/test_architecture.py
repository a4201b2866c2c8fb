"""The layer rules of ARCHITECTURE.md, checked by import-linter on every test run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_qt_import_outside_ui_and_app() -> None:
    """A plain text scan too, so that even a lazy import inside a function is caught."""
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6|pyqtgraph)\b", re.M)
    offenders = []
    for path in (ROOT / "desktop_app").rglob("*.py"):
        rel = path.relative_to(ROOT / "desktop_app").as_posix()
        if rel == "app.py" or rel.startswith("ui/"):
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(rel)
    assert offenders == []
