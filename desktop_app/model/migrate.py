"""Run the schema migrations in-process, for the desktop cache and the server alike.

Users upgrade the workstation with their cache in place, so the cache is always
brought to head by Alembic rather than ``create_all``.  A cache written by a newer
workstation is refused (``SchemaTooNewError``) and left untouched: migrating down
would lose that version's data, and guessing would corrupt it.

Opening a database already at head needs no Alembic: its revision is one row of
``alembic_version`` and the head is the newest revision file's name (each revision is
named after its file, a linear chain: tests/model/test_migrations.py).  Alembic, ~0.2 s
of imports and revision parsing, is loaded only when a migration runs, which every
``workstation`` command would otherwise pay at start-up.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

__all__ = [
    "SchemaTooNewError",
    "alembic_config",
    "current_revision",
    "head_revision",
    "include_name",
    "known_revisions",
    "schema_is_current",
    "upgrade_to_head",
]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: The revision files: ``NNNN_name.py``, whose revision id is ``NNNN_name``.
REVISION_FILES = "[0-9][0-9][0-9][0-9]_*.py"
VERSION_TABLE = "alembic_version"
#: SQLite R*Tree virtual tables and their shadow tables, and the trigger-maintained
#: density grid: cache-only tables created by raw-SQL revisions (0002, 0003).
_RTREE_TABLE = re.compile(r".*_rtree(_node|_rowid|_parent)?$|^annotation_density$")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic ``include_name`` hook: hide tables the metadata cannot describe.

    The spatial index is an SQLite virtual table made by a raw-SQL revision; without
    this hook autogenerate (and ``compare_metadata``) would propose dropping it.
    """
    return not (type_ == "table" and name is not None and _RTREE_TABLE.match(name))


class SchemaTooNewError(Exception):
    """The database was migrated by a newer workstation than this one."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(
            f"this cache was written by a newer version of the workstation "
            f"(schema {revision}); upgrade the application"
        )


def alembic_config(connection: Connection | None = None, **attributes: Any) -> Config:
    """An in-memory Alembic config pointing at the packaged migrations (no alembic.ini).

    ``attributes`` reach the revisions as ``context.config.attributes`` (the server
    passes its secret so that 0006 can seal stored keys).
    """
    # loaded when a migration runs: a database at head is opened without Alembic
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    cfg.attributes.update(attributes)
    return cfg


@functools.cache
def _script() -> ScriptDirectory:
    # Parsing the revision files is the slow part of start-up: do it once per process.
    # (loaded when a migration runs: a database at head is opened without Alembic)
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The revision this code's schema corresponds to: the newest revision file's name."""
    names = sorted(path.stem for path in (MIGRATIONS_DIR / "versions").glob(REVISION_FILES))
    if not names:  # pragma: no cover - the package always ships 0001
        raise RuntimeError("no migrations found in " + str(MIGRATIONS_DIR))
    return names[-1]


@functools.cache
def known_revisions() -> frozenset[str]:
    """Every revision this code can upgrade from."""
    return frozenset(rev.revision for rev in _script().walk_revisions())


def _current(connection: Connection) -> str | None:
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(stamped) > 1:  # the chain is linear: two heads are not a schema this code wrote
        raise SchemaTooNewError(",".join(sorted(stamped)))
    return stamped[0] if stamped else None


def current_revision(engine: Engine) -> str | None:
    """The database's Alembic revision, ``None`` for a database never migrated."""
    with engine.connect() as conn:
        return _current(conn)


def schema_is_current(engine: Engine) -> bool:
    """Cheap start-up check: is the database exactly at head?  (Never raises on "too new".)"""
    return current_revision(engine) == head_revision()


def upgrade_to_head(engine: Engine, **attributes: Any) -> None:
    """Bring the database to head in one transaction; refuse one from a newer version.

    Raises ``SchemaTooNewError`` without writing anything when the stamped revision is
    unknown to this code.  ``attributes`` are handed to the revisions (``alembic_config``).
    """
    with engine.begin() as conn:
        rev = _current(conn)
        if rev == head_revision():
            return
        if rev is not None and rev not in known_revisions():
            raise SchemaTooNewError(rev)
        # loaded when a migration runs: a database at head is opened without Alembic
        from alembic import command

        command.upgrade(alembic_config(conn, **attributes), "head")


def downgrade_to(engine: Engine, revision: str) -> None:
    """Downgrade (developer and test use only: it drops the data of newer tables)."""
    # loaded when a migration runs: a database at head is opened without Alembic
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)
