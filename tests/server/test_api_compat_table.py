"""docs/api.md's compatibility tables are generated from the route table and current."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_compat_table.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("api_compat_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_table_is_current() -> None:
    assert _script().main(["--check"]) == 0, "run: python scripts/api_compat_table.py"


def test_status_follows_the_route_table() -> None:
    script = _script()
    reference = {"Thing": ["GET /api/thing.json", "POST /api/thing/{id}.json"]}
    rows = script._table("Class", reference, {"GET /api/thing.json"})
    assert rows[-1] == "| Thing | partly | `POST /api/thing/{id}.json` |"
    assert script._table("Class", reference, set())[-1].startswith("| Thing | no |")
    served = {"GET /api/thing.json", "POST /api/thing/{}.json"}
    assert script._table("Class", reference, served)[-1] == "| Thing | yes | — |"
    assert "GET /api/tag/{}.json" in script.served_routes()
