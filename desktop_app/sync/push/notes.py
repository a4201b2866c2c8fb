"""Push of notes added, edited or deleted offline (the ``note`` ops of the outbox).

Per note, the unfinished ops coalesce into one request: a note never sent is POSTed
with its current text (or dropped if deleted meanwhile), a sent one is PUT or
DELETEd.  As everywhere in the outbox, ops are marked ``inflight`` and committed
before the request, and leave the outbox only in the transaction that stores the
answer.  SciTran's note POST has no idempotency key, so a create whose answer was
lost is reconciled by looking for the same text by the same author on the container
before sending it again.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import Acquisition, Analysis, Collection, ContainerType, Note
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.sync import CommandLog, OpKind, OpState
from desktop_app.protocol.scitran.answers import NOTE_CREATED, NOTES_OF
from desktop_app.store.uow import Store
from desktop_app.sync.conflicts import records as conflicts
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.local import UNFINISHED, settle_sent
from desktop_app.sync.transport.http import ClientError, CytomineClient, Offline, parse_as

ENTITY = "note"
_Container = Project | ScSession | Acquisition | Analysis | Collection
_SEGMENT: dict[ContainerType, tuple[str, type[_Container]]] = {
    ContainerType.PROJECT: ("projects", Project),
    ContainerType.SESSION: ("sessions", ScSession),
    ContainerType.ACQUISITION: ("acquisitions", Acquisition),
    ContainerType.ANALYSIS: ("analyses", Analysis),
    ContainerType.COLLECTION: ("collections", Collection),
}


def _pending(s: Session) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for seq, pk in s.execute(
        select(CommandLog.seq, CommandLog.entity_pk)
        .where(CommandLog.entity_type == ENTITY, CommandLog.state.in_(UNFINISHED))
        .order_by(CommandLog.seq)
    ):
        out.setdefault(int(pk), []).append(int(seq))
    return out


def push_notes(store: Store, client: CytomineClient) -> int:
    """Send every note with unfinished ops; returns how many notes were settled."""
    with store.read() as s:
        todo = _pending(s)
    settled = 0
    for note_pk, seqs in todo.items():
        if _push_one(store, client, note_pk, seqs):
            settled += 1
    return settled


def _push_one(store: Store, client: CytomineClient, note_pk: int, seqs: list[int]) -> bool:
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        note = s.get(Note, note_pk)
        ops = [op for op in (s.get(CommandLog, q) for q in seqs) if op is not None]
        if note is None:
            for op in ops:
                op.state, op.last_error = OpState.DONE, "coalesced: the note is gone"
            return True
        segment, cls = _SEGMENT[note.container_type]
        container_sid = s.scalar(select(cls.server_id).where(cls.pk == note.container_pk))
        if container_sid is None:
            return False  # its container is not on the server yet
        ambiguous = any(op.state is not OpState.PENDING for op in ops)
        for op in ops:
            op.state = OpState.INFLIGHT
        deleted, text, note_sid = note.local_deleted, note.text, note.server_id
    base = f"/api/{segment}/{container_sid}/notes"
    try:
        if note_sid is None and ambiguous:
            note_sid = _find_sent(client, segment, container_sid, text)
        if deleted:
            if note_sid is not None:
                _delete(client, f"{base}/{note_sid}")
        elif note_sid is None:
            answer = parse_as(NOTE_CREATED, client.post(base, {"text": text}), "note answer")
            note_sid = int(answer["_id"])
        else:
            client.put(f"{base}/{note_sid}", {"text": text})
    except Offline as exc:
        _mark(store, seqs, OpState.NEEDS_RECONCILE if exc.maybe_applied else OpState.PENDING)
        raise
    except ClientError as exc:
        _refused(store, note_pk, seqs, str(exc))
        return False
    _done(store, note_pk, seqs, note_sid, deleted)
    return True


def _delete(client: CytomineClient, path: str) -> None:
    try:
        client.delete(path)
    except ClientError as exc:
        if exc.status != 404:  # already gone: the delete is done
            raise


def _find_sent(client: CytomineClient, segment: str, container_sid: int, text: str) -> int | None:
    """The note a lost answer created: same author, same text, not known locally."""
    path = f"/api/{segment}/{container_sid}"
    detail = parse_as(NOTES_OF, client.get(path), f"GET {path}")
    me = client.username  # a note's ``user`` is its writer's login
    for n in detail.get("notes", []):
        if n["text"] == text and (me is None or n.get("user") == me):
            return int(n["_id"])
    return None


def _mark(store: Store, seqs: list[int], state: OpState) -> None:
    with store.unit_of_work(undoable=False) as uow:
        for seq in seqs:
            op = uow.session.get(CommandLog, seq)
            if op is not None:
                op.state = state


def _refused(store: Store, note_pk: int, seqs: list[int], message: str) -> None:
    with store.unit_of_work(undoable=False) as uow:
        ops = [op for op in (uow.session.get(CommandLog, q) for q in seqs) if op is not None]
        note = uow.session.get(Note, note_pk)
        conflicts.record(
            uow.session,
            ConflictKind.FAILED,
            ENTITY,
            note_pk,
            ops,
            base=None,
            mine={"text": note.text if note else None},
            theirs=None,
            state=OpState.FAILED,
            message=message[:300],
        )


def _done(store: Store, note_pk: int, seqs: list[int], note_sid: int | None, deleted: bool) -> None:
    with store.unit_of_work(undoable=False) as uow:
        note = uow.session.get(Note, note_pk)
        settle_sent(
            uow.session,
            note,
            ENTITY,
            seqs,
            note_sid,
            deleted=deleted,
            kinds=(OpKind.CREATE, OpKind.UPDATE, OpKind.DELETE),
        )
