"""Several server hosts on one PostgreSQL database (issue 17 item 2).

Two ``workstation server`` processes, as on two machines: their own ports, data dirs
and storage dirs (so no marker file is shared: only the database links them), the
same server secret (copied, as an administrator copies it to every host) and the
slide storage on a shared path (``uploads`` and ``attached`` symlinked, as a network
mount).  A write through one is read through the other at once; a revoked membership,
a disabled user and a deleted project are refused by the other within 1 s; a
workstation syncing against A, then B, then A ends with exactly the server's rows.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.e2e.conftest import Ws, account_env, write_geojson
from tests.server.harness import (
    ROOT,
    Client,
    Server,
    cli_command,
    create_pg_database,
    dies_with_test_run,
    drop_pg_database,
    free_port,
    pg_available,
    stop_process_group,
)

#: The bound issue 17 sets on an access change reaching every server process.
REVOKE_BOUND_S = 1.0

pytestmark = pytest.mark.skipif(
    pg_available() is not None and os.environ.get("WORKSTATION_REQUIRE_POSTGRES") != "1",
    reason="several hosts share a PostgreSQL database, which is unavailable",
)


@contextmanager
def _host(data_dir: Path, url: str, storage: Path) -> Iterator[Server]:
    """``workstation server`` as started on one host, until the block ends."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    srv = Server(base=f"http://127.0.0.1:{port}", data_dir=data_dir, database_url=url,
                 backend="postgres")  # fmt: skip
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed below
    args = ["--data-dir", str(data_dir), "server", "--port", str(port), "--database-url", url,
            "--storage-dir", str(storage), "--workers", "1"]  # fmt: skip
    srv.proc = subprocess.Popen(
        [*cli_command(), *args],
        cwd=ROOT,
        preexec_fn=dies_with_test_run(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(srv.base + "/server/ping", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            assert srv.proc.poll() is None and time.monotonic() < deadline, (
                "server did not start:\n" + (data_dir / "server.log").read_text()[-4000:]
            )
            time.sleep(0.1)
        yield srv
    finally:
        stop_process_group(srv.proc)
        log.close()


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    tmp = tmp_path_factory.mktemp("two-hosts")
    url, name = create_pg_database()
    data_a, data_b = tmp / "host-a", tmp / "host-b"
    storage_a, storage_b = data_a / "storage", data_b / "storage"
    try:
        with ExitStack() as stack:
            a = stack.enter_context(_host(data_a, url, storage_a))
            a.add_accounts({"alice": "user", "bob": "user", "carol": "user", "admin": "admin"})
            # Host B: its own data and storage dirs; the secret copied, slides shared.
            storage_b.mkdir(parents=True)
            shutil.copy(data_a / "server-secret.key", data_b / "server-secret.key")
            for shared in ("uploads", "attached"):
                (storage_a / shared).mkdir(parents=True, exist_ok=True)
                (storage_b / shared).symlink_to(storage_a / shared, target_is_directory=True)
            b = stack.enter_context(_host(data_b, url, storage_b))
            b.users = a.users
            yield a, b
    finally:
        drop_pg_database(name)


def _refused_within(client: Client, path: str, since: float) -> float:
    """Seconds from ``since`` until ``client`` is refused ``path`` (401/403/404)."""
    while True:
        status = client.get(path).status_code
        elapsed = time.monotonic() - since
        if status in (401, 403, 404):
            return elapsed
        assert status == 200, status
        assert elapsed < REVOKE_BOUND_S, f"{path} still served {elapsed:.2f} s after the change"
        time.sleep(0.01)


def _project_with_image(host: Server, slide: Path, name: str) -> tuple[int, int]:
    alice = host.client("alice")
    project = alice.post("/api/project.json", {"name": name}).json()["project"]["id"]
    storage = alice.get("/api/storage.json").json()["collection"][0]["id"]
    with open(slide, "rb") as f:
        r = alice.post("/upload", params={"storage": storage, "projects": project},
                       files={"files[]": ("slide.svs", f)})  # fmt: skip
    assert r.status_code == 200, r.text
    return project, r.json()[0]["images"][0]["imageInstances"][0]["id"]


def test_a_write_through_one_host_is_read_through_the_other(
    hosts: tuple[Server, Server], slide_file: Path
) -> None:
    a, b = hosts
    project, image = _project_with_image(a, slide_file, "two hosts")
    alice_b = b.client("alice")
    assert alice_b.get(f"/api/project/{project}.json").json()["name"] == "two hosts"
    # The slide uploaded through A is served by B from the shared storage.
    tile = alice_b.get(f"/api/imageinstance/{image}/window-0-0-256-256.jpg")
    assert tile.status_code == 200 and tile.content[:2] == b"\xff\xd8"
    made = a.client("alice").post(
        "/api/annotation.json",
        {"image": image, "location": "POLYGON((10 10, 60 10, 60 60, 10 60, 10 10))"},
    )
    assert made.status_code == 200, made.text
    ann = made.json()["annotation"]["id"]
    got = alice_b.get(f"/api/annotation/{ann}.json")
    assert got.status_code == 200 and got.json()["location"].startswith("POLYGON")
    assert alice_b.delete(f"/api/annotation/{ann}.json").ok
    assert a.client("alice").get(f"/api/annotation/{ann}.json").status_code == 404
    # The change feed is one: both hosts answer the same rows.
    feed = f"/api/project/{project}/changes.json?since=0"
    assert a.client("alice").get(feed).json() == alice_b.get(feed).json()


def test_access_changes_through_one_host_are_enforced_by_the_other_within_1s(
    hosts: tuple[Server, Server], slide_file: Path
) -> None:
    a, b = hosts
    project, image = _project_with_image(a, slide_file, "revocations")
    alice_a = a.client("alice")
    bob, carol = a.users["bob"].id, a.users["carol"].id
    assert alice_a.post(f"/api/project/{project}/user/{bob}.json").ok
    assert alice_a.post(f"/api/project/{project}/user/{carol}.json").ok
    bob_b, carol_b, alice_b = b.client("bob"), b.client("carol"), b.client("alice")
    tile = f"/api/imageinstance/{image}/normalized-tile/zoom/0/tx/0/ty/0.jpg"
    for c in (bob_b, carol_b, alice_b):  # B now holds cached identities and grants
        assert c.get(f"/api/project/{project}.json").ok and c.get(tile).ok
    timings: dict[str, float] = {}

    # A membership revoked through A: B refuses the project and its tiles.
    t = time.monotonic()
    assert alice_a.delete(f"/api/project/{project}/user/{bob}.json").ok
    timings["membership"] = _refused_within(bob_b, f"/api/project/{project}.json", t)
    timings["membership tiles"] = _refused_within(bob_b, tile, t)
    # A user disabled through A: B refuses every request of theirs.
    assert carol_b.post("/api/annotation.json", {"image": image,
                        "location": "POINT(5 5)"}).ok  # fmt: skip
    t = time.monotonic()
    assert a.client("admin").delete(f"/api/user/{carol}.json").ok
    timings["user"] = _refused_within(carol_b, "/api/user/current.json", t)
    # A project deleted through A: B no longer serves it, nor its tiles, to its owner.
    t = time.monotonic()
    assert alice_a.delete(f"/api/project/{project}.json").ok
    timings["project"] = _refused_within(alice_b, f"/api/project/{project}.json", t)
    timings["project tiles"] = _refused_within(alice_b, tile, t)
    print("refused by the other host after (s):", {k: round(v, 3) for k, v in timings.items()})
    assert max(timings.values()) < REVOKE_BOUND_S


def _server_rows(host: Server, image: int) -> dict[str, str]:
    """uid -> WKT of the image's annotations, as the server lists them."""
    rows = host.client("alice").get(
        "/api/annotation.json", params={"image": image, "showWKT": "true", "showMeta": "true"}
    )
    assert rows.ok, rows.text
    return {r["uid"]: r["location"] for r in rows.json()["collection"]}


def test_sync_stays_exact_when_a_workstation_alternates_between_hosts(
    hosts: tuple[Server, Server], slide_file: Path, tmp_path: Path
) -> None:
    a, b = hosts
    ws = Ws("alice", tmp_path / "ws", account_env(tmp_path))
    ws.run("import", str(slide_file), str(write_geojson(tmp_path / "g1.json", ["T"], n=4)))
    ws.login(a, "alice")
    pushed = ws.run("sync", "--push-local")
    match = re.search(r"on the server as project (\d+)", pushed.stdout)
    assert match, pushed.stdout
    project = int(match.group(1))
    listed = a.client("alice").get(f"/api/project/{project}/imageinstance.json").json()
    [server_image] = [i["id"] for i in listed["collection"]]
    assert a.client("alice").post(f"/api/project/{project}/user/{a.users['bob'].id}.json").ok
    bob_a, bob_b = a.client("bob"), b.client("bob")

    def bob_draws(client: Client, x: int) -> int:
        wkt = f"POLYGON(({x} 900, {x + 40} 900, {x + 40} 940, {x} 940, {x} 900))"
        r = client.post("/api/annotation.json", {"image": server_image, "location": wkt})
        assert r.ok, r.text
        return int(r.json()["annotation"]["id"])

    # Edits on both sides between syncs, each sync against the other host.
    first = bob_draws(bob_b, 100)
    bob_draws(bob_b, 200)
    ws.run("import", str(slide_file), str(write_geojson(tmp_path / "g2.json", ["T"], n=3,
                                                        origin=600)))  # fmt: skip
    ws.login(b, "alice")
    s1 = ws.sync()
    assert s1["exit"] == 0, s1["stderr"]
    assert bob_a.delete(f"/api/annotation/{first}.json").ok
    bob_draws(bob_a, 300)
    ws.run("import", str(slide_file), str(write_geojson(tmp_path / "g3.json", ["T"], n=2,
                                                        origin=300)))  # fmt: skip
    ws.login(a, "alice")
    s2 = ws.sync()
    assert s2["exit"] == 0, s2["stderr"]

    on_a, on_b = _server_rows(a, server_image), _server_rows(b, server_image)
    assert on_a == on_b
    assert len(on_a) == 4 + 2 + 3 - 1 + 1 + 2  # nothing lost, nothing doubled
    assert len(set(on_a.values())) == len(on_a)
    local = _local_uids(ws)
    assert local == set(on_a)


def _local_uids(ws: Ws) -> set[str]:
    from sqlalchemy import select

    from desktop_app.model.annotation import Annotation, AnnotationKind
    from desktop_app.store.engine import open_cache
    from desktop_app.store.uow import Store

    store = Store(open_cache(ws.data / "cache.sqlite"))
    try:
        with store.read() as s:
            rows = s.scalars(
                select(Annotation.uid).where(
                    Annotation.kind == AnnotationKind.USER, Annotation.local_deleted.is_(False)
                )
            ).all()
        out: Any = set(rows)
        assert len(out) == len(rows)
        return set(out)
    finally:
        store.close()
