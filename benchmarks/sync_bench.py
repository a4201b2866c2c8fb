"""Sync engine benchmark: prints figures, asserts nothing.

* push 10,000 new annotations (target < 10 s);
* pull 100,000 annotations into an empty cache (target < 30 s);
* a sync with nothing to do (target < 200 ms);
* the same 10,000 annotations saved with the official cytomine-python-client, one
  request each, against the same server → the speed-up ratio (aim ≥ 20x).

Each figure carries wall time, this process's CPU time, the server's CPU time (its
whole process group, from /proc) and the 1-minute load average: the reference machine
has 2 cores shared with other jobs, so wall time alone mostly measures the neighbours.

Run: ``python benchmarks/sync_bench.py [--pull 100000] [--push 10000]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from server_load import proc_stats  # noqa: E402
from sqlalchemy import select  # noqa: E402

from desktop_app.model.security import User  # noqa: E402
from desktop_app.store.annotations import bulk_create  # noqa: E402
from desktop_app.store.engine import open_cache  # noqa: E402
from desktop_app.store.uow import Store  # noqa: E402
from desktop_app.sync.engine import SyncEngine  # noqa: E402
from desktop_app.sync.transport.http import CytomineClient  # noqa: E402
from tests.server.harness import running_server  # noqa: E402
from tests.server.slide_fixture import make_slide  # noqa: E402


def load() -> str:
    """The 1-minute load average (the machine is shared: every figure carries it)."""
    return f"load {os.getloadavg()[0]:.2f}"


def group_cpu(pgid: int) -> float:
    """User + system CPU seconds of every live process in ``pgid`` (the server's uvicorn
    parent and workers: the harness starts it in its own session)."""
    ticks = sum(int(f[11]) + int(f[12]) for _pid, _name, f in proc_stats() if int(f[2]) == pgid)
    return ticks / os.sysconf("SC_CLK_TCK")


class Clock:
    """Wall, this process's CPU and the server's CPU over a block."""

    def __init__(self, srv: object) -> None:
        self._pgid = srv.proc.pid  # type: ignore[attr-defined]

    def __enter__(self) -> Clock:
        self.t0, self.c0 = time.perf_counter(), time.process_time()
        self.s0 = group_cpu(self._pgid)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.c0
        self.server_cpu = group_cpu(self._pgid) - self.s0

    def __str__(self) -> str:
        return (
            f"wall {self.wall:.2f} s, client CPU {self.cpu:.2f} s, "
            f"server CPU {self.server_cpu:.2f} s, {load()}"
        )


def squares(n: int, size: float = 8.0, width: int = 4000) -> list[object]:
    per_row = int(width // (size + 2))
    xs = (np.arange(n) % per_row) * (size + 2) + 1
    ys = (np.arange(n) // per_row) * (size + 2) + 1
    return list(shapely.box(xs, ys, xs + size, ys + size))


def device(tmp: Path, name: str, srv: object, who: str) -> tuple[Store, SyncEngine]:
    keys = srv.users[who]  # type: ignore[attr-defined]
    store = Store(open_cache(tmp / f"{name}.sqlite"))
    client = CytomineClient(srv.base, keys.publicKey, keys.privateKey, timeout=600)  # type: ignore[attr-defined]
    return store, SyncEngine(store, client, batch=1000)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--push", type=int, default=10_000)
    ap.add_argument("--pull", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        slide = make_slide(tmp / "bench.tiff", 4000, 4000)
        with running_server("sqlite", tmp / "srv", {"alice": "user", "bob": "user"}) as srv:
            run(srv, slide, tmp, args.push, args.pull)


def setup_project(srv: object, slide: Path, name: str) -> tuple[int, int]:
    a = srv.client("alice")  # type: ignore[attr-defined]
    project = a.post("/api/project.json", {"name": name}).json()["project"]["id"]
    assert a.post(f"/api/project/{project}/user/{srv.users['bob'].id}.json").ok  # type: ignore[attr-defined]
    storage = a.get("/api/storage.json").json()["collection"][0]["id"]
    with open(slide, "rb") as f:
        r = a.post(
            "/upload",
            params={"storage": storage, "projects": project},
            files={"files[]": (f"{name}.tiff", f)},
        )
    image = r.json()[0]["images"][0]["imageInstances"][0]["id"]
    return project, image


def bulk_local(store: Store, engine: SyncEngine, image_sid: int, n: int) -> None:
    from desktop_app.model.image import ImageInstance

    with store.read() as s:
        me = s.scalar(select(User.pk).where(User.server_id == engine.client.user_id))
        image_pk, project_pk = s.execute(
            select(ImageInstance.pk, ImageInstance.project_pk).where(
                ImageInstance.server_id == image_sid
            )
        ).one()
    with store.unit_of_work(user_pk=me) as uow:
        bulk_create(
            uow,
            project_pk=project_pk,
            image_pk=image_pk,
            user_pk=me,
            geometries=squares(n),
        )


def run(srv: object, slide: Path, tmp: Path, n_push: int, n_pull: int) -> None:
    project, image = setup_project(srv, slide, "push")
    store, engine = device(tmp, "pusher", srv, "alice")
    engine.run([project])
    bulk_local(store, engine, image, n_push)
    with Clock(srv) as push:
        rep = engine.run([project])
    t_push = push.wall
    print(f"push {n_push} new annotations: {push} ({rep.requests} requests, ok={rep.ok})")
    t0 = time.perf_counter()
    rep = engine.run([project])
    print(
        f"sync with nothing to do: {(time.perf_counter() - t0) * 1000:.0f} ms "
        f"({rep.requests} requests, {rep.writes} writes, {load()})"
    )

    # The official client, one request per annotation, same server, same geometries.
    from cytomine import Cytomine
    from cytomine.models import Annotation

    keys = srv.users["alice"]  # type: ignore[attr-defined]
    from desktop_app.core.geometry import to_cytomine_wkt

    wkts = [to_cytomine_wkt(g, 4000) for g in squares(n_push)]
    cyto = Cytomine(srv.base, keys.publicKey, keys.privateKey, verbose=40)  # type: ignore[attr-defined]
    with cyto, Clock(srv) as official:
        for wkt in wkts:
            Annotation(location=wkt, id_image=image).save()
    print(f"official cytomine-python-client, {n_push} saves one by one: {official}")
    print(
        f"speed-up of the sync push: {official.wall / t_push:.1f}x wall, "
        f"{(official.cpu + official.server_cpu) / (push.cpu + push.server_cpu):.1f}x "
        "CPU (client + server)"
    )

    # Pull: n_pull annotations made on the server by bob (through our push, fast), then
    # an empty cache checks the project out.
    project2, image2 = setup_project(srv, slide, "pull")
    bstore, bengine = device(tmp, "bob", srv, "bob")
    bengine.run([project2])
    bulk_local(bstore, bengine, image2, n_pull)
    t0 = time.perf_counter()
    bengine.run([project2])
    print(f"(setup: pushed {n_pull} in {time.perf_counter() - t0:.1f} s)")
    fresh, fengine = device(tmp, "fresh", srv, "alice")
    with Clock(srv) as pull:
        rep = fengine.run([project2])
    print(
        f"pull {n_pull} annotations into an empty cache: {pull} "
        f"(pulled {rep.pulled}, {rep.requests} requests, ok={rep.ok})"
    )


if __name__ == "__main__":
    main()
