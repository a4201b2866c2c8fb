"""Terms on annotations (Cytomine AnnotationTerm, per user; section 3.6)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.ontology import Term
from desktop_app.model.project import Project
from desktop_app.model.security import Access
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.rights import require_project
from desktop_app.server.routes.annotation import get_annotation
from desktop_app.server.serial import CLS, base
from desktop_app.server.wire import command_envelope, page, request_json

router = APIRouter()


def at_json(db: Session, at: AnnotationTerm) -> dict[str, Any]:
    out = base("annotationterm", at)
    out.update({"userannotation": at.annotation_pk, "term": at.term_pk, "user": at.user_pk})
    return out


def _project_of(db: Session, at: AnnotationTerm) -> list[int]:
    a = db.get(Annotation, at.annotation_pk)
    return [a.project_pk] if a else []


def _apply(db: Session, caller: Caller, at: AnnotationTerm, body: dict[str, Any], c: bool) -> None:
    at.annotation_pk, at.term_pk, at.user_pk = body["_annotation"], body["_term"], body["_user"]


AT = crud.Resource(
    "annotationterm",
    CLS["annotationterm"],
    AnnotationTerm,
    at_json,
    _apply,
    _project_of,
    "AnnotationTerm",
)


def check_term(db: Session, project_pk: int, term_pk: int) -> None:
    """400 unless the term exists and belongs to the project's ontology."""
    p = db.get(Project, project_pk)
    t = db.get(Term, term_pk)
    if t is None or p is None or t.ontology_pk != p.ontology_pk:
        raise bad_request(f"Term {term_pk} is not in the project's ontology")


@router.get("/api/annotation/{pk}/term.json")
def list_terms(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    get_annotation(db, caller, pk)
    rows = db.scalars(select(AnnotationTerm).where(AnnotationTerm.annotation_pk == pk))
    return page([at_json(db, r) for r in rows], request)


def _find(db: Session, pk: int, term: int, user: int) -> AnnotationTerm | None:
    return db.scalars(
        select(AnnotationTerm).where(
            AnnotationTerm.annotation_pk == pk,
            AnnotationTerm.term_pk == term,
            AnnotationTerm.user_pk == user,
        )
    ).first()


@router.get("/api/annotation/{pk}/term/{term}.json")
def get_term(
    pk: int, term: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    get_annotation(db, caller, pk)
    at = db.scalars(
        select(AnnotationTerm).where(
            AnnotationTerm.annotation_pk == pk, AnnotationTerm.term_pk == term
        )
    ).first()
    if at is None:
        raise not_found("AnnotationTerm", f"{pk}/{term}")
    return at_json(db, at)


def _add(
    db: Session, request: Request, caller: Caller, pk: int, term: int, clear: bool, payload: Any
) -> Any:
    a = get_annotation(db, caller, pk, Access.RW)
    check_term(db, a.project_pk, term)
    body = payload if isinstance(payload, dict) else {}
    if clear:
        for old in db.scalars(
            select(AnnotationTerm).where(
                AnnotationTerm.annotation_pk == pk, AnnotationTerm.user_pk == caller.pk
            )
        ):
            if old.term_pk != term:
                crud._feed(db, AT, old, "deleted", caller)
                db.delete(old)
        db.flush()
    existing = _find(db, pk, term, caller.pk)
    if existing is not None:
        again = crud.existing_for_uid(
            db, AT, caller, body.get("uid") or request.headers.get("x-client-uid")
        )
        if again is not None or clear:
            db.commit()
            return command_envelope("annotationterm", at_json(db, existing), "added", None, AT.cls)
        raise ApiError(409, "AnnotationTerm already exists", annotationterm=at_json(db, existing))
    body.update({"_annotation": pk, "_term": term, "_user": caller.pk})
    return crud.create(db, request, AT, caller, body)


@router.post("/api/annotation/{pk}/term/{term}.json")
def add_term(
    pk: int,
    term: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Any:
    return _add(db, request, caller, pk, term, False, payload)


@router.post("/api/annotation/{pk}/term/{term}/clearBefore.json")
def set_term(
    pk: int,
    term: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Any:
    return _add(db, request, caller, pk, term, True, payload)


def _remove(db: Session, request: Request, caller: Caller, pk: int, term: int, user: int) -> Any:
    a = get_annotation(db, caller, pk, Access.RW)
    if user != caller.pk:
        require_project(db, caller, a.project_pk, Access.ADMIN)
    at = _find(db, pk, term, user)
    if at is None:
        raise not_found("AnnotationTerm", f"{pk}/{term}/{user}")
    return crud.delete(db, request, AT, caller, at)


@router.delete("/api/annotation/{pk}/term/{term}.json")
def delete_term(
    pk: int,
    term: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Any:
    return _remove(db, request, caller, pk, term, caller.pk)


@router.delete("/api/annotation/{pk}/term/{term}/user/{user}.json")
def delete_user_term(
    pk: int,
    term: int,
    user: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Any:
    return _remove(db, request, caller, pk, term, user)
