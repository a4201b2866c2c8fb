"""Server benchmark (prints figures, asserts nothing): SQLite and PostgreSQL.

1. bulk create of 10,000 annotations (target < 5 s)
2. listing 100,000 annotations of one image with WKT (target < 3 s)
3. 50 concurrent clients, mixed reads/writes, for DURATION s (target p95 < 50 ms, no error)
4. tile endpoint throughput (target >= 200 tiles/s)

Usage: python benchmarks/server_bench.py [--backends sqlite,postgres] [--duration 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.server.harness import Server, pg_available, running_server  # noqa: E402
from tests.server.slide_fixture import make_slide  # noqa: E402


def poly(i: int) -> str:
    x, y = 10 + (i * 37) % 3800, 10 + (i * 53) % 2800
    return f"POLYGON (({x} {y}, {x + 40} {y}, {x + 40} {y + 30}, {x} {y + 30}, {x} {y}))"


def setup(srv: Server, slide: Path) -> tuple[int, int]:
    a = srv.client("alice")
    p = a.post("/api/project.json", {"name": "bench"}).json()["project"]["id"]
    st = a.get("/api/storage.json").json()["collection"][0]["id"]
    with open(slide, "rb") as f:
        r = a.post(
            "/upload", params={"storage": st, "projects": p}, files={"files[]": ("b.tiff", f)}
        )
    return p, r.json()[0]["images"][0]["imageInstances"][0]["id"]


def bench(backend: str, duration: float) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{backend}-"))
    slide = make_slide(tmp / "bench.tiff", 4096, 3072)
    with running_server(backend, tmp, {"alice": "user"}) as srv:
        a = srv.client("alice")
        project, image = setup(srv, slide)
        print(f"== {backend} ==")

        batch = [{"image": image, "location": poly(i)} for i in range(10_000)]
        t = time.perf_counter()
        r = a.post("/api/annotation.json", batch)
        print(
            f"bulk create 10,000 annotations: {time.perf_counter() - t:.2f} s "
            f"(HTTP {r.status_code})"
        )

        for k in range(9):  # up to 100,000
            a.post(
                "/api/annotation.json",
                [{"image": image, "location": poly(i + k)} for i in range(10_000)],
            )
        t = time.perf_counter()
        r = a.get("/api/annotation.json", params={"image": image, "showWKT": "true", "max": 0})
        n = r.json()["size"]
        print(
            f"list {n} annotations with WKT: {time.perf_counter() - t:.2f} s "
            f"({len(r.content) / 1e6:.1f} MB)"
        )

        lat: list[float] = []
        errors = [0]
        stop = time.time() + duration
        lock = threading.Lock()

        def worker(seed: int) -> None:
            rng = random.Random(seed)
            c = srv.client("alice")
            while time.time() < stop:
                kind = rng.random()
                t0 = time.perf_counter()
                if kind < 0.5:
                    x0, y0 = rng.randint(0, 3000), rng.randint(0, 2200)
                    resp = c.get(
                        "/api/annotation.json",
                        params={
                            "image": image,
                            # a viewer's viewport: 1000 x 800 level-0 px
                            "bbox": f"{x0},{y0},{x0 + 1000},{y0 + 800}",
                            "max": 50,
                        },
                    )
                elif kind < 0.7:
                    resp = c.get(f"/api/project/{project}.json")
                elif kind < 0.9:
                    resp = c.post(
                        "/api/annotation.json",
                        {"image": image, "location": poly(rng.randint(0, 9999))},
                    )
                else:
                    resp = c.get(
                        f"/api/project/{project}/changes.json", params={"since": 0, "max": 100}
                    )
                dt = time.perf_counter() - t0
                with lock:
                    lat.append(dt)
                    if resp.status_code != 200:
                        errors[0] += 1

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(50)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        lat.sort()
        p95 = lat[int(len(lat) * 0.95)] * 1000 if lat else float("nan")
        print(
            f"50 clients x {duration:.0f} s mixed: {len(lat)} requests, "
            f"{len(lat) / duration:.0f} req/s, p50 {statistics.median(lat) * 1000:.1f} ms, "
            f"p95 {p95:.1f} ms, errors {errors[0]}"
        )

        # tiles: distinct tiles (cold) then repeated (warm), 8 client threads
        zs = srv.client("alice").get(f"/api/imageinstance/{image}.json").json()["zoom"]
        keys = [
            (z, x, y)
            for z in range(zs + 1)
            for x in range(2**z)
            for y in range(2**z)
            if x * 256 < 4096 / 2 ** (zs - z) and y * 256 < 3072 / 2 ** (zs - z)
        ]
        for label in ("cold", "warm"):
            count = [0]

            def tiles(i: int, count: list[int] = count) -> None:
                c = srv.client("alice")
                for z, x, y in keys[i::8]:
                    rr = c.get(
                        f"/api/imageinstance/{image}/normalized-tile/zoom/{z}/tx/{x}/ty/{y}.jpg"
                    )
                    if rr.status_code == 200:
                        with lock:
                            count[0] += 1

            t = time.perf_counter()
            ths = [threading.Thread(target=tiles, args=(i,)) for i in range(8)]
            for th in ths:
                th.start()
            for th in ths:
                th.join()
            dt = time.perf_counter() - t
            print(
                f"tiles ({label}): {count[0]}/{len(keys)} in {dt:.2f} s = "
                f"{count[0] / dt:.0f} tiles/s"
            )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--duration", type=float, default=60.0)
    args = ap.parse_args()
    for backend in args.backends.split(","):
        if backend == "postgres" and (reason := pg_available()):
            print(f"== postgres SKIPPED: {reason}")
            continue
        bench(backend, args.duration)


if __name__ == "__main__":
    main()
