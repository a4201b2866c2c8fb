"""Planning the push of annotations and their term links (sync-design 5.4 steps 1-2).

Pending ops of one entity coalesce into their net effect; a unit is returned only
when everything it references has a server id (``None`` = it waits).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.geometry import parse_wkt, to_cytomine_wkt
from desktop_app.model.annotation import Annotation, AnnotationKind, AnnotationTerm
from desktop_app.model.image import ImageInstance
from desktop_app.model.ontology import Term
from desktop_app.model.sync import CommandLog, OpKind, OpState
from desktop_app.sync.local import image_height, wire_wkt, wire_wkts
from desktop_app.sync.push.plan.review import plan_review
from desktop_app.sync.push.units import Unit, net


def is_new_create(key: tuple[str, int], ops: list[Any]) -> bool:
    """One pending create of an annotation: what ``plan_creates`` plans without ORM."""
    return (
        key[0] == "annotation"
        and len(ops) == 1
        and ops[0].kind is OpKind.CREATE
        and ops[0].state is OpState.PENDING
    )


def plan_creates(
    s: Session, groups: dict[tuple[str, int], list[Any]]
) -> tuple[list[Unit], set[tuple[str, int]], int]:
    """Units for new annotations from plain rows (a 10k push: no 20k ORM objects).

    Returns (units, keys handled, ops waiting for their image).  A row that is not a
    plain live user annotation without a server id is left to ``plan_annotation``.
    The unit's ops are the plain rows: the bulk acknowledgement reads only ``seq``, and
    every other answer path reloads the ORM ops by ``seq`` first.
    """
    units: list[Unit] = []
    handled: set[tuple[str, int]] = set()
    waiting = 0
    images: dict[int, int | None] = {}
    shapes: dict[int, list[tuple[Unit, bytes]]] = {}
    a = Annotation.__table__.c
    pks = [pk for (_etype, pk) in groups]
    for i in range(0, len(pks), 900):
        for r in s.execute(
            select(a.pk, a.uid, a.image_pk, a.location, a.kind)
            .where(a.pk.in_(pks[i : i + 900]))
            .where(a.server_id.is_(None), a.local_deleted.is_(False))
        ):
            if r.kind is AnnotationKind.REVIEWED:
                continue
            key = ("annotation", int(r.pk))
            handled.add(key)
            if r.image_pk not in images:
                image = s.get(ImageInstance, r.image_pk)
                images[r.image_pk] = image.server_id if image is not None else None
            image_sid = images[r.image_pk]
            if image_sid is None:
                waiting += 1  # the slide upload seam: its image is not on the server yet
                continue
            op = groups[key][0]
            unit = Unit("annotation", key[1], [op], "create", op_id=op.op_uid)
            unit.request = {
                "entity": "annotation",
                "action": "create",
                "uid": r.uid,
                "data": {"image": image_sid, "location": None},
            }
            units.append(unit)
            shapes.setdefault(int(r.image_pk), []).append((unit, r.location))
    for image_pk, pairs in shapes.items():  # WKT per image, as arrays (one height each)
        wkts = wire_wkts([loc for _u, loc in pairs], image_height(s, image_pk))
        for (unit, _loc), wkt in zip(pairs, wkts, strict=True):
            unit.request["data"]["location"] = wkt
    return units, handled, waiting


def plan_annotation(s: Session, ops: list[CommandLog], ambiguous: bool) -> Unit | None:
    """Create, update (geometry) or delete; a reviewed copy goes to ``plan_review``."""
    ann = s.get(Annotation, ops[0].entity_pk)
    unit = Unit("annotation", ops[0].entity_pk, ops, "noop")
    if ann is None:
        return unit  # purged meanwhile (e.g. resolved): nothing left to say
    if ann.kind is AnnotationKind.REVIEWED:
        return plan_review(s, ann, unit, ambiguous)
    if any(op.kind not in (OpKind.CREATE, OpKind.UPDATE, OpKind.DELETE) for op in ops):
        unit.action = "unsupported"
        return unit
    exists = ann.server_id is not None
    alive, loc = net(ops, exists or ambiguous)
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
        unit.action = "update"
        unit.request = {
            "entity": "annotation",
            "action": "update",
            "id": ann.server_id,
            "baseUpdated": base,
            "data": {"location": to_cytomine_wkt(parse_wkt(loc), height)},
        }
    return unit


def plan_link(s: Session, ops: list[CommandLog], ambiguous: bool) -> Unit | None:
    """A term link is a set member: add or remove, never "update"."""
    link = s.get(AnnotationTerm, ops[0].entity_pk)
    unit = Unit("annotation_term", ops[0].entity_pk, ops, "noop")
    if link is None:
        return unit
    known = link.base_json is not None
    alive, _ = net(ops, known or ambiguous)
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
