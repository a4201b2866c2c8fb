"""``pytest -n N`` hands out whole modules, split by backend, end-to-end first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scheduling import work_unit

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("nodeid", "unit"),
    [
        (
            "tests/e2e/test_review_study.py::test_x[sqlite]",
            "tests/e2e/test_review_study.py[sqlite]",
        ),
        (
            "tests/server/test_rights.py::test_y[postgres-alice]",
            "tests/server/test_rights.py[postgres]",
        ),
        ("tests/ui/test_frame.py::test_z", "tests/ui/test_frame.py"),
        ("tests/core/test_geometry.py::TestRing::test_w[3-4]", "tests/core/test_geometry.py"),
    ],
)
def test_a_unit_is_a_module_per_backend(nodeid: str, unit: str) -> None:
    assert work_unit(nodeid) == unit


_CONFTEST = """
from tests.conftest import pytest_collection_modifyitems, pytest_xdist_make_scheduler
"""
_MODULE = """
import os
import pytest

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with open(os.environ["BUILT_LOG"], "a") as log:
        log.write(__name__ + "\\n")

@pytest.mark.parametrize("n", range(6))
def test_it(built, n):
    pass
"""


def test_a_module_fixture_is_built_once_under_two_workers(tmp_path: Path) -> None:
    """xdist's default round-robin of single tests built it on both workers."""
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text(_CONFTEST)
    for name in ("test_one.py", "test_two.py", "test_three.py"):
        (suite / name).write_text(_MODULE)
    log = tmp_path / "built.log"
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "-q", str(suite)],
        cwd=ROOT,
        env={**os.environ, "BUILT_LOG": str(log), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert sorted(log.read_text().split()) == ["test_one", "test_three", "test_two"]
