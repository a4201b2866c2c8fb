"""Sync test fixtures: a real server process, real SQLite caches, the fault proxy.

The server is the ``workstation server`` subprocess (as in tests/server), restartable
on the same port and data so "server killed mid-sync" can be tested; each client is a
cache file in a tmp dir plus a ``CytomineClient`` (optionally through the proxy).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from desktop_app.model.base import SyncState
from desktop_app.model.security import User
from desktop_app.store.engine import open_cache
from desktop_app.store.outbox import check_outbox
from desktop_app.store.uow import Store
from desktop_app.sync.engine import SyncEngine, SyncReport
from desktop_app.sync.transport.http import CytomineClient
from tests.server.harness import ROOT, Keys, Server, cli_command, dies_with_test_run, free_port
from tests.server.slide_fixture import make_slide
from tests.sync.proxy import FaultProxy

USERS = {"alice": "user", "bob": "user", "carol": "user", "dave": "user"}


class SyncServer(Server):
    """A ``workstation server`` process that can be killed and started again."""

    port: int = 0

    def start(self) -> None:
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - owned by the process
        self.proc = subprocess.Popen(
            [
                *cli_command(),
                "--data-dir",
                str(self.data_dir),
                "server",
                "--port",
                str(self.port),
                "--database-url",
                self.database_url,
                "--storage-dir",
                str(self.data_dir / "storage"),
            ],
            cwd=ROOT,
            preexec_fn=dies_with_test_run(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() takes the workers too
        )
        deadline = time.time() + 60
        while True:
            try:
                if requests.get(self.base + "/server/ping", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError((self.data_dir / "server.log").read_text()[-3000:])
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the server and its uvicorn workers, as a crash or power loss would."""
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    tmp = tmp_path_factory.mktemp("sync-server")
    srv = SyncServer(
        base="", data_dir=tmp, database_url=f"sqlite:///{tmp / 'server.sqlite'}", backend="sqlite"
    )
    srv.add_accounts(USERS)
    srv.port = free_port()
    srv.base = f"http://127.0.0.1:{srv.port}"
    srv.start()
    try:
        yield srv
    finally:
        srv.kill()


def make_world(server: Server, slide: Path, name: str) -> dict[str, int]:
    """A project of alice's with bob, carol and dave as rw members, 3 terms, one image.

    Its images are downloadable (``areImagesDownloadable``), so members may keep the
    file for offline work; without it only project admins may (docs/api.md §4)."""
    a = server.client("alice")
    onto = a.post("/api/ontology.json", {"name": f"onto-{name}"}).json()["ontology"]["id"]
    terms = [
        a.post("/api/term.json", {"name": n, "color": "#FF0000", "ontology": onto}).json()["term"][
            "id"
        ]
        for n in ("tumor", "stroma", "necrosis")
    ]
    body = {"name": name, "ontology": onto, "areImagesDownloadable": True}
    project = a.post("/api/project.json", body).json()["project"]["id"]
    for who in ("bob", "carol", "dave"):
        assert a.post(f"/api/project/{project}/user/{server.users[who].id}.json").ok
    _, uploaded = a.upload_slide(slide, project, f"{name}.tiff")
    image = uploaded["imageInstances"][0]["id"]
    return {"project": project, "ontology": onto, "terms": terms, "image": image}


@pytest.fixture(scope="session")
def slide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_slide(tmp_path_factory.mktemp("slides") / "s.tiff", 1200, 900)


_worlds = 0


@pytest.fixture
def world(server: SyncServer, slide: Path) -> dict[str, Any]:
    """A fresh project per test, so tests never see each other's annotations."""
    global _worlds
    _worlds += 1
    return make_world(server, slide, f"w{_worlds}-{os.getpid()}")


@pytest.fixture(autouse=True)
def _isolated_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """keyrings.alt writes under XDG_DATA_HOME: keep it inside the test's tmp dir."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")


@dataclass
class Device:
    """One workstation: a cache, a client (maybe through the proxy), an engine."""

    name: str
    store: Store
    client: CytomineClient
    keys: Keys

    @property
    def engine(self) -> SyncEngine:
        return SyncEngine(self.store, self.client, batch=50)

    def sync(self, projects: list[int] | None = None) -> SyncReport:
        return self.engine.run(projects)

    def me(self) -> int:
        with self.store.read() as s:
            pk = s.scalar(select(User.pk).where(User.server_id == self.keys.id))
            assert pk is not None
            return int(pk)


def make_device(tmp: Path, name: str, keys: Keys, base: str, **kw: Any) -> Device:
    store = Store(open_cache(tmp / f"{name}.sqlite"))
    client = CytomineClient(base, keys.publicKey, keys.privateKey, timeout=10, **kw)
    dev = Device(name, store, client, keys)
    with dev.store.unit_of_work(undoable=False) as uow:  # what `workstation login` does
        uow.session.add(User(username=f"{name}-os-user", sync_state=SyncState.LOCAL))
    SyncEngine(store, client)._link_me({"id": keys.id, "username": keys.username})
    return dev


@pytest.fixture
def devices(tmp_path: Path, server: SyncServer) -> Iterator[dict[str, Any]]:
    made: list[Device] = []

    def factory(name: str, user: str, base: str | None = None, **kw: Any) -> Device:
        dev = make_device(tmp_path, name, server.users[user], base or server.base, **kw)
        made.append(dev)
        return dev

    yield {"new": factory}
    try:
        for dev in made:
            assert_outbox_consistent(dev.store, dev.name)
    finally:
        for dev in made:
            dev.client.close()
            dev.store.close()


def assert_outbox_consistent(store: Store, name: str = "cache") -> None:
    """The outbox invariant (store/outbox.py) holds on this cache: checked after every test."""
    with store.read() as s:
        report = check_outbox(s)
    assert report.ok, f"{name}: " + "; ".join(
        f"{p.table} {p.pk}: {p.detail}" for p in report.problems[:10]
    )


@pytest.fixture(autouse=True)
def _cli_caches_consistent(tmp_path: Path) -> Iterator[None]:
    """Every cache a test made under its tmp dir (the CLI's ``--data-dir``s) is checked too."""
    yield
    for path in sorted(tmp_path.rglob("cache.sqlite")):
        store = Store(open_cache(path))
        try:
            assert_outbox_consistent(store, str(path.parent.name))
        finally:
            store.close()


@pytest.fixture
def proxy(server: SyncServer) -> Iterator[FaultProxy]:
    p = FaultProxy("127.0.0.1", server.port)
    p.start()
    try:
        yield p
    finally:
        p.stop()


__all__ = [
    "Device",
    "SyncServer",
    "SyncState",
    "assert_outbox_consistent",
    "make_device",
    "make_world",
]
