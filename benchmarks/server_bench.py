"""Server benchmark (prints figures and PASS/FAIL, asserts nothing): SQLite and PostgreSQL.

1. bulk create of 10,000 annotations (target < 5 s)
2. listing 100,000 annotations of one image with WKT (target < 3 s; time until the whole
   body is received; the client's own JSON parse is printed separately)
3. 50 concurrent clients, mixed reads/writes, for DURATION s (target p95 < 50 ms, no
   error).  Closed loop, no think time: every client sends its next request as soon as
   the previous answer arrives.  The clients run in ``--client-procs`` processes (25
   threads each by default), separate from the server process(es).
4. tile endpoint throughput (target >= 200 tiles/s), 8 client threads, cold then warm.

The server is the real ``workstation server`` subprocess (``--workers`` passed through;
default: the server's own default).  Machine facts and the load average are printed
with each figure, because the machine may be shared.

Usage: python benchmarks/server_bench.py [--backends sqlite,postgres] [--duration 60]
       [--quick] [--workers N] [--client-procs 2]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

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


def load() -> str:
    return "load avg " + " ".join(f"{v:.2f}" for v in os.getloadavg())


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1]) / 1024 / 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem = float("nan")
    return (
        f"machine: nproc {os.cpu_count()}, CPU {cpu}, RAM {mem:.1f} GiB, "
        f"Python {platform.python_version()}, {load()}"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _client_proc(
    base: str, keys: Any, image: int, project: int, threads: int, seed: int, stop: float, q: Any
) -> None:
    """One load-generator process: ``threads`` closed-loop clients until ``stop``."""
    from tests.server.harness import Client

    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(wseed: int) -> None:
        rng = random.Random(wseed)
        c = Client(base, keys)
        while time.time() < stop:
            kind = rng.random()
            t0 = time.perf_counter()
            try:
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
                status = resp.status_code
            except Exception:  # noqa: BLE001 - a failed request is an error, not a crash
                status = -1
            dt = time.perf_counter() - t0
            with lock:
                lat.append(dt)
                if status != 200:
                    errors[0] += 1

    ths = [threading.Thread(target=worker, args=(seed * 1000 + i,)) for i in range(threads)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    q.put((lat, errors[0]))


def bench(backend: str, duration: float, workers: int | None, procs: int) -> dict[str, bool]:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{backend}-"))
    slide = make_slide(tmp / "bench.tiff", 4096, 3072)
    extra = ["--workers", str(workers)] if workers else []
    results: dict[str, bool] = {}
    with running_server(backend, tmp, {"alice": "user"}, extra) as srv:
        a = srv.client("alice")
        project, image = setup(srv, slide)
        print(f"== {backend} ==")

        batch = [{"image": image, "location": poly(i)} for i in range(10_000)]
        t = time.perf_counter()
        r = a.post("/api/annotation.json", batch)
        dt = time.perf_counter() - t
        results["bulk"] = r.status_code == 200 and dt < 5
        print(
            f"bulk create 10,000 annotations: {dt:.2f} s (HTTP {r.status_code}) "
            f"target < 5 s {verdict(results['bulk'])} [{load()}]"
        )

        for k in range(9):  # up to 100,000
            a.post(
                "/api/annotation.json",
                [{"image": image, "location": poly(i + k)} for i in range(10_000)],
            )
        times = []
        for _ in range(2):  # the first read also warms the server's page cache
            t = time.perf_counter()
            r = a.get("/api/annotation.json", params={"image": image, "showWKT": "true", "max": 0})
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        n = r.json()["size"]
        parse = time.perf_counter() - t
        results["list"] = r.status_code == 200 and times[-1] < 3
        print(
            f"list {n} annotations with WKT: {times[-1]:.2f} s (first {times[0]:.2f} s; "
            f"{len(r.content) / 1e6:.1f} MB; client json parse {parse:.2f} s) "
            f"target < 3 s {verdict(results['list'])} [{load()}]"
        )

        stop = time.time() + duration + 2.0  # all processes started by then
        q: Any = mp.get_context("spawn").Queue()
        per = [50 // procs + (1 if i < 50 % procs else 0) for i in range(procs)]
        ps = [
            mp.get_context("spawn").Process(
                target=_client_proc,
                args=(srv.base, srv.users["alice"], image, project, n_th, i, stop, q),
            )
            for i, n_th in enumerate(per)
        ]
        for p in ps:
            p.start()
        lat: list[float] = []
        errors = [0]
        for _ in ps:
            part, err = q.get()
            lat += part
            errors[0] += err
        for p in ps:
            p.join()
        lock = threading.Lock()

        lat.sort()
        p95 = lat[int(len(lat) * 0.95)] * 1000 if lat else float("nan")
        results["concurrent"] = bool(lat) and p95 < 50 and errors[0] == 0
        print(
            f"50 clients x {duration:.0f} s mixed ({procs} client processes): {len(lat)} "
            f"requests, {len(lat) / duration:.0f} req/s, "
            f"p50 {statistics.median(lat) * 1000:.1f} ms, p95 {p95:.1f} ms, "
            f"errors {errors[0]}; target p95 < 50 ms, 0 errors "
            f"{verdict(results['concurrent'])} [{load()}]"
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
            results[f"tiles {label}"] = count[0] == len(keys) and count[0] / dt >= 200
            print(
                f"tiles ({label}): {count[0]}/{len(keys)} in {dt:.2f} s = "
                f"{count[0] / dt:.0f} tiles/s; target >= 200/s "
                f"{verdict(results[f'tiles {label}'])} [{load()}]"
            )
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--duration", type=float, default=60.0, help="concurrent test, s")
    ap.add_argument("--quick", action="store_true", help="15 s concurrent test")
    ap.add_argument("--workers", type=int, default=None, help="server --workers")
    ap.add_argument("--client-procs", type=int, default=2, help="load generator processes")
    args = ap.parse_args()
    duration = 15.0 if args.quick else args.duration
    print(machine())
    print(f"server workers: {args.workers or 'server default'}; concurrent test {duration:.0f} s")
    summary: dict[str, dict[str, bool]] = {}
    for backend in args.backends.split(","):
        if backend == "postgres" and (reason := pg_available()):
            print(f"== postgres SKIPPED: {reason}")
            continue
        summary[backend] = bench(backend, duration, args.workers, max(1, args.client_procs))
    print("== summary")
    for backend, res in summary.items():
        print(f"{backend}: " + ", ".join(f"{k} {verdict(v)}" for k, v in res.items()))


if __name__ == "__main__":
    main()
