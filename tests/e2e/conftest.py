"""End-to-end fixtures: a real ``workstation server`` and workstations that are data dirs.

Every step a user takes is the real ``workstation`` command in a subprocess (``Ws.run``),
with the data dir given by ``--data-dir`` and ONE keyring shared by all data dirs, as on
one OS account (``PYTHON_KEYRING_BACKEND`` = keyrings.alt's plaintext file under a
shared ``XDG_DATA_HOME``), so a login in one data dir can be seen to leave the others
alone.  The server is started as a user would start it, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.server.harness import (
    ROOT,
    Server,
    cli_command,
    dies_with_test_run,
    pg_available,
    running_server,
)
from tests.server.slide_fixture import make_slide

TEAM = {"alice": "user", "bob": "user", "carol": "user"}


#: Seconds per e2e test (server start-up included): each step is a real process, and a
#: loaded 2-core CI machine can make a minute's work take several.
E2E_TIMEOUT_S = 900


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid.replace("\\", "/") and not item.get_closest_marker(
            "timeout"
        ):
            item.add_marker(pytest.mark.timeout(E2E_TIMEOUT_S))


def postgres_param() -> list[Any]:
    """The backend of a walk that runs once, on PostgreSQL: each walk takes minutes of
    ``workstation`` processes, the server tests already cover both backends route by
    route, and SQLite keeps its own whole walks (two readers, the seams, multi-host).
    Without a PostgreSQL (and not required to have one) the walk runs on SQLite rather
    than not at all."""
    if pg_available() is None or os.environ.get("WORKSTATION_REQUIRE_POSTGRES") == "1":
        return [pytest.param("postgres", id="postgres")]
    return [pytest.param("sqlite", id="sqlite")]


@dataclass
class Ws:
    """One workstation: a data dir on the shared OS account."""

    name: str
    data: Path
    env: dict[str, str]

    def run(self, *args: str, check: bool = True, timeout: float = 120) -> Any:
        out = subprocess.run(
            [*cli_command(), "--data-dir", str(self.data), *args],
            cwd=ROOT,
            preexec_fn=dies_with_test_run(),
            text=True,
            capture_output=True,
            env=self.env,
            timeout=timeout,
        )
        if check:
            assert out.returncode == 0, f"{self.name}: workstation {' '.join(args)}\n{out.stderr}"
        return out

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)

    def login(self, server: Server, who: str) -> None:
        k = server.users[who]
        out = self.run(
            "login",
            "--server",
            server.base,
            "--public-key",
            k.publicKey,
            "--private-key",
            k.privateKey,
        )
        assert f"as {who}" in out.stdout

    def sync(self, *args: str) -> dict[str, Any]:
        out = self.run("sync", *args, "--json", check=False)
        summary: dict[str, Any] = json.loads(out.stdout) if out.stdout.strip() else {}
        summary["exit"], summary["stderr"] = out.returncode, out.stderr
        return summary


def account_env(root: Path) -> dict[str, str]:
    """The environment of one OS account: one keyring for all its data dirs."""
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = str(root / "xdg")
    env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("WORKSTATION_DATA_DIR", None)
    return env


@pytest.fixture
def account(tmp_path: Path) -> dict[str, str]:
    return account_env(tmp_path)


@pytest.fixture
def workstations(tmp_path: Path, account: dict[str, str]) -> Any:
    def make(name: str) -> Ws:
        return Ws(name, tmp_path / f"ws-{name}", account)

    return make


@pytest.fixture(scope="session")
def slide_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The biopsy every end-to-end module imports: generated once per worker, never written."""
    return make_slide(tmp_path_factory.mktemp("e2e-slides") / "biopsy.svs", 1500, 1100, seed=4)


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One SQLite server for the per-item tests of a module."""
    tmp = tmp_path_factory.mktemp("e2e-server")
    with running_server("sqlite", tmp, TEAM, ["--access-log", "--workers", "1"]) as srv:
        yield srv


def server_cli(server: Server, *args: str, env: dict[str, str] | None = None) -> Any:
    """``workstation server ...`` on the server's own data dir and database."""
    return subprocess.run(
        [*cli_command(), "--data-dir", str(server.data_dir), "server", *args],
        cwd=ROOT,
        preexec_fn=dies_with_test_run(),
        text=True,
        capture_output=True,
        env=env or dict(os.environ),
        timeout=120,
    )


def write_geojson(path: Path, classes: list[str], *, n: int = 6, origin: int = 100) -> Path:
    """A QuPath FeatureCollection: ``n`` squares cycling through ``classes``."""
    features = []
    for i in range(n):
        x, y = origin + (i % 3) * 150, origin + (i // 3) * 150
        ring = [[x, y], [x + 100, y], [x + 100, y + 100], [x, y + 100], [x, y]]
        name = classes[i % len(classes)]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "objectType": "annotation",
                    "classification": {"name": name, "color": [200, 40 * (i % 5), 60]},
                    "metadata": {"batch": "e2e", "index": str(i)},
                },
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


__all__ = [
    "TEAM",
    "Ws",
    "account_env",
    "postgres_param",
    "server_cli",
    "write_geojson",
]
