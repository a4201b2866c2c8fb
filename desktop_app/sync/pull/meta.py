"""Pulling what a bulk page carries beside annotations: properties, descriptions,
attached files (metadata; bytes are fetched after the page, ``files_pull``) and terms.

Everything is applied in the page's transaction.  A row with local intent (ops not
delivered, or parked in a conflict / failure) is never overwritten: its push settles
it — for a description changed on both sides that is a 409 and a ``description``
conflict (sync-design 5.7: server wins, mine kept), so the pull leaves its base alone.
A term deleted on the server is removed from the cache only when nothing local uses
it; otherwise it stays (``orphaned``) and the ops that need it fail visibly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation, AnnotationTerm, ReviewedAnnotationTerm
from desktop_app.model.attachment import AttachedFile, Description, Property
from desktop_app.model.base import SyncState
from desktop_app.model.ontology import Ontology, Term
from desktop_app.model.sync import CommandLog, OpState
from desktop_app.protocol.cytomine.answers_meta import (
    AttachedFileJson,
    DescriptionJson,
    DomainItem,
    PropertyJson,
)
from desktop_app.protocol.cytomine.answers_project import TermJson
from desktop_app.protocol.sync_ext import BulkPage
from desktop_app.store import attached_files
from desktop_app.sync.local import UNFINISHED, dumps, version_of
from desktop_app.sync.pull.annotations import PullStats
from desktop_app.sync.pull.review import apply_rejection, withdraw_rejection

_INTENT = (*UNFINISHED, OpState.CONFLICT, OpState.FAILED)


def with_intent(s: Session, entity_type: str) -> set[int]:
    """Local pks of ``entity_type`` rows with ops not delivered or parked."""
    return set(
        s.scalars(
            select(CommandLog.entity_pk).where(
                CommandLog.entity_type == entity_type, CommandLog.state.in_(_INTENT)
            )
        )
    )


def _annotation_pk(s: Session, r: DomainItem) -> int | None:
    return s.scalar(select(Annotation.pk).where(Annotation.server_id == r["domainIdent"]))


def _synced(row: Any, r: Mapping[str, Any]) -> None:
    row.server_id, row.server_updated = int(r["id"]), version_of(r)
    row.base_json, row.sync_state, row.local_deleted = dumps(r), SyncState.SYNCED, False
    row.dirty_fields = []


def apply_page_extras(s: Session, page: BulkPage, stats: PullStats) -> None:
    """The side lists of one bulk page: terms, then what hangs on annotations."""
    s.flush()
    apply_terms(s, page.terms, [d.id for d in page.deletedTerms], stats)
    apply_properties(s, page.properties, [d.id for d in page.deletedProperties], stats)
    apply_descriptions(s, page.descriptions, [d.id for d in page.deletedDescriptions], stats)
    apply_attached_files(s, page.attachedFiles, [d.id for d in page.deletedAttachedFiles], stats)


def apply_properties(
    s: Session, rows: list[PropertyJson], gone: list[int], stats: PullStats
) -> None:
    """Upserted by server id (or annotation + key for one the cache does not know)."""
    busy = with_intent(s, "property")
    for r in rows:
        prop = s.scalar(select(Property).where(Property.server_id == r["id"]))
        if prop is None:
            ann_pk = _annotation_pk(s, r)
            if ann_pk is None:
                continue  # an annotation this cache does not hold
            cls = r["domainClassName"]
            prop = s.scalar(
                select(Property).where(
                    Property.domain_class_name == cls,
                    Property.domain_pk == ann_pk,
                    Property.key == r["key"],
                )
            )
            if prop is None:
                prop = Property(domain_class_name=cls, domain_pk=ann_pk, key=r["key"])
                s.add(prop)
        if prop.pk is not None and prop.pk in busy:
            continue
        prop.key, prop.value = r["key"], r.get("value")
        _synced(prop, r)
        apply_rejection(s, prop, r)  # another reviewer's rejection: a rejected review row
        stats.updated += 1
    for g in gone:
        prop = s.scalar(select(Property).where(Property.server_id == g))
        if prop is not None and prop.pk not in busy:
            withdraw_rejection(s, prop, with_intent(s, "annotation"))
            s.delete(prop)


def apply_descriptions(
    s: Session, rows: list[DescriptionJson], gone: list[int], stats: PullStats
) -> None:
    """At most one per annotation: matched by server id, else by its annotation."""
    busy = with_intent(s, "description")
    for r in rows:
        desc = s.scalar(select(Description).where(Description.server_id == r["id"]))
        if desc is None:
            ann_pk = _annotation_pk(s, r)
            if ann_pk is None:
                continue
            cls = r["domainClassName"]
            desc = s.scalar(
                select(Description).where(
                    Description.domain_class_name == cls, Description.domain_pk == ann_pk
                )
            )
            if desc is None:
                desc = Description(domain_class_name=cls, domain_pk=ann_pk, data="")
                s.add(desc)
        if desc.pk is not None and desc.pk in busy:
            continue  # my unsent text wins until its push (409 → conflict if both changed)
        desc.data = r.get("data") or ""
        _synced(desc, r)
        stats.updated += 1
    for g in gone:
        desc = s.scalar(select(Description).where(Description.server_id == g))
        if desc is not None and desc.pk not in busy:
            s.delete(desc)
            stats.deleted += 1


def apply_attached_files(
    s: Session, rows: list[AttachedFileJson], gone: list[int], stats: PullStats
) -> None:
    """File records (``path`` NULL until ``files_pull`` has the bytes); our own upload
    whose answer was lost is recognised by its uid, so it is never doubled."""

    busy = with_intent(s, "attached_file")
    for r in rows:
        uid = r.get("uid")
        f = s.scalar(select(AttachedFile).where(AttachedFile.server_id == r["id"]))
        if f is None and uid:
            f = s.scalar(select(AttachedFile).where(AttachedFile.uid == uid))
        if f is None:
            ann_pk = _annotation_pk(s, r)
            if ann_pk is None:
                continue
            f = AttachedFile(
                domain_class_name=r["domainClassName"],
                domain_pk=ann_pk,
                filename=r.get("filename") or "file",
            )
            if uid:
                f.uid = uid
            s.add(f)
        if f.pk is not None and f.pk in busy:
            continue
        f.key = r.get("key")
        _synced(f, r)
        stats.updated += 1
    for g in gone:
        f = s.scalar(select(AttachedFile).where(AttachedFile.server_id == g))
        if f is not None and f.pk not in busy:
            attached_files.forget_bytes(s, f.pk)
            s.delete(f)
            stats.deleted += 1


def apply_terms(s: Session, rows: list[TermJson], gone: list[int], stats: PullStats) -> None:
    """Renames / recolours / new terms of a known ontology; deletions (see module doc)."""
    busy = with_intent(s, "term")
    for r in rows:
        term = s.scalar(select(Term).where(Term.server_id == r["id"]))
        if term is None:
            onto = s.scalar(select(Ontology.pk).where(Ontology.server_id == r.get("ontology")))
            if onto is None:
                continue
            term = s.scalar(
                select(Term).where(
                    Term.ontology_pk == onto, Term.name == r["name"], Term.server_id.is_(None)
                )
            ) or Term(ontology_pk=onto, name=r["name"])
            s.add(term)
        if term.pk is not None and term.pk in busy:
            continue
        term.name, term.comment = r["name"], r.get("comment")
        term.color = str(r.get("color") or term.color or "#FF0000")
        _synced(term, r)
        stats.updated += 1
    for g in gone:
        term = s.scalar(select(Term).where(Term.server_id == g))
        if term is not None and forget_term(s, term, busy):
            stats.deleted += 1


def forget_term(s: Session, term: Term, busy: set[int]) -> bool:
    """A term the server no longer has: deleted here unless something local needs it.

    Local intent on the term keeps it (its push answers 404 and shows why); so does an
    annotation of this cache still using it — its links are never dropped silently:
    the term stays ``orphaned`` and an unsent link to it fails visibly on push.
    """
    if term.pk in busy:
        return False
    used = s.scalar(
        select(func.count())
        .select_from(AnnotationTerm)
        .where(AnnotationTerm.term_pk == term.pk, AnnotationTerm.local_deleted.is_(False))
    ) or s.scalar(
        select(func.count())
        .select_from(ReviewedAnnotationTerm)
        .where(ReviewedAnnotationTerm.term_pk == term.pk)
    )
    if used:
        term.sync_state = SyncState.ORPHANED
        return False
    s.execute(delete(Term).where(Term.pk == term.pk))
    return True
