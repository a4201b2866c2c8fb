"""A SciTran listing names each user by login: one query per user per transaction, not
one per note, file or analysis, and a rename is read by the next transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from desktop_app.model.security import User
from desktop_app.server.db import make_engine, session_factory, upgrade_schema
from desktop_app.server.scitran_grants import login_of


def test_each_login_is_read_once_per_transaction(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    upgrade_schema(engine)
    sessions = session_factory(engine, write=True)
    with sessions() as db:
        alice, bob = User(username="alice"), User(username="bob")
        db.add_all([alice, bob])
        db.commit()
        ids = (alice.pk, bob.pk)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        with sessions() as db:
            names = [login_of(db, ids[i % 2]) for i in range(50)]
            assert names == ["alice", "bob"] * 25
            assert sum("username" in s for s in statements) == 2
            db.get(User, ids[0]).username = "alice2"  # type: ignore[union-attr]
            db.commit()
            assert login_of(db, ids[0]) == "alice2"
            assert login_of(db, None) is None
    finally:
        event.remove(engine, "before_cursor_execute", count)
        engine.dispose()
