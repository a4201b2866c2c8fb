"""Planning the push of review decisions (accept, reject, and withdrawing either).

Representation on the server (docs/api.md "Review decisions"):

* accepted = a Cytomine ReviewedAnnotation (``POST /api/annotation/{id}/review.json``
  inside a review session of the image);
* rejected = Cytomine keeps no row for it, so it is the property
  ``sync:review.rejected`` = ``{"reviewUser", "terms"}`` (JSON) on the parent, created
  with the local review row's uid (a retry never doubles it);
* withdrawing = ``DELETE …/review.json`` resp. deleting that property.

A user changing his own decision before it was pushed sends only the final one (the
withdrawn row is dropped); after the push, the withdrawal goes first and the new
decision waits for it (:func:`_older_decision_pending`), so the server never sees
two decisions of one reviewer.  Across users the first decision stands: the server
refuses a rejection of a reviewed annotation (409), and an accept first checks for
another reviewer's rejection (``push.send.rest``).
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationKind, ReviewedAnnotationTerm
from desktop_app.model.image import ImageInstance
from desktop_app.model.ontology import Term
from desktop_app.model.security import User
from desktop_app.model.sync import OpKind
from desktop_app.sync.local import any_unfinished, loads
from desktop_app.sync.push.units import Unit
from desktop_app.sync.rejection import REJECTED_KEY, rejected_as


def plan_review(s: Session, ann: Annotation, unit: Unit, ambiguous: bool = False) -> Unit | None:
    kinds = {op.kind for op in unit.ops}
    rejected = rejected_as(ann)
    on_server = ann.server_id is not None or rejected is not None
    decision = kinds & {OpKind.REVIEW_ACCEPT, OpKind.REVIEW_REJECT}
    if decision and (ambiguous or not on_server) and (ambiguous or not ann.local_deleted):
        # an unknown outcome is re-sent as meant; a later withdrawal follows next round
        if _older_decision_pending(s, ann):
            return None
        if OpKind.REVIEW_ACCEPT in decision:
            return _plan_accept(s, ann, unit)
        return _plan_reject(s, ann, unit)
    if ann.local_deleted and not on_server:
        unit.action = "drop"  # decided and withdrawn before any sync: nothing to say
        return unit
    if ann.local_deleted and ann.server_id is not None:
        return _plan_unreview(s, ann, unit)
    if ann.local_deleted and rejected is not None:
        unit.action = "unreject"
        unit.request = {"entity": "property", "action": "delete", "id": int(rejected["id"])}
        unit.request["data"] = {
            "domainClassName": rejected.get("domainClassName"),
            "domainIdent": rejected.get("domainIdent"),
        }
        return unit
    unit.action = "noop" if on_server else "unsupported"
    return unit


def _older_decision_pending(s: Session, ann: Annotation) -> bool:
    """Another decision on the same parent whose ops are not delivered yet goes first."""
    if ann.parent_pk is None:
        return False
    others = select(Annotation.pk).where(
        Annotation.kind == AnnotationKind.REVIEWED,
        Annotation.parent_pk == ann.parent_pk,
        Annotation.pk < ann.pk,
    )
    return any_unfinished(s, "annotation", others)


def reviewed_term_ids(s: Session, ann: Annotation) -> list[int | None]:
    """Server ids of the terms a reviewer confirmed (None for a term not yet on the server)."""
    return list(
        s.scalars(
            select(Term.server_id)
            .join(ReviewedAnnotationTerm, ReviewedAnnotationTerm.term_pk == Term.pk)
            .where(ReviewedAnnotationTerm.reviewed_annotation_pk == ann.pk)
        )
    )


def _parent(s: Session, ann: Annotation, unit: Unit) -> Annotation | None:
    parent = s.get(Annotation, ann.parent_pk) if ann.parent_pk else None
    if parent is None:
        unit.action = "unsupported"
    return parent


def _plan_accept(s: Session, ann: Annotation, unit: Unit) -> Unit | None:
    parent = _parent(s, ann, unit)
    if parent is None:
        return unit
    terms = reviewed_term_ids(s, ann)
    if parent.server_id is None or any(t is None for t in terms):
        return None
    image = s.get(ImageInstance, parent.image_pk)
    unit.action = "review"
    unit.request = {
        "parent": parent.server_id,
        "cls": parent.cytomine_class,
        "image": image.server_id if image else None,
        "terms": sorted(int(t) for t in terms if t is not None),
    }
    return unit


def _plan_reject(s: Session, ann: Annotation, unit: Unit) -> Unit | None:
    parent = _parent(s, ann, unit)
    if parent is None:
        return unit
    if parent.server_id is None:
        return None
    terms = reviewed_term_ids(s, ann)
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
