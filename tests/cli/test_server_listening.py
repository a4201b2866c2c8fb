"""The server's "listening on" line is true when it is printed: a client that connects
at once (as the README's team workflow does) is served, not refused, even while the
workers are still starting."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import requests

from tests.server.harness import dies_with_test_run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_request_right_after_the_listening_line_is_served(tmp_path: Path) -> None:
    port = _free_port()
    cmd = [sys.executable, "-m", "desktop_app.cli", "--data-dir", str(tmp_path)]
    proc = subprocess.Popen(
        [*cmd, "server", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=dies_with_test_run(),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on" in line, line
        r = requests.get(f"http://127.0.0.1:{port}/server/ping.json", timeout=60)
        assert r.status_code == 200, r.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
