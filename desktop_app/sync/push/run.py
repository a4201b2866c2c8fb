"""Push: deliver the outbox (``command_log``) to the server, exactly once in effect.

One round (sync-design 5.4):

1. Group unfinished ops per entity, in ``seq`` order.  If some are ``inflight`` or
   ``needs_reconcile`` (a previous send whose outcome is unknown), the unit is those
   ops alone and is re-sent as it was meant: creates carry the client uid and the
   server's uid idempotency returns the row it already made; a repeated update comes
   back 409 with the current row, equal to the intent, and is acknowledged; a
   repeated delete or term removal comes back 404 = done.  Otherwise the pending ops
   coalesce into their net effect (create+updates → one create with the current row,
   create+…+delete → nothing is sent, updates → one update with the earliest base).
2. A unit is *ready* when every entity it references has a server id (a term link
   waits for its annotation's create, an annotation for its image's upload).
3. The ready units' ops are marked ``inflight`` and COMMITTED, then sent in batches
   of ≤ ``batch`` ops (``/api/sync/push.json``, or one REST call each against a stock
   Cytomine).  Each batch's answers are stored in one transaction (``ack.py``); only
   that transaction takes an op out of the outbox.

The per-entity rules live in ``plan_annotation`` (annotations, term links),
``plan_review`` (review decisions), ``plan_meta`` (properties, descriptions, files)
and ``plan_ontology`` (terms, parent links); this module groups, marks and sends.

Rounds repeat while they make progress, so a parent acknowledged in round 1 lets
its children go in round 2.  Entities with a conflict or a failed op are skipped.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import set_committed_value

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.attachment import AttachedFile, Property
from desktop_app.model.base import utcnow
from desktop_app.model.image import ImageInstance
from desktop_app.model.ontology import RelationTerm
from desktop_app.model.sync import CommandLog, OpKind, OpState
from desktop_app.store import attached_files
from desktop_app.store.uow import Store
from desktop_app.sync.conflicts import records as conflicts
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.local import UNFINISHED
from desktop_app.sync.push.ack import batch as ack
from desktop_app.sync.push.decisions import ENTITY as DECISION_ENTITY
from desktop_app.sync.push.notes import ENTITY as NOTE_ENTITY
from desktop_app.sync.push.plan.annotation import (
    is_new_create,
    plan_annotation,
    plan_creates,
    plan_link,
)
from desktop_app.sync.push.plan.meta import plan_attachment, plan_description, plan_property
from desktop_app.sync.push.plan.ontology import (
    ONTOLOGY_TABLES,
    ontology_on_server,
    plan_ontology_op,
)
from desktop_app.sync.push.send.batch import send as send_units
from desktop_app.sync.push.units import AMBIGUOUS, LOCAL_ACTIONS, PARKED, PushStats, Unit
from desktop_app.sync.transport.http import CytomineClient, Offline, SyncHttpError

#: Entity types whose ops another module sends (SciTran notes, readers' decisions).
OWN_PUSH = (NOTE_ENTITY, DECISION_ENTITY)
#: Rows a "drop" (created and deleted before any sync) removes from the cache; a term
#: keeps its tombstone (links and undo history may still name it).
_DROPPED: dict[str, Any] = {
    "annotation": Annotation,
    "annotation_term": AnnotationTerm,
    "property": Property,
    "attached_file": AttachedFile,
    "relation_term": RelationTerm,
}


def _plan_one(s: Session, key: tuple[str, int], ops: list[CommandLog], amb: bool) -> Unit | None:
    etype = key[0]
    if etype == "annotation":
        return plan_annotation(s, ops, amb)
    if etype == "annotation_term":
        return plan_link(s, ops, amb)
    if etype == "property":
        return plan_property(s, ops, amb)
    if etype == "description":
        return plan_description(s, ops)
    if etype == "attached_file":
        return plan_attachment(s, ops, amb)
    if etype in ONTOLOGY_TABLES:
        if not ontology_on_server(s, etype, key[1]):
            return None  # a local ontology goes up with its project (local_projects.py)
        return plan_ontology_op(s, etype, ops, amb)
    return Unit(etype, key[1], ops, "unsupported")


def plan(s: Session, stats: PushStats) -> list[Unit]:
    """Units for every entity with unfinished ops that are not blocked by a parked op."""
    parked: set[tuple[str, int]] = set(
        s.execute(
            select(CommandLog.entity_type, CommandLog.entity_pk).where(CommandLog.state.in_(PARKED))
        ).all()
    )
    light: dict[tuple[str, int], list[Any]] = {}
    for row in s.execute(
        select(
            CommandLog.seq,
            CommandLog.entity_type,
            CommandLog.entity_pk,
            CommandLog.kind,
            CommandLog.state,
            CommandLog.op_uid,
        )
        .where(
            CommandLog.state.in_(UNFINISHED),
            CommandLog.entity_type.not_in(OWN_PUSH),  # sent by their own module
        )
        .order_by(CommandLog.seq)
    ):
        light.setdefault((row.entity_type, row.entity_pk), []).append(row)
    keep = s.info.setdefault("keep", [])  # the identity map is weak: hold the rows
    keep += s.scalars(select(ImageInstance))
    # new annotations (the bulk of a big push) are planned from plain rows, no ORM
    units, handled, stats.waiting = plan_creates(
        s, {k: ops for k, ops in light.items() if k not in parked and is_new_create(k, ops)}
    )
    groups = _orm_ops(s, [op.seq for k, ops in light.items() if k not in handled for op in ops])
    _load_payloads(s, [op for ops in groups.values() for op in ops if _needs_payload(op)])
    ann_pks = [pk for (etype, pk) in groups if etype == "annotation"]
    for i in range(0, len(ann_pks), 900):  # identity map: the per-unit get() is then free
        keep += s.scalars(select(Annotation).where(Annotation.pk.in_(ann_pks[i : i + 900])))
    for key, ops in groups.items():
        if key in parked:
            stats.waiting += len(ops)
            continue
        amb = [op for op in ops if op.state in AMBIGUOUS]
        ops = amb or ops
        unit = _plan_one(s, key, ops, bool(amb))
        if unit is None:
            stats.waiting += len(ops)
        else:
            unit.op_id = ops[-1].op_uid
            units.append(unit)
    units.sort(key=lambda u: u.ops[0].seq)  # outbox order, as the user made the edits
    return units


def _orm_ops(s: Session, seqs: list[int]) -> dict[tuple[str, int], list[CommandLog]]:
    """The ops of ``seqs`` as ORM objects grouped per entity, in ``seq`` order."""
    groups: dict[tuple[str, int], list[CommandLog]] = {}
    found: list[CommandLog] = []
    for i in range(0, len(seqs), 900):
        found += s.scalars(
            select(CommandLog)
            .options(defer(CommandLog.payload), defer(CommandLog.inverse))
            .where(CommandLog.seq.in_(seqs[i : i + 900]))
        )
    for op in sorted(found, key=lambda o: o.seq):
        groups.setdefault((op.entity_type, op.entity_pk), []).append(op)
    return groups


def _needs_payload(op: CommandLog) -> bool:
    """An annotation's create is planned from the row (its payload, the whole shape,
    is never read), so 10,000 new annotations skip decoding 10,000 JSON documents."""
    return not (op.entity_type == "annotation" and op.kind is OpKind.CREATE)


def _load_payloads(s: Session, ops: list[CommandLog]) -> None:
    """Payloads of ``ops`` in one query per 900 (a lazy load each would be 1 query/op)."""
    by_seq = {op.seq: op for op in ops}
    seqs = list(by_seq)
    for i in range(0, len(seqs), 900):
        for seq, payload in s.execute(
            select(CommandLog.seq, CommandLog.payload).where(CommandLog.seq.in_(seqs[i : i + 900]))
        ):
            set_committed_value(by_seq[seq], "payload", payload)


def _settle_local(s: Session, units: list[Unit], stats: PushStats) -> None:
    """Units that need no request: dropped pairs, no-ops, and ops sync cannot send."""
    for u in units:
        if u.action == "unsupported":
            conflicts.record(
                s,
                ConflictKind.FAILED,
                u.entity_type,
                u.entity_pk,
                u.ops,
                base=None,
                mine=None,
                theirs=None,
                state=OpState.FAILED,
                message=f"{u.ops[0].kind.value} on {u.entity_type} is not synced yet",
            )
            stats.failed += 1
            continue
        for op in u.ops:
            op.state, op.last_error = OpState.DONE, f"coalesced: {u.action}"
        if u.action == "drop":
            stats.dropped += len(u.ops)
            cls = _DROPPED.get(u.entity_type)
            if cls is AttachedFile:
                attached_files.forget_bytes(s, u.entity_pk)
            if cls is not None:
                s.execute(delete(cls).where(cls.pk == u.entity_pk))


def push_round(
    store: Store,
    client: CytomineClient,
    batch: int,
    stats: PushStats,
    cancel: threading.Event | None = None,
) -> int:
    """One round; returns how many units got a server answer (0 = no progress)."""
    with store.unit_of_work(undoable=False) as uow:
        uow.session.autoflush = False
        units = plan(uow.session, stats)
        local = [u for u in units if u.action in LOCAL_ACTIONS]
        _settle_local(uow.session, local, stats)
        send = [u for u in units if u.action not in LOCAL_ACTIONS]
        now = utcnow()
        seqs = [op.seq for u in send for op in u.ops]
        for i in range(0, len(seqs), 900):  # persisted BEFORE sending (sync-design 5.4 step 1)
            uow.session.execute(
                update(CommandLog)
                .where(CommandLog.seq.in_(seqs[i : i + 900]))
                .values(
                    state=OpState.INFLIGHT,
                    attempts=CommandLog.attempts + 1,
                    first_sent_at=func.coalesce(CommandLog.first_sent_at, now),
                )
                .execution_options(synchronize_session=False)
            )
    answered = _send_pipelined(store, client, send, batch, stats, cancel)
    if answered < len(send):
        _unsent(store, send[answered:], False, "cancelled")
    return answered + len(local)


def _send_pipelined(
    store: Store,
    client: CytomineClient,
    send: list[Unit],
    batch: int,
    stats: PushStats,
    cancel: threading.Event | None,
) -> int:
    """Send the batches in order, batch N+1 on the wire while batch N's answers are
    stored; returns how many units were answered and acknowledged.

    Why: storing a batch's answers (client CPU) and applying the next batch (server CPU)
    took turns, so a big push cost their sum; overlapped, it costs about the larger.
    Safe because every op of the round was marked ``inflight`` and committed before the
    first send: a crash or error with a batch on the wire leaves its ops ``inflight``,
    re-sent as they were meant on the next run (uid idempotency, sync-design 5.4).
    """
    chunks = [send[i : i + batch] for i in range(0, len(send), batch)]

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    if not chunks or cancelled():
        return 0
    answered = 0
    with ThreadPoolExecutor(1, thread_name_prefix="sync-send") as wire:
        pending: Future[list[dict[str, Any]]] | None = wire.submit(send_units, client, chunks[0])
        for k, chunk in enumerate(chunks):
            assert pending is not None
            try:
                results = pending.result()
            except SyncHttpError as exc:
                maybe = not isinstance(exc, Offline) or exc.maybe_applied
                _unsent(store, send[answered:], maybe, str(exc))
                raise
            pending = None
            if k + 1 < len(chunks) and not cancelled():
                pending = wire.submit(send_units, client, chunks[k + 1])
            try:
                ack.apply_results(store, client, chunk, results, stats)
            except BaseException:
                if pending is not None:  # let it land; its ops stay inflight (re-sent)
                    pending.exception()
                raise
            answered += len(chunk)
            if pending is None:
                break
    return answered


def _unsent(store: Store, units: list[Unit], maybe_applied: bool, why: str) -> None:
    """After a transport failure: ops that may have arrived must be reconciled first."""
    with store.unit_of_work(undoable=False) as uow:
        for u in units:
            for op in u.ops:
                row = uow.session.get(CommandLog, op.seq)
                if row is not None and row.state is OpState.INFLIGHT:
                    row.state = OpState.NEEDS_RECONCILE if maybe_applied else OpState.PENDING
                    row.last_error = why[:500]
