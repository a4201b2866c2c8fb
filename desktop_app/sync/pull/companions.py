"""Pulling an annotation's companions: tags (with their associations to the project,
its images and annotations), annotation groups and annotation links.

They are read-only on the workstation, so the pull is a snapshot: after a project's
annotations are in, its groups, their links, every tag and the project's tag
associations are read and the cache is made equal to them in ONE transaction, matched
on ``server_id`` (a tag also on its unique name): a re-pull never duplicates a row and
a row the server no longer lists is removed.  A server without these routes (an older
Cytomine answers 404) is skipped, as are rows whose annotation is not in the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import Annotation
from desktop_app.model.annotation_links import AnnotationGroup, AnnotationLink
from desktop_app.model.attachment import Tag, TagDomainAssociation
from desktop_app.model.base import SyncState
from desktop_app.model.image import ImageGroup, ImageInstance
from desktop_app.model.project import Project
from desktop_app.protocol.companions import (
    AnnotationGroupJson,
    AnnotationLinkJson,
    ImageGroupJson,
    TagAssociationJson,
    TagJson,
)
from desktop_app.store.uow import Store
from desktop_app.sync.transport.http import ClientError, CytomineClient, parse_answer

_M = TypeVar("_M", bound=BaseModel)
PROJECT_CLASS = "be.cytomine.domain.project.Project"
IMAGE_CLASS = "be.cytomine.domain.image.ImageInstance"
USER_CLASS = "be.cytomine.domain.ontology.UserAnnotation"


def _listed(client: CytomineClient, model: type[_M], path: str) -> list[_M] | None:
    """The parsed items of a Cytomine list, or None when the server has no such route."""
    try:
        items = client.collection(path)
    except ClientError as exc:
        if exc.status == 404:
            return None
        raise
    return [parse_answer(model, i, f"item of {path}") for i in items]


def _version(updated: str | None) -> int | None:
    return int(updated) if updated and updated.isdigit() else None


def pull_companions(store: Store, client: CytomineClient, project_pk: int, sid: int) -> int:
    """Make the cache's tags, groups and links of one project equal to the server's;
    returns how many rows were added or removed."""
    groups = _listed(client, AnnotationGroupJson, f"/api/project/{sid}/annotationgroup.json")
    links: list[AnnotationLinkJson] = []
    names: dict[int, str] = {}
    for g in groups or []:
        links += (
            _listed(client, AnnotationLinkJson, f"/api/annotationgroup/{g.id}/annotationlink.json")
            or []
        )
        if g.imageGroup not in names:
            body = client.get(f"/api/imagegroup/{g.imageGroup}.json")
            names[g.imageGroup] = parse_answer(ImageGroupJson, body, "image group").name or (
                f"Image group {g.imageGroup}"
            )
    tags = _listed(client, TagJson, "/api/tag.json")
    assocs = _listed(client, TagAssociationJson, f"/api/project/{sid}/tag_domain_association.json")
    snapshot = Snapshot(groups, links, names, tags, assocs)
    with store.unit_of_work(undoable=False) as uow:
        return apply_snapshot(uow.session, project_pk, snapshot)


@dataclass(frozen=True)
class Snapshot:
    """What the server lists for one project; None: the server has no such route."""

    groups: list[AnnotationGroupJson] | None
    links: list[AnnotationLinkJson]
    #: image group server id -> its name
    image_groups: dict[int, str]
    tags: list[TagJson] | None
    assocs: list[TagAssociationJson] | None


def apply_snapshot(s: Session, project_pk: int, snap: Snapshot) -> int:
    """Make the cache equal to ``snap`` (in the caller's transaction); rows changed."""
    changed = 0
    if snap.groups is not None:
        changed += _apply_groups(s, project_pk, snap.groups, snap.links, snap.image_groups)
    if snap.tags is not None and snap.assocs is not None:
        changed += _apply_tags(s, project_pk, snap.tags, snap.assocs)
    return changed


def _by_server_id(s: Session, model: Any, ids: set[int]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    wanted = sorted(ids)
    for i in range(0, len(wanted), 900):
        for row in s.scalars(select(model).where(model.server_id.in_(wanted[i : i + 900]))):
            out[row.server_id] = row
    return out


def _upsert(s: Session, have: dict[int, Any], sid: int, new: Any) -> tuple[Any, int]:
    """The cached row of server id ``sid``, else ``new`` added under that id; (row, added)."""
    row = have.get(sid)
    if row is not None:
        return row, 0
    row = new
    row.server_id, row.sync_state = sid, SyncState.SYNCED
    s.add(row)
    s.flush()
    have[sid] = row
    return row, 1


def _apply_groups(
    s: Session,
    project_pk: int,
    groups: list[AnnotationGroupJson],
    links: list[AnnotationLinkJson],
    names: dict[int, str],
) -> int:
    changed = 0
    igs = _by_server_id(s, ImageGroup, set(names))
    for ig_sid, name in names.items():
        row, n = _upsert(s, igs, ig_sid, ImageGroup(name=name, project_pk=project_pk))
        row.name = name
        changed += n
    have = _by_server_id(s, AnnotationGroup, {g.id for g in groups})
    for g in groups:
        ig_pk = igs[g.imageGroup].pk
        row, n = _upsert(
            s, have, g.id, AnnotationGroup(project_pk=project_pk, image_group_pk=ig_pk)
        )
        row.image_group_pk, row.type, row.server_updated = ig_pk, g.type, _version(g.updated)
        changed += n
    anns = _by_server_id(s, Annotation, {link.annotationIdent for link in links})
    have_links = _by_server_id(s, AnnotationLink, {link.id for link in links})
    kept_links = set()
    for link in links:
        ann = anns.get(link.annotationIdent)
        group = have.get(link.group)
        if ann is None or group is None:
            continue  # its annotation is not in the cache
        kept_links.add(link.id)
        row, n = _upsert(
            s,
            have_links,
            link.id,
            AnnotationLink(
                annotation_pk=ann.pk,
                group_pk=group.pk,
                image_pk=ann.image_pk,
                annotation_class_name=link.annotationClassName or USER_CLASS,
            ),
        )
        row.annotation_pk, row.group_pk, row.image_pk = ann.pk, group.pk, ann.image_pk
        changed += n
    project_groups = select(AnnotationGroup.pk).where(AnnotationGroup.project_pk == project_pk)
    gone = s.execute(
        delete(AnnotationLink).where(
            AnnotationLink.group_pk.in_(project_groups),
            AnnotationLink.server_id.is_not(None),
            AnnotationLink.server_id.not_in(sorted(kept_links)),
        )
    )
    changed += gone.rowcount or 0  # type: ignore[attr-defined]
    stale = list(
        s.scalars(
            project_groups.where(
                AnnotationGroup.server_id.is_not(None),
                AnnotationGroup.server_id.not_in(sorted({g.id for g in groups})),
            )
        )
    )
    if stale:
        s.execute(delete(AnnotationLink).where(AnnotationLink.group_pk.in_(stale)))
        s.execute(delete(AnnotationGroup).where(AnnotationGroup.pk.in_(stale)))
        changed += len(stale)
    return changed


def _apply_tags(
    s: Session, project_pk: int, tags: list[TagJson], assocs: list[TagAssociationJson]
) -> int:
    changed = 0
    listed = {t.id for t in tags}
    have = _by_server_id(s, Tag, listed)
    # known tags first, so a renamed one frees its old name before a new tag takes it
    for t in sorted(tags, key=lambda t: t.id not in have):
        row = have.get(t.id)
        if row is None:  # a tag of this name made here, or gone from the server: adopt it
            row = s.scalar(select(Tag).where(Tag.name == t.name))
            if row is not None and row.server_id not in listed:
                row.server_id = t.id
                have[t.id] = row
        row, n = _upsert(s, have, t.id, Tag(name=t.name))
        row.name, row.server_updated = t.name, _version(t.updated)
        changed += n
    stale_tags = list(
        s.scalars(
            select(Tag.pk).where(Tag.server_id.is_not(None), Tag.server_id.not_in(sorted(have)))
        )
    )
    domains = _domains(s, project_pk)
    have_a = _by_server_id(s, TagDomainAssociation, {a.id for a in assocs})
    kept = set()
    for a in assocs:
        local = domains[_kind(a.domainClassName)].get(a.domainIdent)
        tag = have.get(a.tag)
        if local is None or tag is None:
            continue
        kept.add(a.id)
        row, n = _upsert(
            s,
            have_a,
            a.id,
            TagDomainAssociation(
                tag_pk=tag.pk, domain_class_name=a.domainClassName, domain_pk=local
            ),
        )
        row.tag_pk, row.domain_class_name, row.domain_pk = tag.pk, a.domainClassName, local
        changed += n
    mine = select(TagDomainAssociation.pk).where(
        TagDomainAssociation.server_id.is_not(None),
        TagDomainAssociation.server_id.not_in(sorted(kept)),
    )
    local_pks = {k: set(v.values()) for k, v in domains.items()}
    stale = []
    for pk, cls, dom in s.execute(
        select(
            TagDomainAssociation.pk,
            TagDomainAssociation.domain_class_name,
            TagDomainAssociation.domain_pk,
        ).where(TagDomainAssociation.pk.in_(mine))
    ):
        if dom in local_pks[_kind(cls)]:
            stale.append(pk)
    if stale_tags:
        stale += list(
            s.scalars(
                select(TagDomainAssociation.pk).where(TagDomainAssociation.tag_pk.in_(stale_tags))
            )
        )
    if stale:
        s.execute(delete(TagDomainAssociation).where(TagDomainAssociation.pk.in_(set(stale))))
        changed += len(set(stale))
    if stale_tags:
        s.execute(delete(Tag).where(Tag.pk.in_(stale_tags)))
        changed += len(stale_tags)
    return changed


def _kind(domain_class: str) -> str:
    """The domain table of a Cytomine class name: project, image or (any) annotation."""
    return domain_class if domain_class in (PROJECT_CLASS, IMAGE_CLASS) else "annotation"


def _domains(s: Session, project_pk: int) -> dict[str, dict[int, int]]:
    """The project's taggable domains in the cache: kind -> server id -> local pk."""
    out: dict[str, dict[int, int]] = {PROJECT_CLASS: {}, IMAGE_CLASS: {}, "annotation": {}}
    p_sid = s.scalar(select(Project.server_id).where(Project.pk == project_pk))
    if p_sid is not None:
        out[PROJECT_CLASS][int(p_sid)] = project_pk
    for model, kind in ((ImageInstance, IMAGE_CLASS), (Annotation, "annotation")):
        for sid, pk in s.execute(
            select(model.server_id, model.pk).where(
                model.project_pk == project_pk, model.server_id.is_not(None)
            )
        ):
            if sid is not None:  # (the query asks for none)
                out[kind][int(sid)] = pk
    return out
