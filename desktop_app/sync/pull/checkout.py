"""Checkout of project metadata: project, members, ontology (terms + parents), images.

These are read-mostly for a desktop client (sync-design 5.7: "the server wins"), and
small, so they are simply re-read on every sync and upserted by ``server_id`` in one
transaction per project.  Annotations are pulled separately (``pull.annotations``),
because they are the big, edited part.  Slide pixels are NOT downloaded here: an image
row is created with its dimensions only, and ``slides.sources`` streams or downloads
the pixels when the image is opened or made available offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.model.base import SyncState
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.ontology import PARENT_RELATION, Ontology, Relation, RelationTerm, Term
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.answers_image import (
    IMAGE_INSTANCE,
    IMAGE_INSTANCES,
    ImageInstanceJson,
)
from desktop_app.protocol.cytomine.answers_project import (
    MEMBERS,
    ONTOLOGY,
    PROJECT,
    PROJECTS,
    TERMS,
    MemberJson,
    OntologyJson,
    ProjectJson,
    TermJson,
)
from desktop_app.store.uow import Store
from desktop_app.sync.local import dumps, user_pk_for, version_of
from desktop_app.sync.pull.meta import forget_term, with_intent
from desktop_app.sync.transport.http import CytomineClient, parse_as


@dataclass
class ProjectBundle:
    """A project's metadata as the server answered it, parsed, before any local write."""

    project: ProjectJson
    ontology: OntologyJson | None = None
    terms: list[TermJson] = field(default_factory=list)
    members: list[MemberJson] = field(default_factory=list)
    admins: set[int] = field(default_factory=set)
    images: list[ImageInstanceJson] = field(default_factory=list)


def _synced(row: Any, obj: Mapping[str, Any]) -> None:
    row.server_id = int(obj["id"])
    row.server_updated = version_of(obj)
    row.base_json = dumps(obj)
    row.sync_state = SyncState.SYNCED
    row.dirty_fields = []


def _by_server_id(session: Session, cls: Any, server_id: int) -> Any:
    return session.scalar(select(cls).where(cls.server_id == server_id))


def accessible_projects(client: CytomineClient) -> list[ProjectJson]:
    """Every project the user can access (``GET /api/project.json``)."""
    return client.collection_as(PROJECTS, "/api/project.json", "project list")


def fetch_project(client: CytomineClient, project_id: int) -> ProjectBundle:
    """Everything but annotations, fetched before any local write (no half-applied state)."""
    project = parse_as(PROJECT, client.get(f"/api/project/{project_id}.json"), "project")
    bundle = ProjectBundle(project)
    onto_id = project.get("ontology")
    if onto_id:
        bundle.ontology = parse_as(
            ONTOLOGY, client.get(f"/api/ontology/{onto_id}.json"), "ontology"
        )
        bundle.terms = client.collection_as(TERMS, f"/api/ontology/{onto_id}/term.json", "terms")
    members = f"/api/project/{project_id}"
    bundle.members = client.collection_as(MEMBERS, f"{members}/user.json", "members")
    bundle.admins = {
        u["id"] for u in client.collection_as(MEMBERS, f"{members}/admin.json", "admins")
    }
    bundle.images = client.collection_as(
        IMAGE_INSTANCES, f"/api/project/{project_id}/imageinstance.json", "images"
    )
    return bundle


def apply_project(store: Store, bundle: ProjectBundle) -> int:
    """Upsert one fetched project bundle in one transaction; returns the local project pk."""
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        onto_pk = _apply_ontology(s, bundle.ontology, bundle.terms)
        pj = bundle.project
        project = _by_server_id(s, Project, pj["id"])
        if project is None:
            project = Project(name=str(pj["name"]))
            s.add(project)
        project.name = str(pj["name"])
        project.ontology_pk = onto_pk
        project.is_closed = bool(pj.get("isClosed", False))
        project.are_images_downloadable = bool(pj.get("areImagesDownloadable", False))
        project.blind_mode = bool(pj.get("blindMode", False))
        _synced(project, pj)
        s.flush()
        _apply_members(s, project.pk, bundle.members, bundle.admins)
        for img in bundle.images:
            _apply_image(s, project.pk, img)
        return project.pk


def _apply_ontology(s: Session, onto: OntologyJson | None, terms: list[TermJson]) -> int | None:
    if onto is None:
        return None
    row = _by_server_id(s, Ontology, onto["id"])
    name = str(onto["name"])
    if row is None:
        clash = s.scalar(select(Ontology).where(Ontology.name == name))
        if clash is not None and clash.server_id is None:
            row = clash  # a local ontology of the same name becomes the server's one
        else:
            row = Ontology(name=name if clash is None else f"{name} #{onto['id']}")
            s.add(row)

    renamed = row.pk is not None and row.name != name
    if (
        renamed
        and row.pk not in with_intent(s, "ontology")  # a local rename waits for its push
        and s.scalar(select(Ontology.pk).where(Ontology.name == name)) is None
    ):
        row.name = name  # renamed on the server
    _synced(row, {k: v for k, v in onto.items() if k != "children"})
    s.flush()

    busy = with_intent(s, "term")
    by_server: dict[int, int] = {}
    for t in terms:
        term = _by_server_id(s, Term, t["id"])
        if term is None:
            term = s.scalar(
                select(Term).where(
                    Term.ontology_pk == row.pk,
                    Term.name == t["name"],
                    Term.server_id.is_(None),
                )
            ) or Term(ontology_pk=row.pk, name=t["name"])
            s.add(term)
        if term.pk is None or term.pk not in busy:  # else my rename/recolour wins until pushed
            term.name, term.ontology_pk = t["name"], row.pk
            term.color = str(t.get("color") or term.color or "#FF0000")
            term.comment = t.get("comment")
            _synced(term, t)
        s.flush()
        by_server[t["id"]] = term.pk
    for gone in s.scalars(  # deleted on the server (forget_term says when it stays)
        select(Term).where(
            Term.ontology_pk == row.pk,
            Term.server_id.is_not(None),
            Term.server_id.not_in(list(by_server) or [0]),
        )
    ).all():
        forget_term(s, gone, busy)
    _apply_parents(s, terms, by_server)
    return row.pk


def _apply_parents(s: Session, terms: list[TermJson], by_server: dict[int, int]) -> None:
    """Parent links as ``relation_term`` rows (term1 = parent), replaced wholesale."""
    relation = s.scalar(select(Relation).where(Relation.name == PARENT_RELATION))
    if relation is None:
        relation = Relation(name=PARENT_RELATION)
        s.add(relation)
        s.flush()

    busy_links = with_intent(s, "relation_term")
    mine = set(  # children whose parent link I changed: my intent wins until pushed
        s.scalars(select(RelationTerm.term2_pk).where(RelationTerm.pk.in_(busy_links)))
    )
    children = [pk for pk in by_server.values() if pk not in mine]
    if children:
        s.execute(
            delete(RelationTerm).where(
                RelationTerm.relation_pk == relation.pk, RelationTerm.term2_pk.in_(children)
            )
        )
    for t in terms:
        parent = t.get("parent")
        if by_server[t["id"]] in mine:
            continue
        if parent is not None and parent in by_server:
            s.add(
                RelationTerm(
                    relation_pk=relation.pk,
                    term1_pk=by_server[parent],
                    term2_pk=by_server[t["id"]],
                    sync_state=SyncState.SYNCED,
                )
            )


def _apply_members(
    s: Session, project_pk: int, members: list[MemberJson], admins: set[int]
) -> None:
    wanted: dict[int, Access] = {}
    for u in members:
        pk = user_pk_for(s, u["id"], u["username"])
        wanted[pk] = Access.ADMIN if u["id"] in admins else _member_access(u)
    existing = {
        m.user_pk: m
        for m in s.scalars(select(ProjectMember).where(ProjectMember.project_pk == project_pk))
    }
    for user_pk, member in existing.items():
        if user_pk not in wanted:
            s.delete(member)
    for user_pk, access in wanted.items():
        kept = existing.get(user_pk)
        if kept is None:
            s.add(ProjectMember(project_pk=project_pk, user_pk=user_pk, access=access))
        else:
            kept.access = access


def _member_access(user: MemberJson) -> Access:
    """A member's level: our server says it (``access``: ro/rw); Cytomine means rw."""
    try:
        return Access(str(user.get("access") or "rw"))
    except ValueError:
        return Access.RW


def _apply_image(s: Session, project_pk: int, img: ImageInstanceJson) -> tuple[int, bool]:
    """Upsert AbstractImage + ImageInstance records (no pixels); returns (pk, created)."""
    abstract = _by_server_id(s, AbstractImage, img["baseImage"])
    if abstract is None:
        abstract = AbstractImage()
        s.add(abstract)
    abstract.filename = img.get("filename") or img.get("originalFilename")
    abstract.original_filename = img.get("originalFilename")
    abstract.width, abstract.height = img["width"], img["height"]
    abstract.physical_size_x = img.get("physicalSizeX")
    abstract.physical_size_y = img.get("physicalSizeY")
    abstract.magnification = img.get("magnification")
    abstract.content_type = img.get("contentType")
    _synced(abstract, {"id": img["baseImage"], "created": img.get("created")})
    abstract.base_json = None
    s.flush()
    inst = _by_server_id(s, ImageInstance, img["id"])
    created = inst is None
    if inst is None:
        inst = ImageInstance(base_image_pk=abstract.pk, project_pk=project_pk)
        s.add(inst)
    inst.base_image_pk, inst.project_pk = abstract.pk, project_pk
    inst.instance_filename = img.get("instanceFilename")
    inst.magnification = img.get("magnification")
    inst.physical_size_x = img.get("physicalSizeX")
    inst.physical_size_y = img.get("physicalSizeY")
    _synced(inst, img)
    s.flush()
    return inst.pk, created


def ensure_image(store: Store, client: CytomineClient, project_pk: int, image_id: int) -> None:
    """Fetch and store one image the project listing did not have yet (added meanwhile)."""
    img = parse_as(IMAGE_INSTANCE, client.get(f"/api/imageinstance/{image_id}.json"), "image")
    with store.unit_of_work(undoable=False) as uow:
        _apply_image(uow.session, project_pk, img)
