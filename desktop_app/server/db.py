"""Database engine, per-request sessions and start-up migrations.

SQLite (the default, a file in the data dir) runs in WAL mode with foreign keys on
and a busy timeout, so concurrent requests queue for the single writer instead of
failing; PostgreSQL (``postgresql+psycopg://``) is the production choice.  The schema
is THE shared data model, brought to head with its Alembic chain at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.model.migrate import upgrade_to_head

log = logging.getLogger(__name__)

#: SQLite memory-mapped I/O window (a limit, not an allocation).
SQLITE_MMAP_BYTES = 1 << 30
#: PostgreSQL pool per worker process, and the age after which a connection is renewed.
PG_POOL_SIZE = 10
PG_MAX_OVERFLOW = 30
PG_RECYCLE_S = 1800
#: psycopg prepares a statement server-side from this many earlier executions on.
PG_PREPARE_THRESHOLD = 1


def make_engine(database_url: str) -> Engine:
    """An engine tuned for the server's access pattern (many short transactions)."""
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=16,
            max_overflow=48,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Take over transaction control so BEGIN IMMEDIATE can be issued for writes.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            # Reads of a 100k-annotation image touch tens of MB: map the file (shared
            # by every connection and worker through the OS page cache) and give each
            # connection a page cache larger than the 2 MB default.
            cur.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            cur.execute("PRAGMA cache_size=-16384")
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # IMMEDIATE: a transaction that will write takes the write lock up front, so
            # two writers never deadlock on a read-to-write upgrade (SQLITE_BUSY).
            write = conn.get_execution_options().get("sqlite_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return create_engine(
        database_url,
        # Bound values (names, keys, geometries) never reach an error message or a log.
        hide_parameters=True,
        # No pre-ping: it cost a round trip (``;``) before every request.  A connection
        # a database restart left dead fails its request once; SQLAlchemy then drops
        # every pooled connection older than it, so the next requests reconnect.
        pool_pre_ping=False,
        pool_recycle=PG_RECYCLE_S,
        # Per worker: the thread pool runs at most 40 requests at once; two workers
        # stay well under PostgreSQL's default max_connections (100).
        pool_size=PG_POOL_SIZE,
        max_overflow=PG_MAX_OVERFLOW,
        # Server-side prepared statements from a statement's 2nd use on a connection
        # (psycopg's default is the 6th): the hot statements are built once, so their
        # text repeats and PostgreSQL parses and plans them once per connection.
        connect_args={"prepare_threshold": PG_PREPARE_THRESHOLD},
    )


def upgrade_schema(engine: Engine, secret: Any = None) -> None:
    """Bring the schema to head with the model's Alembic migrations.

    ``secret`` (a ``ServerSecret``) lets revision 0006 seal keys stored in plaintext.
    """
    upgrade_to_head(engine, server_secret=secret)


def session_factory(
    engine: Engine, *, write: bool, info: dict[str, Any] | None = None
) -> sessionmaker[Session]:
    """Sessions for reads, or for writes (which on SQLite begin with BEGIN IMMEDIATE).

    ``info`` is copied into every session's ``Session.info``: the server secret rides
    there (``secret.secret_of``), so code that has a session can seal and open keys.
    """
    bind = engine.execution_options(sqlite_write=True) if write else engine
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=False, info=info)


#: Bodies ``get_db`` leaves to the route: multipart, which may be a slide of gigabytes
#: on the upload routes and is read by ``upload.form_file`` and
#: ``scitran_upload.receive``, both of which end the session's transaction first.
#: Every other body is bounded by ``limits``' small limit, whatever the path.
_ROUTE_READS = "multipart/"


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request; handlers commit explicitly, anything else is rolled back.

    For writes, every body but a multipart upload is received *before* the session runs
    its first statement (the auth lookup), whatever its ``Content-Type`` says, or none.
    Otherwise a route would hold
    SQLite's write lock (BEGIN IMMEDIATE) while awaiting its body, for as long as the
    client takes to send it, and any other write on the same event loop would block
    the loop in the busy handler: a 30 s self-deadlock ending in "database is locked"
    (``tests/server/test_upload_cut.py``).  Starlette caches the body, so routes read
    it again for free; ``limits`` bounds its size.
    """
    write = request.method not in ("GET", "HEAD", "OPTIONS")
    content_type = request.headers.get("content-type", "").lower()
    if write and not content_type.startswith(_ROUTE_READS):
        await request.body()
    factory: sessionmaker[Session] = (
        request.app.state.write_sessions if write else request.app.state.read_sessions
    )
    db = factory()
    # Absolute URLs in JSON (an annotation's ``cropURL``) are built from the address
    # this request came in on, as Cytomine builds them from its serverURL.
    db.info["base_url"] = str(request.base_url).rstrip("/")
    try:
        yield db
    finally:
        db.rollback()
        db.close()


def transaction_note(db: Session, key: str, *, create: bool = True) -> dict[Any, Any]:
    """A dict in ``db.info`` that lives as long as ``db``'s current transaction.

    What a transaction learns about itself ends with it: the PostgreSQL advisory locks
    it holds (``feed.record_change``), the terms of the annotations it has just created.
    Keyed by the transaction object, the note is new in the next transaction with no
    event listener to register, for any session (the app's, the command line's).
    ``create=False`` reads without starting a transaction: ``{}`` when none is open.
    """
    tx = db.get_transaction()
    if tx is None:
        if not create:
            return {}
        db.connection()  # begins the transaction the note belongs to
        tx = db.get_transaction()
    held = db.info.get(key)
    if held is None or held[0] is not tx:
        held = db.info[key] = (tx, {})
    notes: dict[Any, Any] = held[1]
    return notes


def autocommit_reads(db: Session) -> None:
    """On PostgreSQL, run a read-only request's statements without BEGIN/ROLLBACK.

    Under READ COMMITTED every statement takes its own snapshot anyway, so autocommit
    changes nothing a reader sees; it saves two of the ~7 round trips of a viewport
    query.  Only for routes that never write; a no-op once the session has begun.
    """
    if db.in_transaction() or db.get_bind().dialect.name != "postgresql":
        return
    db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def ping(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1")).scalar() == 1
