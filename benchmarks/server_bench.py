"""Server benchmark (prints figures and PASS/FAIL, asserts nothing): SQLite and PostgreSQL.

1. bulk create of 10,000 annotations (target < 5 s)
2. listing 100,000 annotations of one image with WKT (target < 3 s; time until the whole
   body is received; the client's own JSON parse is printed separately)
3. 50 concurrent clients, mixed reads/writes, for DURATION s (target p95 < 50 ms, no
   error), twice:
   a. "realistic": each client waits an exponential think time (mean ``--think`` s,
      default 0.5 s: a pathologist's viewer issues a viewport query / an annotation
      save after each pan or click, a few per second at most) before every request.
      This is the user-perceived latency the target is about.
   b. "saturation": closed loop, no think time (every client sends its next request as
      soon as the previous answer arrives): a throughput figure; with 50 clients its
      p95 is ~50 / throughput, so p95 < 50 ms there would need > 1000 req/s.
   The clients run in ``--client-procs`` processes (25 threads each by default),
   separate from the server process(es).
4. tile endpoint throughput (target >= 200 tiles/s), 8 client threads, cold then warm,
   then "revalidate" (the same tiles with ``If-None-Match``: 304s).

The server is the real ``workstation server`` subprocess (``--workers`` passed through;
default: the server's own default).  Machine facts and the load average are printed
with each figure, because the machine may be shared.

Usage: python benchmarks/server_bench.py [--backends sqlite,postgres] [--duration 60]
       [--quick] [--workers N] [--client-procs 2]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.server_load import (  # noqa: E402
    LeanClient,
    load,
    machine,
    pct,
    postgres_cpu,
    postgres_cpu_since,
    tree_cpu,
    verdict,
)
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


def _client_proc(
    base: str,
    keys: Any,
    image: int,
    project: int,
    threads: int,
    seed: int,
    stop: float,
    q: Any,
    think: float = 0.0,
) -> None:
    """One load-generator process: ``threads`` clients until ``stop``.

    ``think`` > 0: exponential think time with that mean before each request (open-ish
    loop, like a user); 0: closed loop (saturation).
    """
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(wseed: int) -> None:
        rng = random.Random(wseed)
        c = LeanClient(base, keys)
        while time.time() < stop:
            if think > 0:
                time.sleep(rng.expovariate(1.0 / think))
                if time.time() >= stop:
                    break
            kind = rng.random()
            t0 = time.perf_counter()
            try:
                if kind < 0.5:
                    x0, y0 = rng.randint(0, 3000), rng.randint(0, 2200)
                    status = c.request(
                        "GET",
                        "/api/annotation.json",
                        params={
                            "image": image,
                            # a viewer's viewport: 1000 x 800 level-0 px
                            "bbox": f"{x0},{y0},{x0 + 1000},{y0 + 800}",
                            "max": 50,
                        },
                    )
                elif kind < 0.7:
                    status = c.request("GET", f"/api/project/{project}.json")
                elif kind < 0.9:
                    status = c.request(
                        "POST",
                        "/api/annotation.json",
                        body={"image": image, "location": poly(rng.randint(0, 9999))},
                    )
                else:
                    status = c.request(
                        "GET",
                        f"/api/project/{project}/changes.json",
                        params={"since": 0, "max": 100},
                    )
            except Exception:  # a failed request is an error, not a crash
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


def _concurrent(
    srv: Server, image: int, project: int, duration: float, procs: int, think: float, label: str
) -> bool:
    stop = time.time() + duration + 2.0  # all processes started by then
    ctx = mp.get_context("spawn")
    q: Any = ctx.Queue()
    per = [50 // procs + (1 if i < 50 % procs else 0) for i in range(procs)]
    ps = [
        ctx.Process(
            target=_client_proc,
            args=(srv.base, srv.users["alice"], image, project, n_th, i, stop, q, think),
        )
        for i, n_th in enumerate(per)
    ]
    assert srv.proc is not None
    pg, cpu0 = srv.backend == "postgres", tree_cpu(srv.proc.pid)
    db0 = postgres_cpu() if pg else {}
    for p in ps:
        p.start()
    lat: list[float] = []
    errors = 0
    for _ in ps:
        part, err = q.get()
        lat += part
        errors += err
    for p in ps:
        p.join()
    # The mix's server CPU per request: what the code costs, less load-dependent than p95.
    cpu = f"server CPU {(tree_cpu(srv.proc.pid) - cpu0) / max(1, len(lat)) * 1000:.2f} ms/req"
    cpu += f" + PostgreSQL {postgres_cpu_since(db0) / max(1, len(lat)) * 1000:.2f} ms" if pg else ""
    lat.sort()
    p95 = pct(lat, 0.95)
    ok = bool(lat) and p95 < 50 and errors == 0
    how = (
        f"exponential think time mean {think * 1000:.0f} ms"
        if think > 0
        else "closed loop, no think time = SATURATION throughput"
    )
    print(
        f"50 clients x {duration:.0f} s mixed, {label} ({how}; {procs} client processes): "
        f"{len(lat)} requests, {len(lat) / duration:.0f} req/s, "
        f"p50 {pct(lat, 0.5):.1f} ms, p95 {p95:.1f} ms, p99 {pct(lat, 0.99):.1f} ms, "
        f"max {lat[-1] * 1000 if lat else float('nan'):.1f} ms, errors {errors}; "
        f"target p95 < 50 ms, 0 errors {verdict(ok) if think > 0 else '(throughput figure)'}; "
        f"{cpu} [{load()}]"
    )
    return ok


def _cpu_per_request(srv: Server, image: int, project: int, n: int = 300) -> None:
    """Server CPU (all its processes) per request, sequential requests, by kind.

    Independent of the machine's load, unlike latencies: the figure to compare before /
    after a change on a shared machine.
    """
    assert srv.proc is not None
    c = srv.client("alice")
    rng = random.Random(7)
    tile = f"/api/imageinstance/{image}/normalized-tile/zoom/%d/tx/%d/ty/%d.jpg"

    def viewport() -> Any:
        x0, y0 = rng.randint(0, 3000), rng.randint(0, 2200)
        return c.get(
            "/api/annotation.json",
            params={"image": image, "bbox": f"{x0},{y0},{x0 + 1000},{y0 + 800}", "max": 50},
        )

    kinds = {
        "GET viewport (bbox, max 50)": viewport,
        "GET project": lambda: c.get(f"/api/project/{project}.json"),
        "POST annotation": lambda: c.post(
            "/api/annotation.json", {"image": image, "location": poly(rng.randint(0, 9999))}
        ),
        "GET changes (100)": lambda: c.get(
            f"/api/project/{project}/changes.json", params={"since": 0, "max": 100}
        ),
        "GET tile zoom max (stored JPEG)": lambda: c.get(
            tile % (4, rng.randint(0, 15), rng.randint(0, 11))
        ),
        "GET ping (unsigned)": lambda: c.get("/server/ping"),
    }
    for name, fn in kinds.items():
        for _ in range(20):
            fn()
        pg = srv.backend == "postgres"
        db0 = postgres_cpu() if pg else {}
        cpu0, t0 = tree_cpu(srv.proc.pid), time.perf_counter()
        bad = sum(fn().status_code != 200 for _ in range(n))
        cpu, wall = tree_cpu(srv.proc.pid) - cpu0, time.perf_counter() - t0
        db = f" + PostgreSQL {postgres_cpu_since(db0) / n * 1000:.2f} ms" if pg else ""
        print(
            f"server CPU per request, {name}: {cpu / n * 1000:.2f} ms{db} "
            f"(wall {wall / n * 1000:.2f} ms, {n} sequential, {bad} not 200) [{load()}]"
        )


def _tiles(srv: Server, image: int) -> dict[str, bool]:
    """Distinct tiles (cold), again (warm), again with If-None-Match (revalidate: 304s)."""
    results: dict[str, bool] = {}
    lock = threading.Lock()
    zs = srv.client("alice").get(f"/api/imageinstance/{image}.json").json()["zoom"]
    keys = [
        (z, x, y)
        for z in range(zs + 1)
        for x in range(2**z)
        for y in range(2**z)
        if x * 256 < 4096 / 2 ** (zs - z) and y * 256 < 3072 / 2 ** (zs - z)
    ]
    etags: dict[tuple[int, int, int], str] = {}
    for label in ("cold", "warm", "revalidate"):
        count = [0]
        want_status = 304 if label == "revalidate" else 200

        def tiles(
            i: int, count: list[int] = count, label: str = label, want_status: int = want_status
        ) -> None:
            c = srv.client("alice")
            for key in keys[i::8]:
                z, x, y = key
                headers = {}
                if label == "revalidate" and key in etags:
                    headers["if-none-match"] = etags[key]
                rr = c.get(
                    f"/api/imageinstance/{image}/normalized-tile/zoom/{z}/tx/{x}/ty/{y}.jpg",
                    headers=headers,
                )
                if rr.status_code == want_status:
                    with lock:
                        count[0] += 1
                        if "etag" in rr.headers:
                            etags[key] = rr.headers["etag"]

        t = time.perf_counter()
        ths = [threading.Thread(target=tiles, args=(i,)) for i in range(8)]
        for th in ths:
            th.start()
        for th in ths:
            th.join()
        dt = time.perf_counter() - t
        results[f"tiles {label}"] = count[0] == len(keys) and count[0] / dt >= 200
        print(
            f"tiles ({label}, HTTP {want_status}): {count[0]}/{len(keys)} in {dt:.2f} s = "
            f"{count[0] / dt:.0f} tiles/s; target >= 200/s "
            f"{verdict(results[f'tiles {label}'])} [{load()}]"
        )
    return results


def bench(
    backend: str,
    duration: float,
    workers: int | None,
    procs: int,
    think: float = 0.5,
    only: set[str] | None = None,
) -> dict[str, bool]:
    def want(part: str) -> bool:
        return only is None or part in only

    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{backend}-"))
    slide = make_slide(tmp / "bench.tiff", 4096, 3072)
    extra = ["--workers", str(workers)] if workers else []
    results: dict[str, bool] = {}
    with running_server(backend, tmp, {"alice": "user"}, extra) as srv:
        a = srv.client("alice")
        project, image = setup(srv, slide)
        print(f"== {backend} ==")

        if only is None or only & {"bulk", "list", "think", "saturation", "cpu"}:
            batch = [{"image": image, "location": poly(i)} for i in range(10_000)]
            t = time.perf_counter()
            r = a.post("/api/annotation.json", batch)
            dt = time.perf_counter() - t
            if want("bulk"):
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
        if want("list"):
            times = []
            for _ in range(2):  # the first read also warms the server's page cache
                t = time.perf_counter()
                r = a.get(
                    "/api/annotation.json", params={"image": image, "showWKT": "true", "max": 0}
                )
                times.append(time.perf_counter() - t)
            t = time.perf_counter()
            n = r.json()["size"]
            parse = time.perf_counter() - t
            results["list"] = r.status_code == 200 and times[-1] < 3
            print(
                f"list {n} annotations with WKT: {times[-1]:.2f} s to the last byte "
                f"(first {times[0]:.2f} s; {len(r.content) / 1e6:.1f} MB; "
                f"client json parse {parse:.2f} s) "
                f"target < 3 s {verdict(results['list'])} [{load()}]"
            )

        if want("cpu"):
            _cpu_per_request(srv, image, project)
        if want("think"):
            results["concurrent think"] = _concurrent(
                srv, image, project, duration, procs, think, "realistic"
            )
        if want("saturation"):
            _concurrent(srv, image, project, duration, procs, 0.0, "saturation")

        if want("tiles"):
            results.update(_tiles(srv, image))
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--duration", type=float, default=60.0, help="concurrent test, s")
    ap.add_argument("--quick", action="store_true", help="15 s concurrent test")
    ap.add_argument("--workers", type=int, default=None, help="server --workers")
    ap.add_argument("--client-procs", type=int, default=2, help="load generator processes")
    ap.add_argument("--think", type=float, default=0.5, help="mean think time, s (realistic)")
    ap.add_argument(
        "--only",
        default="",
        help="comma list of bulk,list,cpu,think,saturation,tiles (default: all)",
    )
    args = ap.parse_args()
    duration = 15.0 if args.quick else args.duration
    print(machine())
    print(f"server workers: {args.workers or 'server default'}; concurrent test {duration:.0f} s")
    summary: dict[str, dict[str, bool]] = {}
    for backend in args.backends.split(","):
        backend = {"postgresql": "postgres", "pg": "postgres"}.get(backend, backend)
        if backend not in ("sqlite", "postgres"):
            ap.error(f"unknown backend {backend!r} (sqlite, postgres)")
        if backend == "postgres" and (reason := pg_available()):
            print(f"== postgres SKIPPED: {reason}")
            continue
        only = set(args.only.split(",")) if args.only else None
        summary[backend] = bench(
            backend, duration, args.workers, max(1, args.client_procs), args.think, only
        )
    print("== summary")
    for backend, res in summary.items():
        print(f"{backend}: " + ", ".join(f"{k} {verdict(v)}" for k, v in res.items()))


if __name__ == "__main__":
    main()
