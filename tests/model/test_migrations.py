"""The migration chain builds exactly the declared schema, both ways, on both databases."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

import desktop_app.model as model
from desktop_app.model.migrate import (
    MIGRATIONS_DIR,
    REVISION_FILES,
    SchemaTooNewError,
    current_revision,
    downgrade_to,
    head_revision,
    include_name,
    known_revisions,
    schema_is_current,
    upgrade_to_head,
)
from tests.model.conftest import sqlite_engine


def _diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": include_name,
            },
        )
        return list(compare_metadata(ctx, model.Base.metadata))


def _constraints(engine: Engine) -> dict[str, object]:
    """Everything compare_metadata does not look at: CHECKs, and the names of the rest."""
    insp = inspect(engine)
    out: dict[str, object] = {}
    for table in model.Base.metadata.tables:
        out[table] = (
            sorted(
                (c["name"], c["sqltext"].replace(" ", ""))
                for c in insp.get_check_constraints(table)
            ),
            sorted(repr(sorted(i.items())) for i in insp.get_indexes(table)),
            sorted(repr(sorted(u.items())) for u in insp.get_unique_constraints(table)),
            sorted(repr(sorted(f.items())) for f in insp.get_foreign_keys(table)),
        )
    return out


def test_head_is_initial_or_later() -> None:
    assert head_revision()


def test_revisions_are_a_linear_chain_named_after_their_files() -> None:
    """What lets ``head_revision`` read the head from the file names, without Alembic."""
    files = sorted((MIGRATIONS_DIR / "versions").glob(REVISION_FILES))
    previous = None
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert f'revision: str = "{path.stem}"' in source, path.name
        down = "None" if previous is None else f'"{previous}"'
        assert f"down_revision: str | None = {down}" in source, path.name
        previous = path.stem
    assert head_revision() == previous
    assert known_revisions() == {path.stem for path in files}  # Alembic's own reading


def test_a_cache_at_head_opens_without_alembic(migrated_template: Path, tmp_path: Path) -> None:
    """~0.2 s of every command's start-up (fails if the current check imports Alembic)."""
    path = tmp_path / "cache.sqlite"
    shutil.copy(migrated_template, path)
    script = (
        "import sys\n"
        "from desktop_app.store.engine import open_cache\n"
        f"open_cache(__import__('pathlib').Path({str(path)!r})).dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_metadata_creates_on_sqlite(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(model.Base.metadata.tables) <= tables


def test_upgrade_matches_metadata_on_sqlite(migrated_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    shutil.copy(migrated_template, path)
    migrated = sqlite_engine(path)
    created = sqlite_engine(tmp_path / "c.db", durable=False)
    model.Base.metadata.create_all(created)
    try:
        assert current_revision(migrated) == head_revision()
        assert schema_is_current(migrated)
        assert _diff(migrated) == []
        assert _constraints(migrated) == _constraints(created)
    finally:
        migrated.dispose()
        created.dispose()


def test_downgrade_then_upgrade_on_sqlite(migrated_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    shutil.copy(migrated_template, path)
    eng = sqlite_engine(path, durable=False)
    try:
        downgrade_to(eng, "base")
        assert set(inspect(eng).get_table_names()) == {"alembic_version"}
        assert current_revision(eng) is None
        upgrade_to_head(eng)
        assert schema_is_current(eng)
    finally:
        eng.dispose()


def test_empty_database_is_not_current_until_upgraded(tmp_path: Path) -> None:
    eng = sqlite_engine(tmp_path / "new.db")
    try:
        assert current_revision(eng) is None
        assert not schema_is_current(eng)
    finally:
        eng.dispose()


def test_unknown_future_revision_is_refused_and_left_untouched(
    migrated_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "future.db"
    shutil.copy(migrated_template, path)
    eng = sqlite_engine(path)
    with eng.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    eng.dispose()
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    eng = sqlite_engine(path)
    try:
        assert not schema_is_current(eng)  # the start-up check itself never raises
        with pytest.raises(SchemaTooNewError) as info:
            upgrade_to_head(eng)
        msg = str(info.value)
        assert "9999_from_the_future" in msg
        assert "newer version of the workstation" in msg
        assert "upgrade the application" in msg
        assert current_revision(eng) == "9999_from_the_future"
    finally:
        eng.dispose()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.postgres
def test_metadata_and_migrations_on_postgresql(pg_engine: Engine) -> None:
    """One throwaway database for both checks: creating a database costs a second."""
    model.Base.metadata.create_all(pg_engine)
    assert set(model.Base.metadata.tables) <= set(inspect(pg_engine).get_table_names())
    model.Base.metadata.drop_all(pg_engine)

    upgrade_to_head(pg_engine)
    assert schema_is_current(pg_engine)
    assert _diff(pg_engine) == []
    downgrade_to(pg_engine, "base")
    assert set(inspect(pg_engine).get_table_names()) == {"alembic_version"}
