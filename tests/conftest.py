"""Suite-wide settings: headless Qt, an isolated keyring, and PostgreSQL in CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.scheduling import long_first, make_scheduler

# Before anything imports Qt: the suite runs without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch the developer's real keyring from tests.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")

#: Third-party test files run only through their own runner test, never collected here.
collect_ignore = ["vendor"]


def postgres_reachable(url: str = "host=127.0.0.1 port=5432 user=postgres dbname=postgres") -> bool:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return True
    except Exception:
        return False


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI (WORKSTATION_REQUIRE_POSTGRES=1) a missing PostgreSQL fails the run loudly."""
    if os.environ.get("WORKSTATION_REQUIRE_POSTGRES") == "1" and not postgres_reachable():
        pytest.exit(
            "PostgreSQL on 127.0.0.1:5432 is required (WORKSTATION_REQUIRE_POSTGRES=1)"
            " but unreachable",
            returncode=3,
        )


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by fixture parameter
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    long_first(items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``-n N``: workers run whole modules, longest first (tests/scheduling.py)."""
    if config.getoption("dist") != "load":  # another --dist (each, loadfile, ...) is left alone
        return None
    return make_scheduler(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed test that used a live server gets that server's tracebacks in its report:
    a 500 seen by the client is explained by the server's log, which is gone once the
    run's temporary directories are cleaned up."""
    report = yield
    server = getattr(item, "funcargs", {}).get("server")
    log = getattr(server, "data_dir", None)
    if report.failed and log is not None and (log / "server.log").is_file():
        text = (log / "server.log").read_text(errors="replace")
        start = text.find("Traceback")
        if start >= 0:
            report.sections.append(("server log (from its first traceback)", text[start:][-8000:]))
    return report


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[object]:
    """A fresh cache with a user, an ontology (Tissue > Tumor, Stroma) and one image."""
    from tests.scene import build_scene

    slide_file = tmp_path / "slide.svs"
    slide_file.write_bytes(b"not really a slide, the store never reads pixels" * 100)
    s = build_scene(tmp_path / "cache.sqlite", slide_file)
    yield s
    s.store.close()
