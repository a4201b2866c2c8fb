"""Planning the push of term edits in an ontology that is already on the server.

Terms are read-mostly (sync-design 5.7: per-field last writer wins): a rename or
recolour is ``PUT /api/term/{id}.json`` with the local row (the server's values for
every field not edited here, see ``checkout``) and its base version; a stale base
comes back 409 and is rebased onto the server's current term and sent again.  A
new term is ``POST /api/term.json`` with its uid; a deleted one ``DELETE``, sent only
after every term-link op on it has gone (the server refuses to delete a term still
used by an annotation: that refusal is kept as a sync issue).  Parent links are
idempotent set members: ``POST /api/relation/parent/term.json`` / ``DELETE …``.
Ops on a local-only ontology wait: it goes up with its project (``local_projects``).
The ontology's own name is ``PUT /api/ontology/{id}.json`` with its base version.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import AnnotationTerm
from desktop_app.model.ontology import Ontology, RelationTerm, Term
from desktop_app.model.sync import CommandLog, OpKind
from desktop_app.sync.local import any_unfinished
from desktop_app.sync.push.units import Unit

ONTOLOGY_TABLES = ("ontology", "term", "relation_term")


def ontology_on_server(s: Session, table: str, pk: int) -> bool:
    if table == "relation_term":
        rel = s.get(RelationTerm, pk)
        pk, table = (rel.term1_pk, "term") if rel is not None else (0, "")
    if table == "term":
        term = s.get(Term, pk)
        pk = term.ontology_pk if term is not None else 0
    onto = s.get(Ontology, pk)
    return onto is not None and onto.server_id is not None


def plan_ontology_op(s: Session, table: str, ops: list[CommandLog], ambiguous: bool) -> Unit | None:
    if table == "term":
        return _plan_term(s, ops, ambiguous)
    if table == "relation_term":
        return _plan_relation(s, ops)
    return _plan_ontology(s, ops)


def _plan_ontology(s: Session, ops: list[CommandLog]) -> Unit:
    """The ontology row itself: a rename is ``PUT /api/ontology/{id}.json`` (its only
    field) against the version it was renamed from; its creation went up with its
    project (``local_projects``), and deleting one is not synced (server wins)."""
    onto = s.get(Ontology, ops[0].entity_pk)
    unit = Unit("ontology", ops[0].entity_pk, ops, "noop")
    if onto is None or onto.server_id is None:
        return unit
    if any(op.kind is OpKind.DELETE for op in ops):
        unit.action = "unsupported"
    elif any(op.kind is OpKind.UPDATE for op in ops):
        base = next((op.base_server_updated for op in ops if op.base_server_updated), None)
        unit.action = "ontology_update"
        unit.request = {
            "id": onto.server_id,
            "data": {"name": onto.name, "baseUpdated": base or onto.server_updated},
        }
    return unit


def term_body(s: Session, term: Term) -> dict[str, object]:
    onto = s.get(Ontology, term.ontology_pk)
    return {
        "name": term.name,
        "color": term.color,
        "comment": term.comment,
        "ontology": onto.server_id if onto is not None else None,
    }


def _links_busy(s: Session, term_pk: int) -> bool:
    links = select(AnnotationTerm.pk).where(AnnotationTerm.term_pk == term_pk)
    return any_unfinished(s, "annotation_term", links)


def _plan_term(s: Session, ops: list[CommandLog], ambiguous: bool) -> Unit | None:
    term = s.get(Term, ops[0].entity_pk)
    unit = Unit("term", ops[0].entity_pk, ops, "noop")
    if term is None:
        return unit
    if term.server_id is None:
        if term.local_deleted and not ambiguous:
            unit.action = "drop"
            return unit
        unit.action = "term_create"
        unit.request = {**term_body(s, term), "uid": term.uid}
        return unit
    if term.local_deleted:
        if _links_busy(s, term.pk):
            return None  # the links' removals go first (the server refuses a used term)
        unit.action = "term_delete"
        unit.request = {"id": term.server_id}
        return unit
    if any(op.kind in (OpKind.UPDATE, OpKind.CREATE) for op in ops):
        base = next((op.base_server_updated for op in ops if op.base_server_updated), None)
        unit.action = "term_update"
        unit.request = {
            "id": term.server_id,
            "data": {**term_body(s, term), "baseUpdated": base or term.server_updated},
        }
    return unit


def _plan_relation(s: Session, ops: list[CommandLog]) -> Unit | None:
    rel = s.get(RelationTerm, ops[0].entity_pk)
    unit = Unit("relation_term", ops[0].entity_pk, ops, "noop")
    if rel is None:
        return unit
    parent, child = s.get(Term, rel.term1_pk), s.get(Term, rel.term2_pk)
    if parent is None or child is None:
        return unit
    if parent.server_id is None or child.server_id is None:
        if rel.local_deleted and (parent.local_deleted or child.local_deleted):
            unit.action = "drop"  # a link of a term that never reached the server
            return unit
        return None
    unit.action = "relation_delete" if rel.local_deleted else "relation_create"
    unit.request = {"term1": parent.server_id, "term2": child.server_id, "uid": rel.uid}
    return unit
