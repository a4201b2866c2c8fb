"""A part of the server that cannot load stops the server, in words that name it.

The server used to skip a route module that failed to import (its routes then answered
404), create tables with ``create_all`` when the migrations could not be loaded (or when
an environment variable asked for it), and give new users no storage when the image
model failed to import.  Each is now an import the server cannot start without.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from desktop_app.server.app import create_app
from desktop_app.server.settings import ServerSettings
from tests.server.harness import ROOT

#: Run in a fresh interpreter: ``BLOCKED`` cannot be imported (as when a file is missing
#: from an install), then the server app is built.
_PROGRAM = textwrap.dedent(
    """
    import importlib.abc, sys
    from pathlib import Path

    BLOCKED = sys.argv[1]

    class Missing(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    from desktop_app.server.app import create_app
    from desktop_app.server.settings import ServerSettings

    tmp = Path(sys.argv[2])
    create_app(ServerSettings(database_url=f"sqlite:///{tmp / 'db.sqlite'}", storage_dir=tmp))
    print("STARTED")
    """
)


@pytest.mark.parametrize(
    "blocked",
    [
        "desktop_app.server.routes.tags",  # was skipped: its routes answered 404
        "desktop_app.server.routes.scitran",
        "desktop_app.model.migrate",  # was replaced by create_all (no migrations, no stamp)
    ],
)
def test_a_module_that_cannot_load_stops_the_server(blocked: str, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", _PROGRAM, blocked, str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0 and "STARTED" not in run.stdout
    assert run.stderr.rstrip().splitlines()[-1].startswith(("ModuleNotFoundError", "ImportError"))
    assert blocked.rsplit(".", 1)[-1] in run.stderr.rstrip().splitlines()[-1]


def test_the_schema_always_comes_from_the_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The former development switch to ``create_all`` is gone: the database is stamped."""
    monkeypatch.setenv("WORKSTATION_SERVER_SCHEMA", "create_all")
    url = f"sqlite:///{(tmp_path / 'server.sqlite').as_posix()}"
    app = create_app(ServerSettings(database_url=url, storage_dir=tmp_path / "storage"))
    app.state.engine.dispose()
    engine = create_engine(url)
    try:
        assert "alembic_version" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
