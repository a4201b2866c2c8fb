"""Opening the local cache: one SQLite file in WAL mode with foreign keys enforced.

WAL lets the UI read while the sync worker writes; ``synchronous=NORMAL`` is durable
across application crashes (only an OS crash can lose the last commits, never corrupt
the file), which is the trade-off SQLite recommends for WAL.  The schema is upgraded
in place at start-up, after a file-level backup, and a cache written by a newer
version is refused before anything touches it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from desktop_app.model.migrate import (
    SchemaTooNewError,
    current_revision,
    schema_is_current,
    upgrade_to_head,
)

__all__ = ["CacheError", "SchemaTooNewError", "open_cache"]


class CacheError(Exception):
    """The cache file cannot be used; the message is meant for the user."""


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin: the
    # module's legacy mode does not BEGIN before DDL or SELECT, which would split a
    # bulk import (that drops and recreates a trigger) into several transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache per connection
        cursor.execute("PRAGMA temp_store=MEMORY")
    finally:
        cursor.close()


def make_engine(path: Path, *, writer: bool = False) -> Engine:
    """An engine on ``path`` with the cache's pragmas applied to every connection.

    A ``writer`` engine begins its transactions with ``BEGIN IMMEDIATE``: it takes the
    write lock up front, so two writers (the UI and the sync worker) queue on
    ``busy_timeout`` instead of one failing with "database is locked" when it tries to
    upgrade a read transaction.
    """
    engine = create_engine(f"sqlite+pysqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    begin = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def open_cache(path: Path) -> Engine:
    """Open (creating or upgrading if needed) the cache at ``path``.

    Raises :class:`SchemaTooNewError` for a cache from a newer version and
    :class:`CacheError` for a file that is not a usable SQLite database.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        _check_sqlite_header(path)
    engine = make_engine(path)
    try:
        if not schema_is_current(engine):
            if existed and current_revision(engine) is not None:
                _backup(path)
            upgrade_to_head(engine)
    except SchemaTooNewError:
        engine.dispose()
        raise
    except Exception as exc:  # sqlite3.DatabaseError and friends
        engine.dispose()
        raise CacheError(f"cannot open the cache {path}: {exc}") from exc
    return engine


def _check_sqlite_header(path: Path) -> None:
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise CacheError(f"{path} is not a workstation cache (not an SQLite database)")


def _backup(path: Path) -> None:
    """Copy the cache aside before migrating it, so an upgrade can always be undone."""
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(path.with_suffix(path.suffix + ".bak"))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
