"""Fixtures for the data-model tests: real SQLite files, and PostgreSQL when reachable."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

import desktop_app.model as model
from desktop_app.model.migrate import upgrade_to_head

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def sqlite_engine(path: Path, *, durable: bool = True) -> Engine:
    """A file-backed SQLite engine with foreign keys on, as the cache opens it.

    ``durable=False`` skips fsync: pysqlite autocommits each CREATE TABLE, and 70
    fsyncs make building a template take seconds on a loaded machine.
    """
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _fk_on(dbapi_conn, _record) -> None:
        dbapi_conn.execute("PRAGMA foreign_keys=ON")
        if not durable:
            dbapi_conn.execute("PRAGMA synchronous=OFF")

    return engine


@pytest.fixture(scope="session")
def _created_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "created.db"
    engine = sqlite_engine(path, durable=False)
    model.Base.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database per run; tests copy it (migrating costs ~0.5 s)."""
    path = tmp_path_factory.mktemp("tpl") / "migrated.db"
    engine = sqlite_engine(path, durable=False)
    upgrade_to_head(engine)
    engine.dispose()
    return path


@pytest.fixture
def engine(_created_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite file holding the full schema (from ``create_all``)."""
    path = tmp_path / "cache.db"
    shutil.copy(_created_template, path)
    eng = sqlite_engine(path)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with sessionmaker(engine, expire_on_commit=False)() as s:
        yield s


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A throwaway PostgreSQL database, dropped afterwards; skips when the server is down."""
    try:
        admin = create_engine(
            PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2}
        )
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means "no server here"
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432 ({type(exc).__name__})")
    name = f"model_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = create_engine(make_url(PG_ADMIN_URL).set(database=name))
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
