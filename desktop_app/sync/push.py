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

Rounds repeat while they make progress, so a parent acknowledged in round 1 lets
its children go in round 2.  Entities with a conflict or a failed op are skipped.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind, AnnotationTerm
from desktop_app.model.base import utcnow
from desktop_app.model.image import ImageInstance
from desktop_app.model.ontology import Term
from desktop_app.model.sync import CommandLog, OpKind, OpState
from desktop_app.store.uow import Store
from desktop_app.sync import ack
from desktop_app.sync.http import CytomineClient, Offline, SyncHttpError
from desktop_app.sync.local import UNFINISHED, image_height, loads, wire_wkt
from desktop_app.sync.send import send as send_units

AMBIGUOUS = (OpState.INFLIGHT, OpState.NEEDS_RECONCILE)
PARKED = (OpState.CONFLICT, OpState.FAILED)


@dataclass
class Unit:
    """The request for one entity in one round, and the ops its answer settles."""

    entity_type: str
    entity_pk: int
    ops: list[CommandLog]
    action: str  # create | update | delete | add | remove | review | drop | noop | unsupported
    request: dict[str, Any] = field(default_factory=dict)
    op_id: str = ""


@dataclass
class PushStats:
    pushed: int = 0
    conflicts: int = 0
    failed: int = 0
    waiting: int = 0
    rounds: int = 0
    dropped: int = 0


def _net(ops: list[CommandLog], alive_start: bool) -> tuple[bool, str | None]:
    """(alive at the end, last intended y-down location) of a run of ops on one entity."""
    alive, loc = alive_start, None
    for op in ops:
        if op.kind in (OpKind.CREATE, OpKind.ADD_TERM, OpKind.REVIEW_ACCEPT):
            alive = True
        elif op.kind in (OpKind.DELETE, OpKind.REMOVE_TERM):
            alive = False
        if op.kind is OpKind.UPDATE and isinstance(op.payload.get("location"), str):
            loc = op.payload["location"]
    return alive, loc


def _plan_annotation(s: Session, ops: list[CommandLog], ambiguous: bool) -> Unit | None:
    ann = s.get(Annotation, ops[0].entity_pk)
    unit = Unit("annotation", ops[0].entity_pk, ops, "noop")
    if ann is None:
        return unit  # purged meanwhile (e.g. resolved): nothing left to say
    if ann.kind is AnnotationKind.REVIEWED:
        return _plan_review(s, ann, unit)
    if any(op.kind not in (OpKind.CREATE, OpKind.UPDATE, OpKind.DELETE) for op in ops):
        unit.action = "unsupported"
        return unit
    exists = ann.server_id is not None
    alive, loc = _net(ops, exists or ambiguous)
    image = s.get(ImageInstance, ann.image_pk)
    if image is None or image.server_id is None:
        return None  # waits for the image to exist on the server (slide upload seam)
    height = image_height(s, ann.image_pk)
    base = next(
        (op.base_server_updated for op in ops if op.base_server_updated), ann.server_updated
    )
    if not exists:
        if not alive and not ambiguous:
            unit.action = "drop"
            return unit
        unit.action = "create"
        unit.request = {
            "entity": "annotation",
            "action": "create",
            "uid": ann.uid,
            "data": {"image": image.server_id, "location": wire_wkt(ann.location, height)},
        }
    elif not alive:
        unit.action = "delete"
        unit.request = {
            "entity": "annotation",
            "action": "delete",
            "id": ann.server_id,
            "baseUpdated": base,
        }
    elif loc is not None:
        from desktop_app.core.geometry import parse_wkt, to_cytomine_wkt

        unit.action = "update"
        unit.request = {
            "entity": "annotation",
            "action": "update",
            "id": ann.server_id,
            "baseUpdated": base,
            "data": {"location": to_cytomine_wkt(parse_wkt(loc), height)},
        }
    return unit


def _plan_review(s: Session, ann: Annotation, unit: Unit) -> Unit | None:
    kinds = {op.kind for op in unit.ops}
    if ann.local_deleted and ann.server_id is None and OpKind.REVIEW_REJECT not in kinds:
        unit.action = "drop"  # accepted and un-reviewed before any sync: nothing to say
        return unit
    if ann.local_deleted and ann.server_id is not None and kinds <= {OpKind.DELETE}:
        return _plan_unreview(s, ann, unit)
    if kinds == {OpKind.REVIEW_REJECT} and not ann.local_deleted and ann.server_id is None:
        return _plan_reject(s, ann, unit)
    if ann.server_id is not None or kinds != {OpKind.REVIEW_ACCEPT}:
        unit.action = "unsupported" if ann.server_id is None or ann.local_deleted else "noop"
        return unit
    parent = s.get(Annotation, ann.parent_pk) if ann.parent_pk else None
    if parent is None:
        unit.action = "unsupported"
        return unit
    if parent.server_id is None:
        return None
    terms = _reviewed_term_ids(s, ann)
    if any(t is None for t in terms):
        return None
    image = s.get(ImageInstance, parent.image_pk)
    unit.action = "review"
    unit.request = {
        "parent": parent.server_id,
        "image": image.server_id if image else None,
        "terms": sorted(int(t) for t in terms),
    }
    return unit


REJECTED_KEY = "sync:review.rejected"


def _reviewed_term_ids(s: Session, ann: Annotation) -> list[int | None]:
    """Server ids of the terms a reviewer confirmed (None for a term not yet on the server)."""
    from desktop_app.model.annotation import ReviewedAnnotationTerm

    return list(
        s.scalars(
            select(Term.server_id)
            .join(ReviewedAnnotationTerm, ReviewedAnnotationTerm.term_pk == Term.pk)
            .where(ReviewedAnnotationTerm.reviewed_annotation_pk == ann.pk)
        )
    )


def _plan_reject(s: Session, ann: Annotation, unit: Unit) -> Unit | None:
    """Cytomine keeps only accepted reviews; a rejection travels as a property of the
    parent annotation (``sync:review.rejected`` = reviewer + terms, JSON), created with
    the review row's uid so a retry never doubles it."""
    import json

    from desktop_app.model.security import User

    parent = s.get(Annotation, ann.parent_pk) if ann.parent_pk else None
    if parent is None:
        unit.action = "unsupported"
        return unit
    if parent.server_id is None:
        return None
    terms = _reviewed_term_ids(s, ann)
    reviewer = s.get(User, ann.review_user_pk) if ann.review_user_pk else None
    value = {
        "reviewUser": reviewer.server_id if reviewer is not None else None,
        "terms": sorted(int(t) for t in terms if t is not None),
    }
    unit.action = "reject"
    unit.request = {
        "entity": "property",
        "action": "create",
        "uid": ann.uid,
        "data": {
            "domainClassName": parent.cytomine_class,
            "domainIdent": parent.server_id,
            "key": REJECTED_KEY,
            "value": json.dumps(value, sort_keys=True),
        },
    }
    return unit


def _plan_unreview(s: Session, ann: Annotation, unit: Unit) -> Unit | None:
    """Un-review: ``DELETE /api/annotation/{parent}/review.json`` inside a review session."""
    parent = s.get(Annotation, ann.parent_pk) if ann.parent_pk else None
    base = loads(ann.base_json) if ann.base_json else {}
    parent_sid = parent.server_id if parent is not None else base.get("parentIdent")
    image = s.get(ImageInstance, ann.image_pk)
    if parent_sid is None or image is None or image.server_id is None:
        unit.action = "unsupported"
        return unit
    unit.action = "unreview"
    unit.request = {"parent": int(parent_sid), "image": image.server_id, "unreview": True}
    return unit


def _plan_link(s: Session, ops: list[CommandLog], ambiguous: bool) -> Unit | None:
    link = s.get(AnnotationTerm, ops[0].entity_pk)
    unit = Unit("annotation_term", ops[0].entity_pk, ops, "noop")
    if link is None:
        return unit
    known = link.base_json is not None
    alive, _ = _net(ops, known or ambiguous)
    if not known and not alive and not ambiguous:
        unit.action = "drop"
        return unit
    if alive == known and not ambiguous:
        return unit  # e.g. removed then re-added: the server already has it
    ann = s.get(Annotation, link.annotation_pk)
    term_sid = s.scalar(select(Term.server_id).where(Term.pk == link.term_pk))
    if ann is None or ann.server_id is None or term_sid is None:
        return None
    unit.action = "add" if alive else "remove"
    unit.request = {
        "entity": "annotationterm",
        "action": "create" if alive else "delete",
        "uid": link.uid,
        "data": {"annotation": ann.server_id, "term": term_sid},
    }
    return unit


def _domain_sid(s: Session, cls_name: str, pk: int) -> int | None:
    """Server id of a property/description's annotation (None: it waits for it)."""
    if not cls_name.endswith("Annotation"):
        return None
    ann = s.get(Annotation, pk)
    return ann.server_id if ann is not None else None


def _plan_property(s: Session, ops: list[CommandLog], ambiguous: bool) -> Unit | None:
    """Net effect of put/delete on one property: create, update (full), delete, or drop."""
    from desktop_app.model.attachment import Property

    prop = s.get(Property, ops[0].entity_pk)
    unit = Unit("property", ops[0].entity_pk, ops, "noop")
    if prop is None:
        return unit
    if any(op.kind not in (OpKind.PUT_PROPERTY, OpKind.DELETE_PROPERTY) for op in ops):
        unit.action = "unsupported"
        return unit
    alive = not prop.local_deleted
    if prop.server_id is None and not alive and not ambiguous:
        unit.action = "drop"
        return unit
    domain = _domain_sid(s, prop.domain_class_name, prop.domain_pk)
    if domain is None:
        return None
    data = {
        "domainClassName": prop.domain_class_name,
        "domainIdent": domain,
        "key": prop.key,
        "value": prop.value,
    }
    if prop.server_id is None:
        unit.action = "prop_create"
        unit.request = {"entity": "property", "action": "create", "uid": prop.uid, "data": data}
    elif alive:
        unit.action = "prop_update"
        unit.request = {
            "entity": "property",
            "action": "update",
            "id": prop.server_id,
            "data": data,
        }
    else:
        unit.action = "prop_delete"
        unit.request = {
            "entity": "property",
            "action": "delete",
            "id": prop.server_id,
            "data": data,
        }
    return unit


def _plan_description(s: Session, ops: list[CommandLog]) -> Unit | None:
    """The description's current text, PUT if the server has it, else POST (uid)."""
    from desktop_app.model.attachment import Description

    desc = s.get(Description, ops[0].entity_pk)
    unit = Unit("description", ops[0].entity_pk, ops, "noop")
    if desc is None:
        return unit
    domain = _domain_sid(s, desc.domain_class_name, desc.domain_pk)
    if domain is None:
        return None
    unit.action = "describe"
    unit.request = {
        "path": f"/api/domain/{desc.domain_class_name}/{domain}/description.json",
        "exists": desc.server_id is not None,
        "data": {"data": desc.data, "uid": desc.uid},
    }
    return unit


ONTOLOGY_TABLES = ("ontology", "term", "relation_term")


def _ontology_on_server(s: Session, table: str, pk: int) -> bool:
    from desktop_app.model.ontology import Ontology, RelationTerm

    if table == "relation_term":
        rel = s.get(RelationTerm, pk)
        pk, table = (rel.term1_pk, "term") if rel is not None else (0, "")
    if table == "term":
        term = s.get(Term, pk)
        pk = term.ontology_pk if term is not None else 0
    onto = s.get(Ontology, pk)
    return onto is not None and onto.server_id is not None


def plan(s: Session, stats: PushStats) -> list[Unit]:
    """Units for every entity with unfinished ops that are not blocked by a parked op."""
    parked: set[tuple[str, int]] = set(
        s.execute(
            select(CommandLog.entity_type, CommandLog.entity_pk).where(CommandLog.state.in_(PARKED))
        ).all()
    )
    groups: dict[tuple[str, int], list[CommandLog]] = {}
    for op in s.scalars(
        select(CommandLog).where(CommandLog.state.in_(UNFINISHED)).order_by(CommandLog.seq)
    ):
        groups.setdefault((op.entity_type, op.entity_pk), []).append(op)
    ann_pks = [pk for (etype, pk) in groups if etype == "annotation"]
    keep = s.info.setdefault("keep", [])  # the identity map is weak: hold the rows
    for i in range(0, len(ann_pks), 900):  # identity map: the per-unit get() is then free
        keep += s.scalars(select(Annotation).where(Annotation.pk.in_(ann_pks[i : i + 900])))
    keep += s.scalars(select(ImageInstance))
    units: list[Unit] = []
    stats.waiting = 0
    for key, ops in groups.items():
        if key in parked:
            stats.waiting += len(ops)
            continue
        amb = [op for op in ops if op.state in AMBIGUOUS]
        ops = amb or ops
        if key[0] == "annotation":
            unit = _plan_annotation(s, ops, bool(amb))
        elif key[0] == "annotation_term":
            unit = _plan_link(s, ops, bool(amb))
        elif key[0] == "property":
            unit = _plan_property(s, ops, bool(amb))
        elif key[0] == "description":
            unit = _plan_description(s, ops)
        elif key[0] in ONTOLOGY_TABLES and not _ontology_on_server(s, key[0], key[1]):
            unit = None  # a local ontology goes up with its project (local_projects.py)
        else:
            unit = Unit(key[0], key[1], ops, "unsupported")
        if unit is None:
            stats.waiting += len(ops)
        else:
            unit.op_id = ops[-1].op_uid
            units.append(unit)
    return units


def _settle_local(s: Session, units: list[Unit], stats: PushStats) -> None:
    """Units that need no request: dropped pairs, no-ops, and ops sync cannot send."""
    from desktop_app.sync import conflicts

    for u in units:
        if u.action == "unsupported":
            conflicts.record(
                s,
                "failed",
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
            cls: Any = {"annotation": Annotation, "annotation_term": AnnotationTerm}.get(
                u.entity_type
            )
            if cls is None:
                from desktop_app.model.attachment import Property

                cls = Property
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
        local = [u for u in units if u.action in ("drop", "noop", "unsupported")]
        _settle_local(uow.session, local, stats)
        send = [u for u in units if u.action not in ("drop", "noop", "unsupported")]
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
    answered = 0
    for start in range(0, len(send), batch):
        if cancel is not None and cancel.is_set():
            break
        chunk = send[start : start + batch]
        try:
            results = send_units(client, chunk)
        except SyncHttpError as exc:
            maybe = not isinstance(exc, Offline) or exc.maybe_applied
            _unsent(store, send[start:], maybe, str(exc))
            raise
        ack.apply_results(store, client, chunk, results, stats)
        answered += len(chunk)
    if answered < len(send):
        _unsent(store, send[answered:], False, "cancelled")
    return answered + len(local)


def _unsent(store: Store, units: list[Unit], maybe_applied: bool, why: str) -> None:
    """After a transport failure: ops that may have arrived must be reconciled first."""
    with store.unit_of_work(undoable=False) as uow:
        for u in units:
            for op in u.ops:
                row = uow.session.get(CommandLog, op.seq)
                if row is not None and row.state is OpState.INFLIGHT:
                    row.state = OpState.NEEDS_RECONCILE if maybe_applied else OpState.PENDING
                    row.last_error = why[:500]
