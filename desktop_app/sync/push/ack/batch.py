"""Storing the server's answers to a pushed batch: the ONLY place ops leave the outbox.

All answers of one batch are applied in one transaction: server id, version, the
server's (normalised) object as the new base, ops ``done`` + ``acked_log``; or the
conflict / failure records.  A crash before the commit leaves the ops ``inflight``,
which the next run re-sends (idempotently) — never lost, never doubled.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from desktop_app.model.annotation import Annotation
from desktop_app.model.base import SyncState, utcnow
from desktop_app.model.sync import CommandLog, OpState
from desktop_app.store.annotations import sqlite_cursor
from desktop_app.store.uow import Store
from desktop_app.sync.local import UNFINISHED, dumps, version_of
from desktop_app.sync.push.ack.annotation import annotation_answer, link_answer
from desktop_app.sync.push.ack.common import done
from desktop_app.sync.push.ack.meta import meta_answer
from desktop_app.sync.push.ack.review import review_answer
from desktop_app.sync.push.plan.ontology import ONTOLOGY_TABLES
from desktop_app.sync.push.units import PushStats, Unit
from desktop_app.sync.transport.http import AuthError, CytomineClient


def _unfinished_of(s: Session, units: list[Unit], *, orm: bool) -> dict[tuple[str, int], list[Any]]:
    """Unfinished ops of the units' entities, one query per 900 entities (per-unit
    queries made a 10k push take minutes).  ``orm=False``: plain rows (seq, state,
    op_uid), enough to tell a settled bulk create and 5x cheaper than 10,000 ORM
    objects; the answer handlers get ORM objects (they rebase and record ops)."""
    found: dict[tuple[str, int], list[Any]] = {}
    by_type: dict[str, list[int]] = {}
    for u in units:
        by_type.setdefault(u.entity_type, []).append(u.entity_pk)
    what: Any = (
        select(CommandLog).options(defer(CommandLog.payload), defer(CommandLog.inverse))
        if orm
        else select(CommandLog.entity_pk, CommandLog.seq, CommandLog.state, CommandLog.op_uid)
    )
    for etype, pks in by_type.items():
        for i in range(0, len(pks), 900):
            rows = (s.scalars if orm else s.execute)(
                what.where(
                    CommandLog.entity_type == etype,
                    CommandLog.entity_pk.in_(pks[i : i + 900]),
                    CommandLog.state.in_(UNFINISHED),
                ).order_by(CommandLog.seq)
            )
            for op in rows:
                found.setdefault((etype, op.entity_pk), []).append(op)
    return found


def _load_annotations(s: Session, units: list[Unit]) -> None:
    anns = [u.entity_pk for u in units if u.entity_type == "annotation"]
    for i in range(0, len(anns), 900):  # into the identity map: s.get() below is free
        s.info.setdefault("keep", []).extend(
            s.scalars(select(Annotation).where(Annotation.pk.in_(anns[i : i + 900])))
        )


#: The bulk acknowledgement as the driver's executemany (SQLAlchemy's per-row parameter
#: processing would be a quarter of a 10k push's ack); same columns the ORM update sets,
#: ``updated`` included (its ``onupdate``), in the session's own transaction.
_ACK_ANN = (
    "UPDATE annotation SET server_id = ?, server_updated = ?, base_json = ?, "
    "sync_state = ?, dirty_fields = '[]', updated = ? WHERE pk = ?"
)
_ACK_OP = "UPDATE command_log SET state = ?, last_error = NULL WHERE seq = ?"
_ACKED = "INSERT INTO acked_log (op_uid, server_id, server_updated, acked_at) VALUES (?, ?, ?, ?)"


def _bulk_acks(
    s: Session, units: list[Unit], results: list[dict[str, Any]], stats: PushStats
) -> tuple[list[Unit], list[dict[str, Any]]]:
    """The common case in bulk: creates answered by the bulk route (geometry as sent),
    all ops still in flight, no later edit.  Three executemany statements (in this
    transaction, which is what takes the ops out of the outbox) instead of one ORM object
    per row; everything else goes through the per-unit path."""
    pending = _unfinished_of(s, units, orm=False)
    stamp = utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    synced, op_done = SyncState.SYNCED.value, OpState.DONE.value
    anns, done, acked = [], [], []
    rest_u, rest_r = [], []
    for u, res in zip(units, results, strict=True):
        obj = (res.get("body") or {}).get("annotation") if res.get("bulk") else None
        mine = {op.seq for op in u.ops}
        now = pending.get((u.entity_type, u.entity_pk), [])
        if (
            not isinstance(obj, dict)
            or u.action != "create"
            or len(now) != len(mine)
            or any(op.seq not in mine or op.state is not OpState.INFLIGHT for op in now)
        ):
            rest_u.append(u)
            rest_r.append(res)
            continue
        sid, version = int(obj["id"]), version_of(obj)
        anns.append((sid, version, dumps(obj), synced, stamp, u.entity_pk))
        for op in now:
            done.append((op_done, op.seq))
            acked.append((op.op_uid, sid, version, stamp))
    if anns:
        cursor = sqlite_cursor(s)
        cursor.executemany(_ACK_ANN, anns)
        cursor.executemany(_ACK_OP, done)
        cursor.executemany(_ACKED, acked)
        cursor.close()
        stats.pushed += len(anns)
    return rest_u, rest_r


def apply_results(
    store: Store,
    client: CytomineClient,
    units: list[Unit],
    results: list[dict[str, Any]],
    stats: PushStats,
) -> None:
    """Store every answer of one batch in one transaction; 403 stops the sync afterwards.

    Except on terms: changing an ontology needs more than project write access (its
    creator or a project manager), so a refused term edit is that op's sync issue and
    the rest of the sync goes on."""
    forbidden: str | None = None
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        s.autoflush = False  # one flush at commit, not one per unit
        units, results = _bulk_acks(s, units, results, stats)
        s.info["unfinished"] = _unfinished_of(s, units, orm=True)  # for ``later_ops``
        _load_annotations(s, units)
        for u, res in zip(units, results, strict=True):
            status = int(res.get("status") or 0)
            raw = res.get("body")
            body = raw if isinstance(raw, dict) else {}
            fresh = [s.get(CommandLog, op.seq) for op in u.ops]
            u.ops = [op for op in fresh if op is not None and op.state is OpState.INFLIGHT]
            if not u.ops:
                continue  # settled meanwhile (e.g. the user resolved it): nothing to store
            if status == 403 and u.entity_type not in ONTOLOGY_TABLES:
                forbidden = str(body.get("errors") or "forbidden")
                for op in u.ops:
                    op_row = s.get(CommandLog, op.seq)
                    if op_row is not None:
                        op_row.state = OpState.PENDING
                continue
            _one(s, client, u, status, body, stats)
    if forbidden is not None:
        raise AuthError(f"the server refused a change (403): {forbidden}"[:300], 403)


def _one(
    s: Session, client: CytomineClient, u: Unit, status: int, body: dict[str, Any], stats: PushStats
) -> None:
    """One answer, by entity kind (the handlers live in ``ack_*.py``)."""
    if u.entity_type == "annotation_term":
        link_answer(s, u, status, body, stats)
        return
    if u.entity_type != "annotation":
        meta_answer(s, u, status, body, stats)
        return
    ann = s.get(Annotation, u.entity_pk)
    if ann is None:
        done(s, u, None, None)
        return
    if u.action in ("review", "reject", "unreview", "unreject"):
        review_answer(s, client, u, ann, status, body, stats)
        return
    annotation_answer(s, u, ann, status, body, stats)


__all__ = ["apply_results"]
