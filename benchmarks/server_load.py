"""The server bench's load-generator client, CPU accounting and machine facts.

Kept apart so the bench itself stays readable; nothing here asserts anything.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import urllib.parse
from email.utils import formatdate
from pathlib import Path
from typing import Any

from desktop_app.server.hmac_auth import sign


class LeanClient:
    """The load generator's HTTP client: one keep-alive ``http.client`` connection.

    ``requests`` costs ~1 ms of client CPU per request, which on a 2-core machine is
    taken from the server being measured.  Every request is still a real HTTP/1.1
    request over 127.0.0.1, HMAC-signed exactly as ``harness.Client`` signs it (4.x
    layout: method, content-MD5, content type, date), with a fresh ``date`` each time.
    """

    def __init__(self, base: str, keys: Any) -> None:
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname or "127.0.0.1", u.port
        self.public, self.private = keys.publicKey, keys.privateKey
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, params: dict[str, Any] | None = None, body: Any = None
    ) -> int:
        if params:
            path = f"{path}?{urllib.parse.urlencode(params)}"
        date = formatdate(usegmt=True)
        headers = {"accept": "application/json, */*", "date": date}
        data = None
        ctype = ""
        if body is not None:
            data = json.dumps(body).encode()
            ctype = headers["content-type"] = "application/json"
        sig = sign(self.private, f"{method}\n\n{ctype}\n{date}")
        headers["authorization"] = f"CYTOMINE {self.public}:{sig}"
        for attempt in (0, 1):
            fresh = self.conn is None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                resp.read()
                return resp.status
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if fresh or attempt:  # only a kept-alive connection closed meanwhile retries
                    raise
        raise AssertionError("unreachable")


def proc_stats() -> list[tuple[int, str, list[str]]]:
    """(pid, command name, the /proc/PID/stat fields after the name) of every live
    process; the fields are 0-based from the state, so ppid is [1], pgrp [2], utime
    [11] and stime [12] (clock ticks)."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            raw = (d / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        out.append((int(d.name), name, raw[raw.rindex(")") + 2 :].split()))
    return out


def tree_cpu(root: int) -> float:
    """User + system CPU seconds of process ``root`` and all its descendants."""
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for pid, _name, fields in proc_stats():
        parent[pid] = int(fields[1])
        ticks[pid] = int(fields[11]) + int(fields[12])
    total = 0
    for pid, t in ticks.items():
        p = pid
        while p and p != root:
            p = parent.get(p, 0)
        if p == root:
            total += t
    return total / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> dict[int, int]:
    """CPU clock ticks (user + system) of every ``postgres`` process, by pid.

    Machine-wide: another job using the same PostgreSQL at the same time adds to it.
    """
    return {
        pid: int(fields[11]) + int(fields[12])
        for pid, name, fields in proc_stats()
        if name == "postgres"
    }


def postgres_cpu_since(before: dict[int, int]) -> float:
    """CPU seconds the ``postgres`` processes used since ``before``.

    Per pid, so a backend that exited meanwhile (another job's connection) does not
    subtract its whole lifetime; its last moments are lost instead.
    """
    now = postgres_cpu()
    used = sum(t - before.get(pid, 0) for pid, t in now.items() if t >= before.get(pid, 0))
    return used / os.sysconf("SC_CLK_TCK")


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


def pct(lat: list[float], q: float) -> float:
    """The ``q`` quantile of sorted latencies (s), in ms."""
    return lat[min(len(lat) - 1, int(len(lat) * q))] * 1000 if lat else float("nan")
