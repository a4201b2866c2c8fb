"""Ontologies, terms and parent/child relations (Cytomine section 3.2).

A term still used by an annotation (any user's link, a reviewed copy, an algo result)
cannot be deleted (400), so no client ever loses an annotation's term behind its back.

Rights: anyone but a guest may create an ontology; reading needs to be its creator, an
admin, or a member of a project that uses it; changing it (and its terms/relations)
needs to be its creator, an admin, or a manager (admin access) of a project using it.
Term changes go to the change feed of every project using the ontology.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import (
    AlgoAnnotationTerm,
    AnnotationTerm,
    ReviewedAnnotationTerm,
)
from desktop_app.model.ontology import PARENT_RELATION, Ontology, Relation, RelationTerm, Term
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.answers_project import TermJson
from desktop_app.protocol.cytomine.ontology import OntologyBody, RelationTermBody, TermBody
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, forbidden, not_found
from desktop_app.server.rights import require_project, require_writer
from desktop_app.server.serial import CLS, ontology_json, relation_term_json, term_json
from desktop_app.server.wire import answer_doc, body_doc, page, request_json

router = APIRouter()
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$|^#[0-9A-Fa-f]{3}$")


def _projects_using(db: Session, ontology_pk: int) -> list[int]:
    return list(db.scalars(select(Project.pk).where(Project.ontology_pk == ontology_pk)))


def _projects_of_relation(db: Session, rt: RelationTerm) -> list[int]:
    """The projects whose ontology holds the relation's first term."""
    term = db.get(Term, rt.term1_pk)
    return [] if term is None else _projects_using(db, term.ontology_pk)


def ontology_access(db: Session, caller: Caller, o: Ontology) -> Access | None:
    if caller.is_admin or o.user_pk in (caller.pk, caller.rights_pk):
        return Access.ADMIN
    best: Access | None = None
    for (access,) in db.execute(
        select(ProjectMember.access)
        .join(Project, Project.pk == ProjectMember.project_pk)
        .where(Project.ontology_pk == o.pk, ProjectMember.user_pk == caller.rights_pk)
    ):
        if access is Access.ADMIN:
            return Access.RO if caller.is_guest else Access.ADMIN
        best = Access.RO
    return best


def require_ontology(db: Session, caller: Caller, pk: int, write: bool = False) -> Ontology:
    o = db.get(Ontology, pk)
    if o is None:
        raise not_found("Ontology", pk)
    access = ontology_access(db, caller, o)
    if access is None:
        raise forbidden(f"You cannot read ontology {pk}")
    if write and (access is not Access.ADMIN or caller.is_guest):
        raise forbidden(f"You cannot change ontology {pk}")
    return o


def _apply_ontology(db: Session, caller: Caller, o: Ontology, body: OntologyBody, c: bool) -> None:
    o.name = body.name
    if c:
        o.user_pk = caller.pk


def _apply_term(db: Session, caller: Caller, t: Term, body: TermBody, c: bool) -> None:
    t.name = body.name
    t.comment = body.comment
    color = body.color or "#FF0000"
    if not _COLOR.match(color):
        raise bad_request("color must look like #RRGGBB")
    t.color = color
    require_ontology(db, caller, body.ontology, write=True)
    t.ontology_pk = body.ontology


ONTOLOGY = crud.Resource(
    "ontology",
    CLS["ontology"],
    Ontology,
    ontology_json,
    _apply_ontology,
    lambda db, o: _projects_using(db, o.pk),
    "Ontology",
    OntologyBody,
)
TERM = crud.Resource(
    "term",
    CLS["term"],
    Term,
    lambda db, t: term_json(db, t),
    _apply_term,
    lambda db, t: _projects_using(db, t.ontology_pk),
    "Term",
    TermBody,
)


def _apply_relation(
    db: Session, caller: Caller, rt: RelationTerm, body: RelationTermBody, c: bool
) -> None:
    t1, t2 = body.term1, body.term2
    terms = [db.get(Term, t1), db.get(Term, t2)]
    if terms[0] is None or terms[1] is None:
        raise bad_request("term1 and term2 must be existing terms")
    if terms[0].ontology_pk != terms[1].ontology_pk or t1 == t2:
        raise bad_request("term1 and term2 must be two terms of the same ontology")
    require_ontology(db, caller, terms[0].ontology_pk, write=True)
    rel = db.scalars(select(Relation).where(Relation.name == PARENT_RELATION)).one()
    rt.relation_pk, rt.term1_pk, rt.term2_pk = rel.pk, t1, t2


RELATION = crud.Resource(
    "relationterm",
    CLS["relationterm"],
    RelationTerm,
    relation_term_json,
    _apply_relation,
    lambda db, rt: _projects_of_relation(db, rt),
    "RelationTerm",
    RelationTermBody,
)


@router.get("/api/ontology.json")
def list_ontologies(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    rows = [
        o
        for o in db.scalars(select(Ontology).order_by(Ontology.pk))
        if ontology_access(db, caller, o) is not None
    ]
    return page([ontology_json(db, o) for o in rows], request)


@router.post("/api/ontology.json", openapi_extra=body_doc(OntologyBody))
def add_ontology(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    require_writer(caller)
    return crud.create(db, request, ONTOLOGY, caller, payload)


def _ontology(db: Session, caller: Caller, pk: int, level: Access) -> Ontology:
    return require_ontology(db, caller, pk, write=level is not Access.RO)


crud.item_routes(
    router,
    "/api/ontology/{pk}.json",
    ONTOLOGY,
    _ontology,
    param="pk",
    names=("get_ontology", "edit_ontology", None),
)


@router.delete("/api/ontology/{pk}.json")
def delete_ontology(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    o = require_ontology(db, caller, pk, write=True)
    if _projects_using(db, pk):
        raise bad_request("The ontology is still used by a project")
    return crud.delete(db, request, ONTOLOGY, caller, o)


@router.get("/api/term.json", openapi_extra=answer_doc(TermJson, listed=True))
def list_terms(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> dict[str, Any]:
    out = []
    for o in db.scalars(select(Ontology).order_by(Ontology.pk)):
        if ontology_access(db, caller, o) is not None:
            out += [
                term_json(db, t) for t in db.scalars(select(Term).where(Term.ontology_pk == o.pk))
            ]
    return page(out, request)


@router.get("/api/ontology/{pk}/term.json", openapi_extra=answer_doc(TermJson, listed=True))
def ontology_terms(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    require_ontology(db, caller, pk)
    terms = db.scalars(select(Term).where(Term.ontology_pk == pk).order_by(Term.pk))
    return page([term_json(db, t) for t in terms], request)


@router.get("/api/project/{pk}/term.json", openapi_extra=answer_doc(TermJson, listed=True))
def project_terms(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    p = require_project(db, caller, pk)
    if p.ontology_pk is None:
        return page([], request)
    terms = db.scalars(select(Term).where(Term.ontology_pk == p.ontology_pk).order_by(Term.pk))
    return page([term_json(db, t) for t in terms], request)


@router.post("/api/term.json", openapi_extra=body_doc(TermBody))
def add_term(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    require_writer(caller)
    return crud.create(db, request, TERM, caller, payload)


def _term(db: Session, caller: Caller, pk: int, level: Access) -> Term:
    t = TERM.get(db, pk)
    require_ontology(db, caller, t.ontology_pk, write=level is not Access.RO)
    return t


crud.item_routes(
    router,
    "/api/term/{pk}.json",
    TERM,
    _term,
    param="pk",
    names=("get_term", "edit_term", None),
)


def term_uses(db: Session, term_pk: int) -> int:
    """How many annotations (any user, reviewed copies included) still use a term."""

    links = db.scalar(
        select(func.count(func.distinct(AnnotationTerm.annotation_pk))).where(
            AnnotationTerm.term_pk == term_pk
        )
    )
    reviewed = db.scalar(select(func.count()).where(ReviewedAnnotationTerm.term_pk == term_pk))
    algo = db.scalar(
        select(func.count()).where(
            (AlgoAnnotationTerm.term_pk == term_pk)
            | (AlgoAnnotationTerm.expected_term_pk == term_pk)
        )
    )
    return int(links or 0) + int(reviewed or 0) + int(algo or 0)


@router.delete("/api/term/{pk}.json")
def delete_term(
    pk: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    """Refused (400) while annotations use the term, as Cytomine refuses to delete a term
    still linked to annotations: deleting it would silently strip their terms."""
    t = _term(db, caller, pk, Access.RW)
    used = term_uses(db, t.pk)
    if used:
        raise bad_request(
            f"Term {t.name!r} is still used by {used} annotation(s); remove it from them first"
        )
    return crud.delete(db, request, TERM, caller, t)


@router.post("/api/relation/{relation}/term.json", openapi_extra=body_doc(RelationTermBody))
def add_relation(
    relation: str,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> dict[str, Any]:
    """``{relation}`` is ignored as in Cytomine (only "parent" exists)."""
    require_writer(caller)
    return crud.create(db, request, RELATION, caller, payload)


def _find_relation(db: Session, caller: Caller, t1: int, t2: int) -> RelationTerm:
    rt = db.scalars(
        select(RelationTerm).where(RelationTerm.term1_pk == t1, RelationTerm.term2_pk == t2)
    ).first()
    if rt is None:
        raise not_found("RelationTerm", f"{t1}/{t2}")
    return rt


@router.get("/api/relation/{relation}/term1/{t1}/term2/{t2}.json")
def get_relation(
    relation: str,
    t1: int,
    t2: int,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    rt = _find_relation(db, caller, t1, t2)
    require_ontology(db, caller, _relation_ontology(db, rt))
    return relation_term_json(db, rt)


@router.delete("/api/relation/{relation}/term1/{t1}/term2/{t2}.json")
def delete_relation(
    relation: str,
    t1: int,
    t2: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> dict[str, Any]:
    rt = _find_relation(db, caller, t1, t2)
    require_ontology(db, caller, _relation_ontology(db, rt), write=True)
    return crud.delete(db, request, RELATION, caller, rt)


def _relation_ontology(db: Session, rt: RelationTerm) -> int:
    term = db.get(Term, rt.term1_pk)
    assert term is not None
    return term.ontology_pk
