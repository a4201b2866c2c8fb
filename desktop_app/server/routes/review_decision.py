"""Readers' review decisions and reason codes: a sync extension (docs/api.md 5.4c).

Cytomine keeps one reviewed copy per annotation, the project's *final* decision; a
validation study needs every reader's own decision.  These routes store them
(``review_decision`` rows, keyed annotation + reviewer + role) without touching the
reviewed copy, except for an **adjudicator** decision (project admins only), which
*is* the final decision: it replaces the reviewed copy (accept) or the rejection
property (reject), so a stock Cytomine client sees the adjudicated outcome.

Visibility: project admins see every decision; in a blinded project (``blindMode``)
any other member sees only their own; otherwise members see all.  A hidden decision
is a 404, like a missing one, so its existence does not leak.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import CYTOMINE_CLASS, Annotation, AnnotationKind
from desktop_app.model.attachment import Property
from desktop_app.model.project import Project
from desktop_app.model.review import DEFAULT_REASONS, DecisionRole, ReviewDecision, Verdict
from desktop_app.model.security import Access, User
from desktop_app.protocol.review import (
    DecisionList,
    DecisionQuery,
    DecisionRequest,
    DecisionTarget,
    ReasonItem,
    ReasonList,
    ReviewDecisionJson,
    ReviewReason,
)
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.decisions import REJECTED_KEY
from desktop_app.server.errors import bad_request, forbidden, not_found
from desktop_app.server.feed import (
    client_uid,
    find_key,
    record_change,
    remember_key,
)
from desktop_app.server.rights import project_access, require_project
from desktop_app.server.routes.annotation import get_annotation
from desktop_app.server.routes.annotation_term import check_term
from desktop_app.server.routes.attachments import PROPERTY
from desktop_app.server.routes.review import (
    REVIEWED,
    lock_for_decision,
    refuse_decision,
    write_reviewed,
)
from desktop_app.server.wire import body_doc, ms, ms_str, now, parse_body, query_model, request_json

router = APIRouter()
KEY = "reviewdecision"
CLASS = "be.cytomine.sync.ReviewDecision"


def decision_json(d: ReviewDecision, username: str | None) -> dict[str, Any]:
    return ReviewDecisionJson(
        cls=CLASS,
        id=d.pk,
        uid=d.uid,
        created=ms_str(d.created),
        updated=ms_str(d.updated),
        annotation=d.annotation_pk,
        project=d.project_pk,
        image=d.image_pk,
        reviewer=d.reviewer_pk,
        reviewerName=username,
        role=d.role.value,
        decision=d.decision.value,
        reason=d.reason,
        comment=d.comment,
        terms=sorted(int(t) for t in d.term_pks or ()),
        decidedAt=ms(d.decided_at),
    ).model_dump(by_alias=True)


def sees_all(db: Session, caller: Caller, project: Project) -> bool:
    """Whether the caller may read other readers' decisions in ``project``."""
    return not project.blind_mode or project_access(db, caller, project.pk) is Access.ADMIN


def visible_query(db: Session, caller: Caller, project: Project) -> Select[ReviewDecision, str]:
    q = (
        select(ReviewDecision, User.username)
        .join(User, User.pk == ReviewDecision.reviewer_pk)
        .where(ReviewDecision.project_pk == project.pk)
        .order_by(ReviewDecision.pk)
    )
    if not sees_all(db, caller, project):
        q = q.where(ReviewDecision.reviewer_pk == caller.pk)
    return q


def reasons_of(project: Project) -> list[dict[str, str]]:
    if project.review_reasons is not None:
        return [dict(r) for r in project.review_reasons]
    return [{"code": c, "label": label} for c, label in DEFAULT_REASONS]


@router.get("/api/project/{pk}/reviewreason.json")
def list_reasons(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    project = require_project(db, caller, pk)
    reasons = [ReviewReason(**r) for r in reasons_of(project)]
    default = project.review_reasons is None
    return ReasonList(collection=reasons, size=len(reasons), default=default).model_dump()


@router.put(
    "/api/project/{pk}/reviewreason.json", openapi_extra=body_doc(ReasonItem, key="collection")
)
def set_reasons(
    pk: int,
    body: Any = Depends(request_json),
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    """Replace the project's reason list (project admins); ``null`` restores the defaults."""
    project = require_project(db, caller, pk, Access.ADMIN)
    raw = body.get("collection") if isinstance(body, dict) else body
    if raw is None:
        project.review_reasons = None
    else:
        project.review_reasons = _parse_reasons(raw)
    project.updated = now()
    record_change(db, [pk], "reviewreason", pk, project.uid, "updated", ms(now()), caller.pk)
    db.commit()
    return list_reasons(pk, db, caller)


def _parse_reasons(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list) or not raw:
        raise bad_request("collection must be a non-empty list of {code, label}")
    out: list[dict[str, str]] = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request("each reason is an object {code, label}")
        reason = parse_body(ReasonItem, item)
        out.append({"code": reason.code.strip(), "label": reason.label.strip()})
    if len({r["code"] for r in out}) != len(out):
        raise bad_request("reason codes must be unique within a project")
    return out


@router.get("/api/project/{pk}/reviewdecision.json")
def list_decisions(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    """The decisions of the project the caller may see; ``image``/``annotation`` filter."""
    project = require_project(db, caller, pk)
    q = visible_query(db, caller, project)
    f = query_model(DecisionQuery, request)
    image, annotation = f.image, f.annotation
    if image is not None:
        q = q.where(ReviewDecision.image_pk == image)
    if annotation is not None:
        q = q.where(ReviewDecision.annotation_pk == annotation)
    rows = [ReviewDecisionJson.model_validate(decision_json(d, n)) for d, n in db.execute(q)]
    blinded = not sees_all(db, caller, project)
    return DecisionList(collection=rows, size=len(rows), blinded=blinded).model_dump(by_alias=True)


def _get_visible(db: Session, caller: Caller, pk: int) -> ReviewDecision:
    d = db.get(ReviewDecision, pk)
    if d is None:
        raise not_found("ReviewDecision", pk)
    project = require_project(db, caller, d.project_pk)
    if d.reviewer_pk != caller.pk and not sees_all(db, caller, project):
        raise not_found("ReviewDecision", pk)
    return d


@router.get("/api/reviewdecision/{pk}.json")
def get_decision(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    d = _get_visible(db, caller, pk)
    return decision_json(d, db.scalar(select(User.username).where(User.pk == d.reviewer_pk)))


@router.post("/api/reviewdecision.json", openapi_extra=body_doc(DecisionRequest))
def create_decision(
    request: Request,
    body: Any = Depends(request_json),
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    """Record the caller's decision; a retry (same ``uid``) or the same verdict again
    answers the existing row, a different verdict of the same reader is 409."""
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object")
    uid = client_uid(request, body)
    key = find_key(db, caller.pk, f"{KEY}:{uid}") if uid is not None else None
    if key is not None and (done := db.get(ReviewDecision, key.entity_pk)) is not None:
        return {KEY: decision_json(done, caller.user.username), "created": False}
    a = get_annotation(db, caller, parse_body(DecisionTarget, body).annotation)
    if a.kind is AnnotationKind.REVIEWED:
        raise bad_request("A reviewed copy is not reviewed itself; review its annotation")
    project = require_project(db, caller, a.project_pk, Access.RW)
    req = parse_body(DecisionRequest, body)
    role = _enum(DecisionRole, req.role, "role")
    if role is DecisionRole.ADJUDICATOR:
        require_project(db, caller, a.project_pk, Access.ADMIN)
    verdict = _enum(Verdict, req.decision, "decision")
    terms = req.terms
    for t in set(terms):
        check_term(db, a.project_pk, t)
    reason = req.reason or None
    if reason is not None and reason not in {r["code"] for r in reasons_of(project)}:
        raise bad_request(f"Unknown reason code {reason!r} for project {project.pk}")
    comment = req.comment
    lock_for_decision(db, a.pk)
    existing = db.scalar(
        select(ReviewDecision).where(
            ReviewDecision.annotation_pk == a.pk,
            ReviewDecision.reviewer_pk == caller.pk,
            ReviewDecision.role == role,
        )
    )
    if existing is not None and role is DecisionRole.READER:
        js = decision_json(existing, caller.user.username)
        if existing.decision is verdict:
            return {KEY: js, "created": False}
        refuse_decision(db, f"You already {existing.decision.value} annotation {a.pk}", **{KEY: js})
    if existing is not None:  # an adjudicator changes the final call: the new one replaces it
        record_change(
            db, [a.project_pk], KEY, existing.pk, existing.uid, "deleted", None, caller.pk
        )
        db.delete(existing)
        db.flush()
    decided = req.decidedAt
    d = ReviewDecision(
        annotation_pk=a.pk,
        project_pk=a.project_pk,
        image_pk=a.image_pk,
        reviewer_pk=caller.pk,
        role=role,
        decision=verdict,
        reason=reason,
        comment=(comment or "").strip() or None,
        term_pks=sorted(set(terms)),
    )
    if decided is not None:
        d.decided_at = datetime.fromtimestamp(decided / 1000, UTC)
    if uid is not None:
        d.uid = uid
    db.add(d)
    db.flush()
    if uid is not None:
        remember_key(db, caller.pk, f"{KEY}:{uid}", KEY, d.pk)
    record_change(db, [a.project_pk], KEY, d.pk, d.uid, "created", ms(d.created), caller.pk)
    if role is DecisionRole.ADJUDICATOR:
        _set_final(db, caller, a, verdict, sorted(set(terms)))
    js = decision_json(d, caller.user.username)
    db.commit()
    return {KEY: js, "created": True}


def _set_final(
    db: Session, caller: Caller, a: Annotation, verdict: Verdict, terms: list[int]
) -> None:
    """Make the adjudicated decision the project's final one (Cytomine's representation):
    an accept is the reviewed copy, a reject the ``sync:review.rejected`` property."""
    for r in db.scalars(
        select(Annotation).where(
            Annotation.kind == AnnotationKind.REVIEWED, Annotation.parent_pk == a.pk
        )
    ):
        crud._feed(db, REVIEWED, r, "deleted", caller)
        db.delete(r)
    fqcn = CYTOMINE_CLASS[a.kind]
    for p in db.scalars(
        select(Property).where(
            Property.domain_class_name == fqcn,
            Property.domain_pk == a.pk,
            Property.key == REJECTED_KEY,
        )
    ):
        crud._feed(db, PROPERTY, p, "deleted", caller)
        db.delete(p)
    db.flush()
    a.count_reviewed_annotations = 0
    if verdict is Verdict.ACCEPTED:
        write_reviewed(db, caller, a, terms)
        return
    p = Property(
        domain_class_name=fqcn,
        domain_pk=a.pk,
        key=REJECTED_KEY,
        value=json.dumps({"reviewUser": caller.pk, "terms": terms}),
    )
    db.add(p)
    db.flush()
    crud._feed(db, PROPERTY, p, "created", caller)
    record_change(db, [a.project_pk], "annotation", a.pk, a.uid, "updated", ms(now()), caller.pk)


@router.delete("/api/reviewdecision/{pk}.json")
def delete_decision(
    pk: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    """Withdraw a decision (its reader's undo); a project admin may withdraw any.

    Withdrawing an adjudication leaves the final decision it wrote in place (setting a
    new final one is another adjudication)."""
    d = _get_visible(db, caller, pk)
    admin = project_access(db, caller, d.project_pk) is Access.ADMIN
    if d.reviewer_pk != caller.pk and not admin:
        raise forbidden("Only its reader or a project admin may withdraw a decision")
    js = decision_json(d, db.scalar(select(User.username).where(User.pk == d.reviewer_pk)))
    record_change(db, [d.project_pk], KEY, d.pk, d.uid, "deleted", None, caller.pk)
    db.delete(d)
    db.commit()
    return {KEY: js, "deleted": True}


def _enum(cls: type[Verdict] | type[DecisionRole], raw: Any, name: str) -> Any:
    try:
        return cls(raw)
    except ValueError:
        choices = ", ".join(m.value for m in cls)
        raise bad_request(f"{name} must be one of {choices}") from None


__all__ = ["decision_json", "router", "sees_all"]
