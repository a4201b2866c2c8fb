"""The seams of the team workflow, one test per item of issue 10 (2, 4, 11), each run
with the real ``workstation`` commands against a real server."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.model.annotation import Annotation
from desktop_app.model.security import User
from desktop_app.services.workspace import Workspace
from desktop_app.store.engine import open_cache
from desktop_app.store.uow import Store
from desktop_app.sync.projects.local_upload import local_projects, upload_project
from desktop_app.sync.transport import credentials
from desktop_app.sync.transport.http import CytomineClient
from tests.e2e.conftest import Ws, write_geojson
from tests.server.harness import Server


def _keyring(account: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """This test process's view of the account's keyring (the subprocesses' file)."""
    from keyrings.alt.file import PlaintextKeyring

    monkeypatch.setenv("XDG_DATA_HOME", account["XDG_DATA_HOME"])
    ring = PlaintextKeyring()
    monkeypatch.setattr("keyring.get_keyring", lambda: ring)
    monkeypatch.setattr("keyring.get_password", ring.get_password)
    monkeypatch.setattr("keyring.set_password", ring.set_password)
    monkeypatch.setattr("keyring.delete_password", ring.delete_password)
    return ring


def test_two_data_dirs_keep_their_own_keys(
    sqlite_server: Server,
    workstations: Any,
    account: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """#10.2: bob's login in d2 must not replace alice's key in d1 (same OS account)."""
    alice, bob = workstations("alice"), workstations("bob")
    alice.login(sqlite_server, "alice")
    bob.login(sqlite_server, "bob")
    synced = alice.sync()
    assert synced["exit"] == 0, synced["stderr"]
    assert bob.sync()["exit"] == 0
    bob.run("logout")
    assert alice.sync()["exit"] == 0  # nor does a logout elsewhere

    # An entry written by an older version (named by the URL alone) is still read.
    ring = _keyring(account, monkeypatch)
    url = sqlite_server.base
    ring.delete_password(credentials.SERVICE, credentials.keyring_user(url, alice.data))
    ring.set_password(credentials.SERVICE, url, sqlite_server.users["alice"].privateKey)
    assert alice.sync()["exit"] == 0
    migrated = ring.get_password(credentials.SERVICE, credentials.keyring_user(url, alice.data))
    assert migrated == sqlite_server.users["alice"].privateKey


def test_plain_sync_names_the_fix_for_a_local_project(
    sqlite_server: Server, slide_file: Path, workstations: Any, tmp_path: Path
) -> None:
    """#10.4: the message of a plain sync says how to send a local project."""
    carol: Ws = workstations("carol")
    geo = write_geojson(tmp_path / "c.geojson", ["Tumor", "Stroma"], n=5)
    carol.run("import", str(slide_file), str(geo))
    carol.login(sqlite_server, "carol")
    plain = carol.sync()
    assert plain["exit"] == 1
    line = plain["stderr"].strip()
    assert len(line.splitlines()) == 1
    assert "not sent yet" in line and "'Local slides' (local:" in line
    assert "workstation sync --push-local" in line
    pushed = carol.sync("--push-local")
    assert pushed["exit"] == 0, pushed["stderr"]
    assert carol.sync()["exit"] == 0


def test_upload_project_service_reports_progress_and_cancels(
    sqlite_server: Server, slide_file: Path, workstations: Any, tmp_path: Path
) -> None:
    """#10.4, the seam the GUI's question calls: list, upload with progress, Cancel."""
    ws: Ws = workstations("svc")
    geo = write_geojson(tmp_path / "s.geojson", ["Tumor"], n=3)
    ws.run("import", str(slide_file), str(geo))
    store = Store(open_cache(ws.data / "cache.sqlite"))
    keys = sqlite_server.users["alice"]
    client = CytomineClient(sqlite_server.base, keys.publicKey, keys.privateKey)
    try:
        [project] = local_projects(store, with_changes_only=True)
        assert project.name == "Local slides" and project.images == 1
        assert project.annotations == 3 and project.slide_bytes == slide_file.stat().st_size
        cancel = threading.Event()
        cancel.set()
        stopped = upload_project(store, client, project.pk, cancel=cancel)
        assert stopped.error_kind == "cancelled" and stopped.pending > 0
        seen: list[str] = []
        done = upload_project(store, client, project.pk, progress=lambda p, n, t: seen.append(p))
        assert done.ok, done.reason()
        assert done.uploaded == 1 and {"upload", "push", "pull"} <= set(seen)
        assert local_projects(store) == []
    finally:
        client.close()
        store.close()


def test_login_makes_the_server_user_the_author(
    sqlite_server: Server, slide_file: Path, workstations: Any, tmp_path: Path
) -> None:
    """#10.11: after login the cache's user is the server user, also for earlier work."""
    ws: Ws = workstations("who")
    ws.run("import", str(slide_file), str(write_geojson(tmp_path / "w.geojson", ["Tumor"], n=2)))
    os_user = _author_names(ws.data)
    assert os_user and os_user != {"alice"}
    ws.login(sqlite_server, "alice")
    assert _author_names(ws.data) == {"alice"}
    store = Store(open_cache(ws.data / "cache.sqlite"))
    try:
        me = Workspace(store).local_user()
        assert me.username == "alice" and me.server_id == sqlite_server.users["alice"].id
    finally:
        store.close()
    pushed = ws.sync("--push-local")
    assert pushed["exit"] == 0, pushed["stderr"]
    assert _author_names(ws.data) == {"alice"}  # the pull keeps it so


def _author_names(data: Path) -> set[str]:
    store = Store(open_cache(data / "cache.sqlite"))
    try:
        with store.read() as s:
            return set(
                s.scalars(
                    select(User.username)
                    .join(Annotation, Annotation.user_pk == User.pk)
                    .where(Annotation.local_deleted.is_(False))
                )
            )
    finally:
        store.close()
