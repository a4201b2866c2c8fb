"""Projects home benchmark: open time with 1,000 projects / 20,000 images, image listing,
and UI-thread stalls while scrolling a 5,000-image grid whose thumbnails load.

Targets (issue 12): the home opens (window built, project list shown) in < 300 ms with
1,000 projects and 20,000 images in the cache; scrolling the grid never blocks the UI
thread (thumbnails are read and decoded on a worker lane).  Prints figures; asserts
nothing.

    python benchmarks/home_bench.py [--projects 1000] [--images 20000] [--annotations 100000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from desktop_app.model.annotation import Annotation  # noqa: E402
from desktop_app.model.base import SyncState, new_uids  # noqa: E402
from desktop_app.model.image import AbstractImage, ImageInstance  # noqa: E402
from desktop_app.model.ontology import Ontology  # noqa: E402
from desktop_app.model.project import Project, ProjectMember  # noqa: E402
from desktop_app.model.security import Access  # noqa: E402
from desktop_app.services.projects import ProjectCatalog  # noqa: E402
from desktop_app.services.workspace import Workspace  # noqa: E402
from desktop_app.store.engine import open_cache  # noqa: E402
from desktop_app.store.uow import Store  # noqa: E402

BIG = 5000  # images in the first project (the grid that is scrolled)
SQUARE = bytes.fromhex(  # WKB of a small square: content does not matter for counting
    "0103000000010000000500000000000000000000000000000000000000000000000000244000000000"
    "00000000000000000000244000000000000024400000000000000000000000000000244000000000"
    "0000000000000000000000000000"
)


def build(path: Path, projects: int, images: int, annotations: int) -> tuple[Store, int]:
    store = Store(open_cache(path))
    me = Workspace(store).local_user().pk
    t0 = time.perf_counter()
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        s.add(Ontology(name="bench"))
        s.flush()
        onto = s.scalar(select(Ontology.pk))
        uids = new_uids(projects)
        s.execute(
            insert(Project),
            [
                {"name": f"Project {n:04d}", "uid": uids[n], "ontology_pk": onto,
                 "server_id": 10_000 + n, "sync_state": SyncState.SYNCED}
                for n in range(projects)
            ],
        )  # fmt: skip
        pks = list(s.scalars(select(Project.pk).order_by(Project.pk)))
        s.execute(
            insert(ProjectMember),
            [{"project_pk": p, "user_pk": me, "access": Access.RW} for p in pks],
        )
        per = [BIG] + [(images - BIG) // (projects - 1)] * (projects - 1)
        a_uids, i_uids = new_uids(images), new_uids(images)
        s.execute(
            insert(AbstractImage),
            [
                {"uid": a_uids[n], "filename": f"slide-{n:05d}.svs", "width": 80_000,
                 "height": 60_000, "physical_size_x": 0.25, "magnification": 40,
                 "server_id": 100_000 + n}
                for n in range(images)
            ],
        )  # fmt: skip
        abstract = list(s.scalars(select(AbstractImage.pk).order_by(AbstractImage.pk)))
        rows, k = [], 0
        for p, count in zip(pks, per, strict=True):
            for _ in range(count):
                if k >= images:
                    break
                rows.append(
                    {"uid": i_uids[k], "base_image_pk": abstract[k], "project_pk": p,
                     "server_id": 200_000 + k, "instance_filename": f"slide-{k:05d}.svs"}
                )  # fmt: skip
                k += 1
        s.execute(insert(ImageInstance), rows)
        inst = list(s.execute(select(ImageInstance.pk, ImageInstance.project_pk)))
        ann_uids = new_uids(annotations)
        s.execute(
            insert(Annotation),
            [
                {"uid": ann_uids[n], "kind": "user", "project_pk": inst[n % len(inst)][1],
                 "image_pk": inst[n % len(inst)][0], "user_pk": me, "location": SQUARE,
                 "geometry_type": "Polygon", "min_x": 0.0, "min_y": 0.0, "max_x": 10.0,
                 "max_y": 10.0}
                for n in range(annotations)
            ],
        )  # fmt: skip
    print(
        f"cache: {projects:,} projects, {images:,} images, {annotations:,} annotations "
        f"(built in {time.perf_counter() - t0:.1f} s, {path.stat().st_size / 1e6:.0f} MB)"
    )
    return store, me


def thumbnails(dir_: Path, store: Store, project_pk: int) -> None:
    """A cached PNG per image of the big project (what a browsed project leaves)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 192), (230, 170, 210)).save(out, "PNG")
    data = out.getvalue()
    dir_.mkdir(parents=True, exist_ok=True)
    with store.read() as s:
        for uid in s.scalars(
            select(ImageInstance.uid).where(ImageInstance.project_pk == project_pk)
        ):
            (dir_ / f"{uid}-256.png").write_bytes(data)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--images", type=int, default=20_000)
    ap.add_argument("--annotations", type=int, default=100_000)
    ap.add_argument("--dir", help="keep the generated cache here and reuse it")
    args = ap.parse_args()
    tmp = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="home-bench-"))
    try:
        run(tmp, args)
    finally:
        if not args.dir:
            shutil.rmtree(tmp, ignore_errors=True)


def run(tmp: Path, args: argparse.Namespace) -> None:
    if (tmp / "cache.sqlite").exists():
        store = Store(open_cache(tmp / "cache.sqlite"))
        me = Workspace(store).local_user().pk
    else:
        tmp.mkdir(parents=True, exist_ok=True)
        store, me = build(tmp / "cache.sqlite", args.projects, args.images, args.annotations)
    catalog = ProjectCatalog(store, tmp / "tiles")
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        rows = catalog.projects()
        times.append(time.perf_counter() - t0)
    print(f"projects query ({len(rows):,} rows): median {statistics.median(times) * 1000:.0f} ms")
    big = rows[0].pk if rows[0].images == BIG else max(rows, key=lambda r: r.images).pk
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        imgs = catalog.images(big)
        times.append(time.perf_counter() - t0)
    print(f"images query ({len(imgs):,} rows): median {statistics.median(times) * 1000:.0f} ms")
    thumbnails(tmp / "thumbnails", store, big)

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from desktop_app.ui.home import install_home

    sys.setswitchinterval(0.0005)  # as the app does: workers must not hold the GIL for 5 ms
    app = QApplication.instance() or QApplication([])
    opens, cpu = [], []
    for _ in range(5):
        cpu0 = time.process_time()
        window = QMainWindow()
        window.menuBar().addMenu("&File").addAction("Quit")
        clock = QElapsedTimer()
        clock.start()
        home = install_home(
            window, store=store, data_dir=tmp, user_pk=me,
            open_image=lambda _pk: None, open_path=lambda _p: None,
        )  # fmt: skip
        window.resize(1280, 800)
        window.show()
        done: list[float] = []
        home.loaded.connect(lambda d=done, c=clock: d.append(c.nsecsElapsed() / 1e6))
        while not done:
            app.processEvents()
        app.processEvents()  # the table painted with its rows
        opens.append(clock.nsecsElapsed() / 1e6)
        cpu.append((time.process_time() - cpu0) * 1000)
        if len(opens) < 5:
            home.shutdown()
            window.close()
    print(
        f"home open -> {home.projects.model.rowCount():,} projects shown: "
        f"median {statistics.median(opens):.0f} ms, max {max(opens):.0f} ms (target < 300 ms); "
        f"CPU used (all threads) median {statistics.median(cpu):.0f} ms"
    )

    # scroll the 5,000-image grid while thumbnails load on the worker lane
    home.open_project(big)
    while home.images.model.rowCount() < BIG:
        app.processEvents()
    grid = home.images.grid
    bar = grid.verticalScrollBar()
    app.processEvents()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    t0, cpu0 = time.perf_counter(), time.process_time()
    steps = 200
    for n in range(steps):
        bar.setValue(int(bar.maximum() * n / steps))
        end = time.perf_counter() + 0.01
        while time.perf_counter() < end:
            app.processEvents()
    while home.thumbnails.busy:
        app.processEvents()
    timer.stop()
    wall, used = time.perf_counter() - t0, time.process_time() - cpu0
    gaps.sort()
    print(
        f"grid scroll, {steps} steps over {BIG:,} images in {wall:.1f} s ({used:.1f} s CPU): "
        "UI-thread gap "
        f"p50 {gaps[len(gaps) // 2]:.1f} ms, p99 {gaps[int(len(gaps) * 0.99)]:.1f} ms, "
        f"max {gaps[-1]:.1f} ms; thumbnails in memory: {len(home.thumbnails._images)}"
    )
    home.shutdown()
    window.close()
    store.close()


if __name__ == "__main__":
    main()
