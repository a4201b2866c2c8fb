"""The user's answer to a conflict: one table of (kind, choice) → handler.

Every cell of the table is filled, so what an answer does is read here and nowhere
else; ``tests/sync/test_conflict_table.py`` has a test per cell.  The parked ops of
the entity are settled as done before the handler runs (a handler that sends mine
again puts them back or appends new ops), and the whole answer is one transaction:
a handler that raises :class:`ConflictError` leaves the conflict open and unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.model.annotation import Annotation
from desktop_app.model.sync import ConflictStatus, OpState, SyncConflict
from desktop_app.store.uow import Store
from desktop_app.sync.conflicts import annotation, failed, meta, restore
from desktop_app.sync.conflicts.kinds import Choice, ConflictKind
from desktop_app.sync.conflicts.records import ConflictError, Resolution, parked_ops
from desktop_app.sync.local import loads

Handler = Callable[[Resolution], None]

K, C = ConflictKind, Choice
HANDLERS: dict[tuple[ConflictKind, Choice], Handler] = {
    (K.GEOMETRY, C.MINE): annotation.send_my_geometry,
    (K.GEOMETRY, C.THEIRS): annotation.keep_theirs,
    (K.GEOMETRY, C.BOTH): annotation.copy_mine,
    (K.DELETE_VS_EDIT, C.MINE): annotation.delete_again,
    (K.DELETE_VS_EDIT, C.THEIRS): annotation.keep_theirs,
    (K.DELETE_VS_EDIT, C.BOTH): annotation.keep_theirs,
    (K.EDIT_VS_DELETE, C.MINE): annotation.recreate,
    (K.EDIT_VS_DELETE, C.THEIRS): annotation.drop_mine,
    (K.EDIT_VS_DELETE, C.BOTH): annotation.recreate,
    (K.REVIEW, C.MINE): annotation.refuse_review,
    (K.REVIEW, C.THEIRS): annotation.drop_mine,
    (K.REVIEW, C.BOTH): annotation.drop_mine,
    (K.FAILED, C.MINE): failed.retry,
    (K.FAILED, C.THEIRS): failed.give_up,
    (K.FAILED, C.BOTH): failed.retry,
    (K.DESCRIPTION, C.MINE): meta.send_my_text,
    (K.DESCRIPTION, C.THEIRS): meta.keep_their_text,
    (K.DESCRIPTION, C.BOTH): meta.send_both_texts,
    (K.SERVER_RESTORE, C.MINE): restore.resend_lost,
    (K.SERVER_RESTORE, C.THEIRS): restore.discard_lost,
    (K.SERVER_RESTORE, C.BOTH): restore.resend_lost,
}


def can_answer(kind: str, choice: str) -> bool:
    """Whether the table accepts this answer (the UI disables the others)."""
    try:
        handler = HANDLERS[ConflictKind(kind), Choice(choice)]
    except ValueError:
        return False
    return handler is not annotation.refuse_review


def resolve(store: Store, conflict_pk: int, choice: str) -> None:
    """Apply the user's choice (``mine``, ``theirs`` or ``both``) to one open conflict."""
    try:
        answer = Choice(choice)
    except ValueError:
        raise ConflictError(f"choice must be one of {', '.join(Choice)}") from None
    with store.read() as s:
        c = s.get(SyncConflict, conflict_pk)
        if c is None or c.status is not ConflictStatus.OPEN:
            raise ConflictError(f"no open conflict {conflict_pk}")
        ann = s.get(Annotation, c.entity_pk) if c.entity_type == "annotation" else None
        user_pk = ann.user_pk if ann is not None else None
        try:
            handler = HANDLERS[ConflictKind(c.kind), answer]
        except ValueError:
            raise ConflictError(f"unknown conflict kind {c.kind!r}") from None
    with store.unit_of_work(undoable=False, user_pk=user_pk) as uow:
        s = uow.session
        c = s.get(SyncConflict, conflict_pk)
        if c is None:
            raise ConflictError(f"no open conflict {conflict_pk}")
        ops = parked_ops(s, c)
        for op in ops:
            op.state, op.last_error = OpState.DONE, f"conflict resolved: {answer}"
        ann = s.get(Annotation, c.entity_pk) if c.entity_type == "annotation" else None
        handler(Resolution(uow, c, answer, loads(c.local_json), ops, ann))
        c.status, c.resolution = ConflictStatus.RESOLVED, answer.value


__all__ = ["HANDLERS", "can_answer", "resolve"]
