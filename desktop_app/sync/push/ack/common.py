"""What every answer handler needs: the ops an answer settles, ``done``, ``failed``.

Shared by ``ack`` and the per-entity handlers (``ack_annotation``, ``ack_review``,
``ack_meta``); all run inside the one transaction that stores a batch's answers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.sync import AckedLog, CommandLog, OpState
from desktop_app.protocol.cytomine.answers_annotation import ANNOTATION, AnnotationJson
from desktop_app.sync.conflicts import records as conflicts
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.local import annotation_view
from desktop_app.sync.push.units import PushStats, Unit
from desktop_app.sync.transport.http import parse_as


def later_ops(s: Session, u: Unit) -> list[CommandLog]:
    """Unfinished ops of the same entity that this answer does NOT settle."""
    pending: dict[tuple[str, int], list[CommandLog]] = s.info.get("unfinished", {})
    mine = {op.seq for op in u.ops}
    return [op for op in pending.get((u.entity_type, u.entity_pk), []) if op.seq not in mine]


def answered(body: dict[str, Any], key: str = "annotation") -> AnnotationJson | None:
    """The annotation an answer carries under ``key`` (a command envelope, or the
    current version in a 409), parsed; ``None`` when it carries none."""
    obj = body.get(key)
    return parse_as(ANNOTATION, obj, key) if isinstance(obj, dict) else None


def done(s: Session, u: Unit, server_id: int | None, version: int | None) -> None:
    """The unit's ops leave the outbox, with an ``acked_log`` row each."""
    for op in u.ops:
        row = s.get(CommandLog, op.seq)
        if row is not None:
            row.state, row.last_error = OpState.DONE, None
            s.add(AckedLog(op_uid=row.op_uid, server_id=server_id, server_updated=version))


def failed(
    s: Session, u: Unit, ann: Annotation | None, status: int, body: dict[str, Any], stats: PushStats
) -> None:
    """400 (or another refusal): kept, visible, with its payload; never dropped."""
    message = f"refused by the server ({status}): {body.get('errors') or body.get('message') or ''}"
    mine = annotation_view(s, ann) if ann is not None else {"request": u.request}
    conflicts.record(
        s,
        ConflictKind.FAILED,
        u.entity_type,
        u.entity_pk,
        u.ops,
        base=None,
        mine={**mine, "request": u.request},
        theirs=None,
        state=OpState.FAILED,
        message=message[:300],
    )
    stats.failed += 1


def back_to_pending(u: Unit, why: str) -> None:
    """Not settled (busy, or rebased onto a newer version): sent again next round."""
    for op in u.ops:
        op.state, op.last_error = OpState.PENDING, why[:300]
