"""Local-cache benchmark: interactive edit, 1M bulk insert, viewport query, open time.

Targets (issue "Foundation"): one interactive edit (50-vertex polygon, two terms, rows +
command log, committed) median < 5 ms; bulk insert of 1,000,000 annotations < 60 s;
viewport query returning ~2,000 decoded annotations p95 < 20 ms; the cache opens in
< 200 ms whatever its size.  Prints figures; asserts nothing.

    python benchmarks/store_bench.py [--annotations 1000000] [--dir /tmp/store-bench]
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.services.ontology import TermSpec, create_ontology, term_tree  # noqa: E402
from desktop_app.services.workspace import Workspace  # noqa: E402
from desktop_app.slide.source import SlideInfo  # noqa: E402
from desktop_app.store.annotations import bulk_create, query_viewport  # noqa: E402
from desktop_app.store.edits import create_annotation  # noqa: E402
from desktop_app.store.engine import open_cache  # noqa: E402
from desktop_app.store.uow import Store  # noqa: E402

W, H = 100_000, 80_000
INFO = SlideInfo(W, H, ((W, H),), (1.0,), 0.25, 0.25, 40.0, "aperio", ())


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def setup(path: Path) -> tuple[Store, int, int, int, list[int]]:
    store = Store(open_cache(path))
    ws = Workspace(store)
    user = ws.local_user()
    onto = create_ontology(
        store, "bench", [TermSpec("A", "#ff0000"), TermSpec("B", "#00ff00")], user.pk
    )
    project = ws.local_project("bench", ontology_pk=onto)
    slide = path.with_name("fake.svs")
    slide.write_bytes(b"\0" * 4096)
    image = ws.register_slide(slide, INFO, project_pk=project.pk)
    terms = [t.pk for t in term_tree(store, onto)]
    return store, user.pk, project.pk, image.pk, terms


def bench_edit(store: Store, user_pk: int, image_pk: int, terms: list[int], n: int = 300) -> None:
    rng = np.random.default_rng(0)
    angles = np.linspace(0, 2 * np.pi, 50, endpoint=False)
    times = []
    for _ in range(n):
        cx, cy = rng.uniform(1000, W - 1000), rng.uniform(1000, H - 1000)
        r = rng.uniform(50, 300) * (1 + 0.1 * np.sin(5 * angles))
        poly = shapely.Polygon(np.c_[cx + r * np.cos(angles), cy + r * np.sin(angles)])
        t = time.perf_counter()
        with store.unit_of_work(label="Draw", user_pk=user_pk, scope=f"image:{image_pk}") as uow:
            create_annotation(
                uow, image_pk=image_pk, geometry=poly, user_pk=user_pk, term_pks=terms[:2]
            )
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"interactive edit (50-vertex polygon + 2 terms + command log, committed), n={n}: "
        f"median {statistics.median(times):.2f} ms, p95 {pct(times, 95):.2f} ms  "
        f"[target median < 5 ms]"
    )


def bench_bulk(store: Store, user_pk: int, project_pk: int, image_pk: int, n: int) -> None:
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    centres = np.c_[rng.uniform(0, W, n), rng.uniform(0, H, n)]
    geoms = shapely.buffer(shapely.points(centres), rng.uniform(8, 40, n), quad_segs=2)
    t1 = time.perf_counter()
    with store.unit_of_work(label="Import", user_pk=user_pk) as uow:
        bulk_create(
            uow,
            project_pk=project_pk,
            image_pk=image_pk,
            user_pk=user_pk,
            geometries=geoms,
        )
    t2 = time.perf_counter()
    print(
        f"bulk insert of {n:,} annotations (rows + R*Tree + command log, one transaction): "
        f"{t2 - t1:.1f} s (+{t1 - t0:.1f} s generating geometry)  [target < 60 s for 1M]"
    )


def bench_viewport(store: Store, image_pk: int, n_total: int, runs: int = 200) -> None:
    # a square viewport expected to hold ~2,000 annotations at this density
    side = float(np.sqrt(2000 / n_total * W * H))
    rng = np.random.default_rng(2)
    times, sizes = [], []
    with store.read() as session:
        for _ in range(runs):
            x, y = rng.uniform(0, W - side), rng.uniform(0, H - side)
            t = time.perf_counter()
            page = query_viewport(session, image_pk, (x, y, x + side, y + side))
            times.append((time.perf_counter() - t) * 1000)
            sizes.append(len(page))
    print(
        f"viewport query ({side:.0f} px square, mean {statistics.mean(sizes):.0f} annotations "
        f"decoded with terms), n={runs}: median {statistics.median(times):.2f} ms, "
        f"p95 {pct(times, 95):.2f} ms  [target p95 < 20 ms]"
    )


_OPEN = (
    "import time,sys; t=time.perf_counter(); from pathlib import Path; "
    "from desktop_app.store.engine import open_cache; t1=time.perf_counter(); "
    "e=open_cache(Path(sys.argv[1])); c=e.connect(); c.close(); t2=time.perf_counter(); "
    "print(f'{(t2-t1)*1000:.1f} {(t2-t)*1000:.1f}')"
)


def bench_open(path: Path, runs: int = 5) -> None:
    opens, totals = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _OPEN, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout.split()
        opens.append(float(out[0]))
        totals.append(float(out[1]))
    size = path.stat().st_size / 1e6
    print(
        f"cache open in a fresh process ({size:.0f} MB file): open_cache median "
        f"{statistics.median(opens):.1f} ms (with imports {statistics.median(totals):.0f} ms)"
        f"  [target < 200 ms]"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.dir or Path(tempfile.mkdtemp(prefix="store-bench-"))
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    print(
        f"machine: {platform.node()} {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()} sqlite {__import__('sqlite3').sqlite_version}"
    )
    path = workdir / "cache.sqlite"
    store, user_pk, project_pk, image_pk, terms = setup(path)
    bench_edit(store, user_pk, image_pk, terms)
    bench_bulk(store, user_pk, project_pk, image_pk, args.annotations)
    bench_viewport(store, image_pk, args.annotations)
    store.close()
    bench_open(path)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
