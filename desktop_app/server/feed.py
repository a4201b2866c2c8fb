"""The sync extensions' write side: change feed rows, idempotency keys, stale-edit checks.

Every change is appended to ``change_feed`` in the transaction that makes it, so a
client paging the feed never misses one.  On PostgreSQL the appender first takes a
per-project transaction-scoped advisory lock: sequence values are then handed out in
commit order within a project, so a reader can never see seq 12 before seq 11 commits.
(On SQLite the single writer lock gives the same guarantee.)
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop_app.model.sync import ChangeFeed, IdempotencyKey
from desktop_app.protocol.cytomine.base import EditBase
from desktop_app.server.db import transaction_note
from desktop_app.server.errors import ApiError, bad_request
from desktop_app.server.wire import ms, now, parse_body

UID_HEADER = "x-client-uid"


BASE_HEADER = "if-unmodified-since-ms"


def record_change(
    db: Session,
    project_pks: list[int] | set[int],
    entity_type: str,
    entity_pk: int,
    entity_uid: str | None,
    action: str,
    updated_ms: int | None,
    user_pk: int | None,
) -> None:
    """Append one feed row per project (terms belong to every project of their ontology)."""
    stamp = updated_ms if updated_ms is not None else ms(now())
    is_pg = db.get_bind().dialect.name == "postgresql"
    for project_pk in sorted(set(project_pks)):
        locked = transaction_note(db, "feed_locks")
        if is_pg and project_pk not in locked:
            # Held until commit; noted for the transaction so a bulk create locks once.
            db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(project_pk)})
            locked[project_pk] = True
        db.add(
            ChangeFeed(
                project_pk=project_pk,
                entity_type=entity_type,
                entity_pk=entity_pk,
                entity_uid=entity_uid,
                action=action,
                updated_ms=stamp or 0,
                user_pk=user_pk,
            )
        )


def client_uid(request: Request, body: dict[str, Any] | None) -> str | None:
    """The idempotency key of a create: JSON ``uid`` or the ``X-Client-Uid`` header."""
    raw = None
    if isinstance(body, dict):
        raw = body.get("uid")
    raw = raw or request.headers.get(UID_HEADER)
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw) > 36 or not raw.isprintable():
        raise bad_request("uid must be a string of at most 36 characters")
    return raw


def find_key(db: Session, user_pk: int, key: str) -> IdempotencyKey | None:
    return db.get(IdempotencyKey, (user_pk, key))


def remember_key(db: Session, user_pk: int, key: str, entity_type: str, entity_pk: int) -> None:
    db.add(IdempotencyKey(user_pk=user_pk, key=key, entity_type=entity_type, entity_pk=entity_pk))


def base_updated(request: Request, body: dict[str, Any] | None) -> int | None:
    """The ``updated`` (epoch ms) the client based its edit on, if it sent one."""
    raw: Any = None
    if isinstance(body, dict):
        raw = body.get("baseUpdated")
    if raw is None:
        raw = request.headers.get(BASE_HEADER)
    return parse_body(EditBase, {"baseUpdated": raw}).baseUpdated


def check_not_stale(
    request: Request,
    body: dict[str, Any] | None,
    current_version: int,
    key: str,
    current_json: dict[str, Any],
) -> None:
    """409 with the current row if the client's base is not the current version."""
    base = base_updated(request, body)
    if base is not None and base != current_version:
        raise ApiError(
            409,
            f"Stale edit: based on {base}, current version is {current_version}",
            conflict=True,
            currentUpdated=current_version,
            **{key: current_json},
        )


def feed_page(db: Session, project_pk: int, since: int, max_: int) -> tuple[list[ChangeFeed], bool]:
    """Feed rows after ``since`` (exclusive), oldest first, and whether more follow."""
    rows = list(
        db.scalars(
            select(ChangeFeed)
            .where(ChangeFeed.project_pk == project_pk, ChangeFeed.seq > since)
            .order_by(ChangeFeed.seq)
            .limit(max_ + 1)
        )
    )
    return rows[:max_], len(rows) > max_
