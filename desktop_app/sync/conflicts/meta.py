"""What each answer does to what is not an annotation: term links, terms, parent links,
properties, descriptions and attached files (rows of ``conflicts.resolve``).

A description changed on both sides shows theirs; mine is sent against the server's
current version.  A refused change discarded by the user goes back to the last server
version, and a row the server never had is removed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.attachment import AttachedFile, Description, Property
from desktop_app.model.base import SyncState
from desktop_app.model.ontology import RelationTerm, Term
from desktop_app.model.sync import OpKind
from desktop_app.store import attached_files
from desktop_app.sync.conflicts.records import Resolution
from desktop_app.sync.local import loads

MODELS: dict[str, Any] = {
    "annotation_term": AnnotationTerm,
    "term": Term,
    "relation_term": RelationTerm,
    "property": Property,
    "description": Description,
    "attached_file": AttachedFile,
}


def meta_row(r: Resolution) -> Any:
    """The term, link, property, description or file the conflict is about (None: gone)."""
    cls = MODELS.get(r.conflict.entity_type)
    return r.session.get(cls, r.conflict.entity_pk) if cls is not None else None


def keep_their_text(r: Resolution) -> None:
    row = meta_row(r)
    if row is not None:
        row.sync_state, row.dirty_fields = SyncState.SYNCED, []


def send_my_text(r: Resolution) -> None:
    """My text, sent against the server's current version."""
    _write_text(r, str(r.mine.get("data") or ""))


def send_both_texts(r: Resolution) -> None:
    """Theirs, then mine on the next line."""
    row = meta_row(r)
    if row is not None:
        _write_text(r, f"{row.data}\n{r.mine.get('data') or ''}")


def _write_text(r: Resolution, text: str) -> None:
    row = meta_row(r)
    if row is None:
        return
    s = r.session
    old, row.data = row.data, text
    ann = s.get(Annotation, row.domain_pk)
    project = ann.project_pk if ann is not None else None
    r.uow.log(OpKind.UPDATE, row, payload={"data": text}, inverse={"data": old}, project_pk=project)


def discard_row(s: Session, row: Any) -> None:
    """Back to the last server version; a row the server never had goes away."""
    base = loads(row.base_json)
    if isinstance(row, AnnotationTerm):  # a link is known to the server iff it has a base
        if row.base_json is None:
            s.execute(delete(AnnotationTerm).where(AnnotationTerm.pk == row.pk))
        else:
            row.local_deleted, row.sync_state = False, SyncState.SYNCED
        return
    if row.server_id is None and not isinstance(row, RelationTerm):
        if isinstance(row, Term) and _term_used(s, row.pk):
            row.sync_state = SyncState.LOCAL  # annotations still use it: keep it, unsent
            return
        if isinstance(row, AttachedFile):
            attached_files.forget_bytes(s, row.pk)
        s.execute(delete(type(row)).where(type(row).pk == row.pk))
        return
    if isinstance(row, Term):
        for field in ("name", "color", "comment"):
            if field in base:
                setattr(row, field, base[field])
    elif isinstance(row, Property) and "value" in base:
        row.key, row.value = str(base.get("key") or row.key), base["value"]
    elif isinstance(row, Description) and "data" in base:
        row.data = str(base["data"] or "")
    row.local_deleted = False
    row.sync_state, row.dirty_fields = SyncState.SYNCED, []


def _term_used(s: Session, term_pk: int) -> bool:
    used = select(AnnotationTerm.pk).where(
        AnnotationTerm.term_pk == term_pk, AnnotationTerm.local_deleted.is_(False)
    )
    return s.scalar(used.limit(1)) is not None
