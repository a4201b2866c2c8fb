"""Resolving sync issues of what is not an annotation: term links, terms, parent links,
properties, descriptions and attached files (``conflicts.resolve`` delegates here).

* ``failed`` (the server refused the op, e.g. deleting a term still in use):
  mine/both = send it again next sync; theirs = discard my change, back to the last
  server version (a row the server never had is removed).
* ``description`` (changed on both sides; the row shows theirs): theirs = keep it;
  mine = my text, sent against the server's current version; both = theirs then mine.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.attachment import AttachedFile, Description, Property
from desktop_app.model.base import SyncState
from desktop_app.model.ontology import RelationTerm, Term
from desktop_app.model.sync import CommandLog, OpKind, OpState, SyncConflict
from desktop_app.store.uow import UnitOfWork
from desktop_app.sync.local import loads

MODELS: dict[str, Any] = {
    "annotation_term": AnnotationTerm,
    "term": Term,
    "relation_term": RelationTerm,
    "property": Property,
    "description": Description,
    "attached_file": AttachedFile,
}


def resolve_meta(
    uow: UnitOfWork, c: SyncConflict, choice: str, mine: dict[str, Any], ops: list[CommandLog]
) -> None:
    s = uow.session
    cls = MODELS.get(c.entity_type)
    row = s.get(cls, c.entity_pk) if cls is not None else None
    if row is None:
        return
    if c.kind == "failed" and choice in ("mine", "both"):
        for op in ops:
            op.state, op.last_error = OpState.PENDING, None
        return
    if c.kind == "failed":
        _discard(s, row)
        return
    if c.kind == "description" and choice == "theirs":
        row.sync_state, row.dirty_fields = SyncState.SYNCED, []
        return
    if c.kind == "description":
        text = str(mine.get("data") or "")
        if choice == "both":
            text = f"{row.data}\n{text}"
        old, row.data = row.data, text
        ann = s.get(Annotation, row.domain_pk)
        project = ann.project_pk if ann is not None else None
        uow.log(
            OpKind.UPDATE, row, payload={"data": text}, inverse={"data": old}, project_pk=project
        )


def _discard(s: Session, row: Any) -> None:
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
            from desktop_app.sync.push.ack.meta import forget_file

            forget_file(s, row.pk)
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
