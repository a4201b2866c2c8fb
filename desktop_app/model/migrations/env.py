"""Alembic environment, driven programmatically by ``desktop_app.model.migrate``.

The caller hands us an open connection in ``config.attributes["connection"]``: the
application never needs an alembic.ini, and the migration runs in the caller's
transaction.  For the developer CLI (``alembic -c <throwaway ini>``) a URL in
``sqlalchemy.url`` works too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

import desktop_app.model  # noqa: F401  (fills Base.metadata)
from desktop_app.model.base import Base
from desktop_app.model.migrate import include_name

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection given and no sqlalchemy.url configured")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
