"""Two apps in one process share nothing: caches and invalidation belong to each app.

Each app runs on its own SQLite database and storage dir, served by uvicorn in a thread
and spoken to over HTTP; its state is inspected through ``app.state.server``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import select

from desktop_app.model.security import RoleName, User
from desktop_app.server.app import create_app
from desktop_app.server.bootstrap import add_user
from desktop_app.server.counts import annotation_counts
from desktop_app.server.settings import ServerSettings
from desktop_app.server.state import ServerState
from tests.server.harness import Client, Keys, free_port


@contextmanager
def _serving(tmp: Path) -> Iterator[tuple[FastAPI, Client]]:
    """An app on its own SQLite database, served over HTTP, with one user ``alice``."""
    settings = ServerSettings(
        database_url=f"sqlite:///{(tmp / 'server.sqlite').as_posix()}",
        storage_dir=tmp / "storage",
    )
    app = create_app(settings)
    with app.state.write_sessions() as db:
        keys = Keys(**add_user(db, "alice", RoleName.USER))
        db.commit()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield app, Client(f"http://127.0.0.1:{port}", keys)
    finally:
        server.should_exit = True
        thread.join(30)
        app.state.engine.dispose()


def _state(app: FastAPI) -> ServerState:
    state: ServerState = app.state.server
    return state


@pytest.fixture
def two_apps(tmp_path: Path) -> Iterator[tuple[tuple[FastAPI, Client], tuple[FastAPI, Client]]]:
    with _serving(tmp_path / "a") as a, _serving(tmp_path / "b") as b:
        yield a, b


def test_two_apps_share_no_state(two_apps: Any) -> None:
    (app_a, alice_a), (app_b, alice_b) = two_apps
    a, b = _state(app_a), _state(app_b)
    assert a is not b
    assert app_a.state.slide_cache is not app_b.state.slide_cache
    assert alice_a.get("/api/user/current.json").json()["username"] == "alice"
    assert len(a.identities) == 1 and len(b.identities) == 0
    assert alice_b.get("/api/user/current.json").ok
    assert len(b.identities) == 1
    # Feed-backed caches too: counting in A leaves B's counts untouched.
    with app_a.state.read_sessions() as db:
        assert annotation_counts(db, 1) == {}
    assert a.counts and not b.counts


def test_invalidation_in_one_app_leaves_the_other(two_apps: Any) -> None:
    (app_a, alice_a), (app_b, alice_b) = two_apps
    a, b = _state(app_a), _state(app_b)
    assert alice_a.get("/api/user/current.json").ok and alice_b.get("/api/user/current.json").ok
    epoch_b = b.identities.epoch
    # Alice disabled in A's database through A's own sessions: A refuses her at once ...
    with app_a.state.write_sessions() as db:
        db.scalars(select(User).where(User.username == "alice")).one().enabled = False
        db.commit()
    assert len(a.identities) == 0
    assert alice_a.get("/api/user/current.json").status_code == 401
    # ... and B, another server on another database, neither dropped nor lost anything.
    assert b.identities.epoch == epoch_b and len(b.identities) == 1
    assert alice_b.get("/api/user/current.json").ok


def test_listeners_belong_to_the_app_sessions(two_apps: Any) -> None:
    """A commit through a session the app did not make (another app, a plain ``Session``)
    does not run the app's listeners."""
    from sqlalchemy.orm import Session

    (app_a, alice_a), (app_b, _) = two_apps
    a = _state(app_a)
    assert alice_a.get("/api/user/current.json").ok
    epoch = a.identities.epoch
    with app_b.state.write_sessions() as db:
        db.scalars(select(User).where(User.username == "alice")).one().enabled = False
        db.commit()
    with Session(app_a.state.engine) as db:
        db.scalars(select(User).where(User.username == "alice")).one().lastname = "x"
        db.commit()
    assert a.identities.epoch == epoch and len(a.identities) == 1
