"""The layer rules of ARCHITECTURE.md, checked by import-linter on every test run; and the
static checks (ruff, mypy) as tests, so the Quick start's test command runs them too."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Set by .ci/run after it ran ruff and mypy itself, first (not twice in one CI run).
static_checked = pytest.mark.skipif(
    os.environ.get("WORKSTATION_STATIC_CHECKED") == "1",
    reason=".ci/run ran ruff and mypy before the suite",
)


def _tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name(name)), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@static_checked
def test_ruff_lint_and_format_are_clean() -> None:
    """pyproject's rules: pycodestyle, pyflakes, bugbear, ..., no unused noqa, McCabe 15."""
    paths = ("desktop_app", "tests", "benchmarks")
    lint = _tool("ruff", "check", *paths)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = _tool("ruff", "format", "--check", *paths)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@static_checked
def test_mypy_is_clean() -> None:
    """pyproject's [tool.mypy]: strict for core, model, store and protocol."""
    result = _tool("mypy")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr


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


def _function_imports(tree: ast.AST) -> list[tuple[ast.AST, ast.stmt]]:
    """(function, first import statement inside it) for every function that imports."""
    out = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = [
                n
                for n in ast.walk(fn)
                if isinstance(n, ast.Import | ast.ImportFrom) and n is not fn
            ]
            if inner:
                out.append((fn, min(inner, key=lambda n: n.lineno)))
    return out


def test_imports_inside_functions_say_why() -> None:
    """An import inside a function hides a dependency (and can hide a cycle from the
    contracts' readers): only an optional or heavy dependency may be imported there, and a
    comment on the import or right above the function's first one says which."""
    offenders = []
    for path in sorted((ROOT / "desktop_app").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for fn, first in _function_imports(ast.parse("\n".join(lines))):
            here, above = lines[first.lineno - 1], lines[first.lineno - 2].strip()
            if "#" not in here and "#" not in above:
                rel = path.relative_to(ROOT).as_posix()
                offenders.append(f"{rel}:{first.lineno} in {getattr(fn, 'name', '?')}")
    assert offenders == []


#: Modules allowed to import another module's private name, with the reason.
_PRIVATE_IMPORTS: dict[str, str] = {}


def test_no_module_imports_another_modules_private_names() -> None:
    """A leading underscore says "used in this module only": a name other modules need is
    part of its module's interface and is named so, or the module's reader cannot tell
    what changing it breaks."""
    offenders = []
    for path in sorted((ROOT / "desktop_app").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in _PRIVATE_IMPORTS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level > 0 or (node.module or "").startswith("desktop_app"):
                private = [a.name for a in node.names if re.fullmatch(r"_[^_].*", a.name)]
                offenders += [f"{rel}:{node.lineno} {name}" for name in private]
    assert offenders == []


#: Names that start a thread or a process pool; ``threading.Timer`` below too.
_THREAD_STARTERS = frozenset(
    {"Thread", "ThreadPoolExecutor", "ProcessPoolExecutor", "QThread", "QThreadPool",
     "start_new_thread", "Process", "Pool"}
)  # fmt: skip
#: UI modules allowed to start threads, with the reason.  The viewer's tile loader and
#: the review prefetch use ``slide.loader.TileLoader``, whose pool lives in the slide
#: layer (no Qt), so they need no entry here.
_THREAD_OWNERS = {
    "desktop_app/ui/lanes.py": "the Lane: the UI's one threading abstraction",
}


def _starts_thread(node: ast.AST) -> bool:
    """Whether ``node`` names a thread or pool starter, or imports one."""
    if isinstance(node, ast.Attribute):
        timer = node.attr == "Timer" and getattr(node.value, "id", None) == "threading"
        return node.attr in _THREAD_STARTERS or timer
    if isinstance(node, ast.Name):
        return node.id in _THREAD_STARTERS
    if isinstance(node, ast.Import | ast.ImportFrom):
        module = getattr(node, "module", None)
        for alias in node.names:
            top = (module or alias.name).split(".")[0]
            timer = module == "threading" and alias.name == "Timer"
            if top in {"multiprocessing", "_thread"} or timer:
                return True
            if isinstance(node, ast.ImportFrom) and alias.name in _THREAD_STARTERS:
                return True
    return False


def _thread_starts(tree: ast.AST) -> list[int]:
    """Line numbers where ``tree`` starts (or imports what starts) a thread or a pool."""
    nodes = ast.walk(tree)
    return [n.lineno for n in nodes if isinstance(n, ast.expr | ast.stmt) and _starts_thread(n)]


def test_ui_threads_come_from_lanes_only() -> None:
    """Work leaves the UI thread on a ``Lane`` (results delivered on the UI thread, errors
    in user terms, cancel and progress in one place), never on a thread of its own."""
    offenders = []
    for path in sorted((ROOT / "desktop_app" / "ui").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in _THREAD_OWNERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{rel}:{line}" for line in _thread_starts(tree)]
    assert offenders == []


def test_the_thread_scan_sees_every_way_to_start_one() -> None:
    """The scan above is only as good as what it recognises."""
    starts = [
        "import threading\nthreading.Thread(target=print).start()",
        "from threading import Thread",
        "import threading\nthreading.Timer(1, print)",
        "from concurrent import futures\nfutures.ThreadPoolExecutor()",
        "from concurrent.futures import ThreadPoolExecutor",
        "from PySide6.QtCore import QThread",
        "import multiprocessing",
        "from multiprocessing import get_context",
    ]
    for code in starts:
        assert _thread_starts(ast.parse(code)), code
    harmless = "import threading\nlock = threading.Lock()\nfrom PySide6.QtCore import QTimer"
    assert _thread_starts(ast.parse(harmless)) == []
