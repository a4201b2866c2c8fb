"""The official client's own test suite, run unchanged against our server.

The files under ``tests/vendor/cytomine_client/tests`` are the cytomine-python-client
4.3.0 tests (cytomine/cytomine ``clients/python/tests`` at the 4.3.0 release commit),
copied byte for byte. Their ``connect`` fixture reads the host and keys from pytest
options, so the only thing this test supplies is those connection settings: it runs the
suite in a subprocess against a live server, as a Cytomine superadmin would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.server.harness import Server

VENDOR = Path(__file__).resolve().parents[1] / "vendor" / "cytomine_client"

#: Tests of the 4.3.0 suite that our server cannot pass, each with the reason.
#: Everything else must pass; the set is checked both ways so a fix shows up here.
KNOWN_FAILURES: dict[str, str] = {
    "tests/test_image.py::TestAbstractSlice::test_abstract_slice": (
        "the test itself calls AbstractSlice(...) with 6 positional arguments where the "
        "4.3.0 model takes 5: TypeError before any request is made"
    ),
}


def run_client_suite(server: Server, who: str = "root") -> tuple[dict[str, str], str]:
    """Run the vendored suite; return {test id: outcome} and the full output."""
    keys = server.users[who]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests",
            "-p",
            "no:cacheprovider",
            "-rA",
            "-q",
            "--host",
            server.base,
            "--public_key",
            keys.publicKey,
            "--private_key",
            keys.privateKey,
        ],
        cwd=VENDOR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = proc.stdout + proc.stderr
    outcomes: dict[str, str] = {}
    for m in re.finditer(r"^(PASSED|FAILED|ERROR) (tests/\S+)", out, re.M):
        outcomes.setdefault(m.group(2), m.group(1))
    return outcomes, out


def test_client_suite_passes(server: Server) -> None:
    outcomes, out = run_client_suite(server)
    # 59 tests, one skipped by the suite itself
    assert len(outcomes) >= 58, out[-4000:]
    bad = {t: o for t, o in outcomes.items() if o in ("FAILED", "ERROR")}
    unexpected = {t: o for t, o in bad.items() if t not in KNOWN_FAILURES}
    fixed = [t for t in KNOWN_FAILURES if outcomes.get(t) == "PASSED"]
    summary = f"{sum(o == 'PASSED' for o in outcomes.values())} passed, {len(bad)} failed"
    assert not unexpected, f"{summary}: {sorted(unexpected)}\n{out[-6000:]}"
    assert not fixed, f"now passing, drop from KNOWN_FAILURES: {fixed}"
