"""Push of readers' review decisions (the ``review_decision`` ops of the outbox).

A decision is immutable once made, so per decision the unfinished ops reduce to one
request: a live row never sent is POSTed (``/api/reviewdecision.json``, docs/api.md
5.4c) with its client uid, so a retry after a lost answer returns the row the server
already made; a withdrawn (undone) row that reached the server is DELETEd (404 = done);
a row made and withdrawn offline is simply dropped.  Decisions go in the order their
ops were made, so an undo's delete reaches the server before the reader's new decision.
As everywhere in the outbox, ops are marked ``inflight`` and committed before the
request, and leave the outbox only in the transaction that stores the answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.ontology import Term
from desktop_app.model.review import ReviewDecision
from desktop_app.model.sync import CommandLog, OpState
from desktop_app.protocol.review import DecisionCreated, DecisionRequest
from desktop_app.store.uow import Store
from desktop_app.sync.conflicts import records as conflicts
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.local import UNFINISHED, settle_sent
from desktop_app.sync.transport.http import ClientError, CytomineClient, Offline, parse_answer

ENTITY = "review_decision"


def _pending(s: Session) -> list[tuple[int, list[int]]]:
    """(decision pk, its unfinished op seqs) in the order of each decision's first op."""
    rows = s.execute(
        select(CommandLog.entity_pk, CommandLog.seq)
        .where(CommandLog.entity_type == ENTITY, CommandLog.state.in_(UNFINISHED))
        .order_by(CommandLog.seq)
    ).all()
    out: dict[int, list[int]] = {}
    for pk, seq in rows:
        out.setdefault(int(pk), []).append(int(seq))
    return list(out.items())


def push_decisions(store: Store, client: CytomineClient) -> int:
    """Send every decision with unfinished ops; returns how many were settled."""
    with store.read() as s:
        todo = _pending(s)
    settled = 0
    for pk, seqs in todo:
        if _push_one(store, client, pk, seqs):
            settled += 1
    return settled


def post_body(s: Session, d: ReviewDecision) -> dict[str, Any] | ClientError | None:
    """The POST body with server ids; None while the annotation or a term is not sent;
    a ClientError when the decision is one the server refuses (a comment longer than
    ``MAX_COMMENT``...), handled as the server's own refusal would be."""
    ann_sid = s.scalar(select(Annotation.server_id).where(Annotation.pk == d.annotation_pk))
    terms = list(d.term_pks or [])
    term_sids = {
        pk: sid
        for pk, sid in (
            s.execute(select(Term.pk, Term.server_id).where(Term.pk.in_(terms))) if terms else []
        )
        if sid is not None
    }
    if ann_sid is None or any(t not in term_sids for t in terms):
        return None
    try:
        request = DecisionRequest(
            uid=d.uid,
            annotation=int(ann_sid),
            decision=d.decision.value,
            role=d.role.value,
            terms=sorted(term_sids[t] for t in terms),
            reason=d.reason,
            comment=d.comment,
            decidedAt=int(d.decided_at.timestamp() * 1000),
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        return ClientError(f"the decision cannot be sent: {where}: {err['msg']}", 400)
    return request.model_dump()


def _push_one(store: Store, client: CytomineClient, pk: int, seqs: list[int]) -> bool:
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        d = s.get(ReviewDecision, pk)
        ops = [op for op in (s.get(CommandLog, q) for q in seqs) if op is not None]
        if d is None or (d.local_deleted and d.server_id is None):
            for op in ops:
                op.state, op.last_error = OpState.DONE, "coalesced: decided and withdrawn offline"
            if d is not None:
                s.delete(d)
            return True
        sid, deleted = d.server_id, d.local_deleted
        body = None if deleted or sid is not None else post_body(s, d)
        if not deleted and sid is None and body is None:
            return False  # its annotation (or a term) is not on the server yet
        for op in ops:
            op.state = OpState.INFLIGHT
    try:
        if isinstance(body, ClientError):
            raise body
        if deleted:
            _delete(client, f"/api/reviewdecision/{sid}.json")
        elif sid is None:
            answer = client.post("/api/reviewdecision.json", body)
            sid = parse_answer(DecisionCreated, answer, "decision").reviewdecision.id
    except Offline as exc:
        _mark(store, seqs, OpState.NEEDS_RECONCILE if exc.maybe_applied else OpState.PENDING)
        raise
    except ClientError as exc:
        _refused(store, pk, seqs, exc)
        return False
    _done(store, pk, seqs, sid, deleted)
    return True


def _delete(client: CytomineClient, path: str) -> None:
    try:
        client.delete(path)
    except ClientError as exc:
        if exc.status != 404:  # already gone: the withdrawal is done
            raise


def _mark(store: Store, seqs: list[int], state: OpState) -> None:
    with store.unit_of_work(undoable=False) as uow:
        for seq in seqs:
            op = uow.session.get(CommandLog, seq)
            if op is not None:
                op.state = state


def _refused(store: Store, pk: int, seqs: list[int], exc: ClientError) -> None:
    """A refusal is kept as a sync issue; a 409 means this reader already decided
    otherwise on the server (from another workstation): the first decision stands."""
    body = exc.body if isinstance(exc.body, dict) else {}
    theirs = body.get("reviewdecision") if isinstance(body.get("reviewdecision"), dict) else None
    with store.unit_of_work(undoable=False) as uow:
        ops = [op for op in (uow.session.get(CommandLog, q) for q in seqs) if op is not None]
        d = uow.session.get(ReviewDecision, pk)
        mine = {"decision": d.decision.value, "reason": d.reason} if d is not None else None
        message = (
            f"you already {theirs['decision']} this annotation on another workstation; "
            "the first decision stands"
            if exc.status == 409 and theirs is not None
            else str(exc)
        )
        conflicts.record(
            uow.session,
            ConflictKind.FAILED,
            ENTITY,
            pk,
            ops,
            base=None,
            mine=mine,
            theirs=theirs,
            state=OpState.FAILED,
            message=message[:300],
        )


def _done(store: Store, pk: int, seqs: list[int], sid: int | None, deleted: bool) -> None:
    with store.unit_of_work(undoable=False) as uow:
        row = uow.session.get(ReviewDecision, pk)
        settle_sent(uow.session, row, ENTITY, seqs, sid, deleted=deleted)


__all__ = ["ENTITY", "push_decisions"]
