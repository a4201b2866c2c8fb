"""Seal stored keys and key the subject-name hashes with the server secret

A database dump must not give away the HMAC private keys (and SciTran API keys) that
``sec_user`` holds, nor let anyone recognise a subject by the unsalted sha256 of their
name.  The server passes its secret (``desktop_app.server.secret.ServerSecret``) in
``config.attributes["server_secret"]``; this revision then seals every plaintext key
(``enc1:`` + Fernet token) and turns each name hash h into HMAC(secret, h).  Without a
secret (the desktop cache, which stores no keys and receives no name hashes) there is
nothing to convert and the data is left as is.

Revision ID: 0006_sealed_keys
Revises: 0005_annotation_companions
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision: str = "0006_sealed_keys"
down_revision: str | None = "0005_annotation_companions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PREFIX = "enc1:"
_USERS = sa.table("sec_user", sa.column("pk"), sa.column("private_key"), sa.column("api_key"))
_SUBJECTS = sa.table(
    "subject", sa.column("pk"), sa.column("firstname_hash"), sa.column("lastname_hash")
)


def _secret() -> Any:
    return context.config.attributes.get("server_secret")


def upgrade() -> None:
    secret = _secret()
    if secret is None:
        return
    conn = op.get_bind()
    for pk, private_key, api_key in conn.execute(
        sa.select(_USERS.c.pk, _USERS.c.private_key, _USERS.c.api_key)
    ):
        values = {}
        if private_key and not private_key.startswith(_PREFIX):
            values["private_key"] = secret.seal(private_key)
        if api_key and not api_key.startswith(_PREFIX):
            values["api_key"] = secret.seal(api_key)
        if values:
            conn.execute(sa.update(_USERS).where(_USERS.c.pk == pk).values(**values))
    for pk, first, last in conn.execute(
        sa.select(_SUBJECTS.c.pk, _SUBJECTS.c.firstname_hash, _SUBJECTS.c.lastname_hash)
    ):
        if first is None and last is None:
            continue
        conn.execute(
            sa.update(_SUBJECTS)
            .where(_SUBJECTS.c.pk == pk)
            .values(
                firstname_hash=None if first is None else secret.rekey_name_hash(first),
                lastname_hash=None if last is None else secret.rekey_name_hash(last),
            )
        )


def downgrade() -> None:
    secret = _secret()
    if secret is None:
        return
    conn = op.get_bind()
    for pk, private_key, api_key in conn.execute(
        sa.select(_USERS.c.pk, _USERS.c.private_key, _USERS.c.api_key)
    ):
        conn.execute(
            sa.update(_USERS)
            .where(_USERS.c.pk == pk)
            .values(private_key=secret.open(private_key), api_key=secret.open(api_key))
        )
