"""Routing cost: the app's flat route list against the same routes behind ``include_router``.

``create_app`` copies every route module's routes into the app's own list instead of
calling ``app.include_router`` per module.  This measures why: the same signed-less
request (answered 401 by the auth dependency, so only routing and the dependency run)
to a route of the last module, dispatched straight through the ASGI app in-process,
N times each way.  Prints microseconds per request and the machine load.

    PYTHONPATH=. .venv/bin/python benchmarks/route_bench.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from desktop_app.server.app import ROUTE_MODULES, create_app
from desktop_app.server.settings import ServerSettings

#: A route of the last module in ``ROUTE_MODULES`` (the worst case for nested matching).
LATE_PATH = "/api/imagegroup/1.json"


async def _call(app: Any, path: str) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


def _included(app: FastAPI) -> FastAPI:
    """The same app with its module routes behind one ``include_router`` per module."""
    app.router.routes[:] = [
        r
        for r in app.router.routes
        if not getattr(getattr(r, "endpoint", None), "__module__", "").startswith("desktop_app")
    ]
    for module in ROUTE_MODULES:
        app.include_router(module.router)
    return app


async def _time(app: FastAPI, n: int) -> float:
    for _ in range(200):  # warm-up: middleware stack, route caches
        assert await _call(app, LATE_PATH) == 401
    start = time.perf_counter()
    for _ in range(n):
        await _call(app, LATE_PATH)
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=3000)
    args = ap.parse_args()
    logging.disable(logging.WARNING)  # the server logs every 401; not what is measured
    tmp = Path(tempfile.mkdtemp(prefix="route_bench_"))
    apps = {}
    for kind in ("flat", "included"):
        settings = ServerSettings(
            database_url=f"sqlite:///{(tmp / f'{kind}.sqlite').as_posix()}",
            storage_dir=tmp / kind,
        )
        app = create_app(settings)
        apps[kind] = _included(app) if kind == "included" else app
    figures = {}
    for _round in range(3):  # interleaved, best of three: load from other processes
        for kind, app in apps.items():
            us = asyncio.run(_time(app, args.requests))
            figures[kind] = min(figures.get(kind, us), us)
    print(f"load: {os.getloadavg()[0]:.2f} (1-min average)")
    for kind, us in figures.items():
        print(f"{kind:9s} {us:7.1f} us per request to {LATE_PATH}")
    print(f"include_router costs {figures['included'] - figures['flat']:.1f} us a request")


if __name__ == "__main__":
    main()
