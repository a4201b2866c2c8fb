"""Conflict records (sync-design 5.7): nothing is ever silently lost.

A conflict keeps three views of one entity in ``sync_conflict`` — base, mine, theirs —
in the cache's frame (y-down WKT, local term pks).  Push and pull write them with
:func:`record`; the user answers them through ``conflicts.resolve`` (what each
(kind, choice) does is in its table).  :class:`Resolution` is what a handler of that
table is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.base import SyncState
from desktop_app.model.sync import CommandLog, ConflictStatus, OpState, SyncConflict
from desktop_app.store.uow import Store, UnitOfWork
from desktop_app.sync.conflicts.kinds import Choice, ConflictKind
from desktop_app.sync.local import (
    UNFINISHED,
    annotation_view,
    dumps,
    loads,
    server_view,
)


class ConflictError(ValueError):
    """A resolution that cannot be applied; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class ConflictInfo:
    """One open conflict as the "Sync issues" panel shows it."""

    pk: int
    kind: str
    entity_type: str
    entity_pk: int
    base: dict[str, Any]
    mine: dict[str, Any]
    theirs: dict[str, Any]
    detected_at: datetime
    message: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """One user answer being applied, inside the unit of work that applies it."""

    uow: UnitOfWork
    conflict: SyncConflict
    choice: Choice
    #: The "mine" view stored with the conflict.
    mine: dict[str, Any]
    #: The entity's parked ops, already settled as done; a handler that sends mine
    #: again puts them back to pending or appends new ops.
    ops: list[CommandLog]
    #: The annotation the conflict is about, when it is about one that still exists.
    annotation: Annotation | None

    @property
    def session(self) -> Session:
        return self.uow.session


def record(
    s: Session,
    kind: ConflictKind,
    entity_type: str,
    entity_pk: int,
    ops: list[CommandLog],
    *,
    base: dict[str, Any] | None,
    mine: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    state: OpState = OpState.CONFLICT,
    message: str = "",
) -> SyncConflict:
    """Keep a conflict and park its ops (they block only their own entity)."""
    for op in ops:
        op.state = state
        op.last_error = message or kind
    row = SyncConflict(
        entity_type=entity_type,
        entity_pk=entity_pk,
        op_seq=ops[0].seq if ops else None,
        kind=kind,
        base_json=dumps(base or {}),
        local_json=dumps({**(mine or {}), "message": message}),
        server_json=dumps(theirs or {}),
    )
    s.add(row)
    return row


def open_conflicts(s: Session, entity_type: str, entity_pk: int) -> list[SyncConflict]:
    return list(
        s.scalars(
            select(SyncConflict).where(
                SyncConflict.entity_type == entity_type,
                SyncConflict.entity_pk == entity_pk,
                SyncConflict.status == ConflictStatus.OPEN,
            )
        )
    )


def refresh_theirs(
    s: Session, entity_type: str, entity_pk: int, obj: Mapping[str, Any] | None, height: float
) -> None:
    """A newer server version arrived for a conflicted row: the record shows the latest."""
    for c in open_conflicts(s, entity_type, entity_pk):
        c.server_json = dumps(server_view(obj, height) or {})


def server_deleted(s: Session, ann: Annotation, ops: list[CommandLog]) -> None:
    """The server deleted an annotation with local intent: keep it orphaned + a record."""
    base = loads(ann.base_json)
    record(
        s,
        ConflictKind.EDIT_VS_DELETE,
        "annotation",
        ann.pk,
        ops,
        base={"location": base.get("location"), "frame": "server"},
        mine=annotation_view(s, ann),
        theirs={"deleted": True},
        message="deleted on the server while edited here",
    )
    ann.sync_state = SyncState.ORPHANED


def list_conflicts(store: Store) -> list[ConflictInfo]:
    """Open conflicts, oldest first, for the UI's sync-issues panel."""
    with store.read() as s:
        rows = s.scalars(
            select(SyncConflict)
            .where(SyncConflict.status == ConflictStatus.OPEN)
            .order_by(SyncConflict.pk)
        )
        out = []
        for c in rows:
            mine = loads(c.local_json)
            out.append(
                ConflictInfo(
                    pk=c.pk,
                    kind=c.kind,
                    entity_type=c.entity_type,
                    entity_pk=c.entity_pk,
                    base=loads(c.base_json),
                    mine=mine,
                    theirs=loads(c.server_json),
                    detected_at=c.detected_at,
                    message=str(mine.get("message") or c.kind),
                )
            )
        return out


def parked_ops(s: Session, c: SyncConflict) -> list[CommandLog]:
    return list(
        s.scalars(
            select(CommandLog).where(
                CommandLog.entity_type == c.entity_type,
                CommandLog.entity_pk == c.entity_pk,
                CommandLog.state.in_((OpState.CONFLICT, OpState.FAILED)),
            )
        )
    )


def purge_annotation(s: Session, pk: int) -> None:
    """Remove a row and its links; their remaining ops are settled as discarded."""
    link_pks = list(s.scalars(select(AnnotationTerm.pk).where(AnnotationTerm.annotation_pk == pk)))
    for etype, pks in (("annotation", [pk]), ("annotation_term", link_pks)):
        if pks:
            for op in s.scalars(
                select(CommandLog).where(
                    CommandLog.entity_type == etype,
                    CommandLog.entity_pk.in_(pks),
                    CommandLog.state.in_((*UNFINISHED, OpState.CONFLICT, OpState.FAILED)),
                )
            ):
                op.state, op.last_error = OpState.DONE, "discarded by the user"
    s.execute(delete(Annotation).where(Annotation.pk == pk))


__all__ = [
    "ConflictError",
    "ConflictInfo",
    "Resolution",
    "list_conflicts",
    "open_conflicts",
    "parked_ops",
    "purge_annotation",
    "record",
]
