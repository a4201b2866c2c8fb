"""Issue 11 findings 8 and 13: subject names, e-mail addresses and stored keys."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from tests.server.harness import Server


def _column(srv: Server, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_engine(srv.database_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def test_8_subject_names_keyed_and_hidden(sec_server: Server, sec_world: dict[str, int]) -> None:
    alice = sec_server.client("alice")
    subject = {"code": "P8", "firstname": "jane", "lastname": "Doe"}
    sid = alice.post(
        "/api/sessions", {"project": str(sec_world["project"]), "label": "c8", "subject": subject}
    ).json()["_id"]
    mine = alice.get(f"/api/sessions/{sid}").json()["subject"]
    unkeyed = hashlib.sha256(b"jane").hexdigest()
    assert mine["firstname"] == "jane" and mine["firstname_hash"] not in (None, unkeyed)
    for who in ("carol", "guest", "bob"):
        theirs = sec_server.client(who).get(f"/api/sessions/{sid}").json()["subject"]
        assert theirs["code"] == "P8"
        for field in ("firstname", "lastname", "firstname_hash", "lastname_hash"):
            assert field not in theirs, (who, field)
    stored = _column(sec_server, "SELECT firstname_hash FROM subject WHERE code = 'P8'")
    assert stored[0][0] == mine["firstname_hash"] != unkeyed


def test_13_private_keys_are_sealed_in_the_database(sec_server: Server) -> None:
    rows = _column(sec_server, "SELECT username, private_key, api_key FROM sec_user")
    assert rows
    for username, private_key, api_key in rows:
        assert str(private_key).startswith("enc1:"), username
        assert api_key is None or str(api_key).startswith("enc1:")
        keys = sec_server.users.get(str(username))
        if keys is not None:
            assert keys.privateKey not in str(private_key)
    secret = sec_server.data_dir / "server-secret.key"
    assert secret.stat().st_mode & 0o777 == 0o600
    # the keys still work and the owner still reads them
    me = sec_server.client("alice").get("/api/user/current.json").json()
    assert me["privateKey"] == sec_server.users["alice"].privateKey
    key = sec_server.client("alice").get("/api/users/self").json()["key"]
    assert key and not key.startswith("enc1:")


def test_13_existing_plaintext_keys_are_migrated(tmp_path: Path) -> None:
    """A database from before revision 0006 (keys in clear) is sealed at start-up."""
    from alembic import command

    from desktop_app.model.migrate import alembic_config
    from desktop_app.server.db import make_engine, upgrade_schema
    from desktop_app.server.secret import ServerSecret

    db = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0005_annotation_companions")
        with sqlite3.connect(db) as raw:
            raw.execute(
                "INSERT INTO sec_user (username, public_key, private_key, api_key, is_developer,"
                " enabled, account_expired, account_locked, password_expired, algo, avatars,"
                " root, dirty_fields, local_deleted, sync_state, uid, created)"
                " VALUES ('old', 'pub-old', 'priv-old', 'api-old', 0, 1, 0, 0, 0, 0, '{}', 0,"
                " '[]', 0, 'synced', 'u-old', '2024-01-01 00:00:00')"
            )
        secret = ServerSecret.load(tmp_path / "server-secret.key")
        upgrade_schema(engine, secret)
    finally:
        engine.dispose()
    with sqlite3.connect(db) as raw:
        private_key, api_key = raw.execute(
            "SELECT private_key, api_key FROM sec_user WHERE username = 'old'"
        ).fetchone()
    assert private_key.startswith("enc1:") and "priv-old" not in private_key
    assert secret.open(private_key) == "priv-old" and secret.open(api_key) == "api-old"


def test_13_user_list_hides_emails(sec_server: Server) -> None:
    for who in ("guest", "bob"):
        users = sec_server.client(who).get("/api/user.json").json()["collection"]
        emails = {u["username"]: u["email"] for u in users}
        assert emails[who] == f"{who}@localhost"
        assert all(e is None for name, e in emails.items() if name != who), emails
        scitran = sec_server.client(who).get("/api/users").json()
        assert all(u["email"] is None for u in scitran if u["_id"] != who)
    admin_view = sec_server.client("admin").get("/api/user.json").json()["collection"]
    assert all(u["email"] for u in admin_view)


def test_13_put_says_what_it_ignored(sec_server: Server) -> None:
    bob = sec_server.client("bob")
    pid = bob.post("/api/project.json", {"name": "put-ignored"}).json()["project"]["id"]
    r = bob.put(
        f"/api/project/{pid}.json", {"name": "renamed", "colour": "red", "numberOfImages": 9}
    )
    assert r.status_code == 200, r.text
    assert set(r.json()["ignored"]) == {"colour", "numberOfImages"}
    clean = bob.put(f"/api/project/{pid}.json", {"name": "renamed"})
    assert "ignored" not in clean.json()


def test_13_properties_per_annotation_are_bounded(
    sec_server: Server, sec_world: dict[str, int]
) -> None:
    from desktop_app.server.routes.attachments import MAX_PROPERTIES

    alice = sec_server.client("alice")
    square = "POLYGON ((10 10, 60 10, 60 60, 10 60, 10 10))"
    a_id = alice.post("/api/annotation.json", {"image": sec_world["image"], "location": square})
    base = f"/api/annotation/{a_id.json()['annotation']['id']}/property.json"
    many = [{"key": f"k{i}", "value": "v"} for i in range(MAX_PROPERTIES + 1)]
    r = alice.post(base, many)
    assert r.status_code == 400 and str(MAX_PROPERTIES) in r.json()["errors"]
    assert alice.get(base).json()["size"] == 0


def test_13_docs_are_public_by_default_and_can_be_turned_off(
    sec_server: Server, strict_server: Server
) -> None:
    assert requests.get(sec_server.base + "/openapi.json", timeout=30).ok
    ca = str(strict_server.ca)  # type: ignore[attr-defined]
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert requests.get(strict_server.base + path, timeout=30, verify=ca).status_code == 404


def test_13_sql_errors_do_not_carry_parameters(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    from desktop_app.server.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (k TEXT UNIQUE)"))
            conn.execute(text("INSERT INTO t VALUES (:k)"), {"k": "secret-value-1"})
        try:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (:k)"), {"k": "secret-value-1"})
        except IntegrityError as exc:
            assert "secret-value-1" not in str(exc)
        else:
            raise AssertionError("the duplicate was accepted")
    finally:
        engine.dispose()
    pg = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert pg.hide_parameters and engine.hide_parameters
