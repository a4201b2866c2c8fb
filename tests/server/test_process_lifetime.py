"""A server started by the tests dies with the test run, even one killed with SIGKILL.

A "pytest-like" parent (a Python process that starts ``workstation server --workers 2``
the way the test harness does) is killed with SIGKILL while the server serves; the
server and its uvicorn workers must be gone within seconds, and the port closed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from tests.server.harness import ROOT, dies_with_test_run

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")

_PARENT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from tests.server.harness import running_server

    with running_server("sqlite", Path(sys.argv[1]), {}, ["--workers", "2"]) as srv:
        print(srv.proc.pid, srv.base, flush=True)
        sys.stdin.read()  # serve until killed
    """
)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _describe(pid: int) -> str:
    try:
        return f"{pid}: " + Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")[:120]
    except FileNotFoundError:
        return f"{pid}: gone"


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except FileNotFoundError:
            continue
    return out


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _answers(base: str) -> bool:
    try:
        return requests.get(base + "/server/ping", timeout=1).ok
    except requests.RequestException:
        return False


def test_a_server_dies_with_a_parent_killed_by_sigkill(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=dies_with_test_run(),
    )
    try:
        assert parent.stdout is not None
        pid_text, base = parent.stdout.readline().split()
        server = int(pid_text)
        assert _answers(base)
        _wait_for(lambda: len(_children(server)) >= 2, 60, "the two workers did not start")
        processes = {server, *_children(server)}
        assert all(_alive(p) for p in processes)

        parent.send_signal(signal.SIGKILL)
        parent.wait(10)

        _wait_for(
            lambda: not any(_alive(p) for p in processes),
            20,
            f"outlived the run: {[_describe(p) for p in sorted(processes) if _alive(p)]}",
        )
        assert not _answers(base)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
