"""What the cache knows about an annotation beside its shape: its tags and its
annotation group (pulled from the server by ``sync/pull/companions.py``; read-only
on the workstation: editing tags and groups here is not offered yet)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.annotation import CYTOMINE_CLASS, Annotation
from desktop_app.model.annotation_links import AnnotationGroup, AnnotationLink
from desktop_app.model.attachment import Tag, TagDomainAssociation


@dataclass(frozen=True)
class Companions:
    """An annotation's tag names, and its group: server id, type, the other members'
    ids (server ids; a member not yet on the server by its local ``local:<pk>``)."""

    tags: list[str] = field(default_factory=list)
    group_server_id: int | None = None
    group_type: str | None = None
    members: list[int | str] = field(default_factory=list)

    def describe(self) -> str:
        """One line per fact, in the user's terms (empty when there is nothing)."""
        lines = []
        if self.tags:
            lines.append("Tags: " + ", ".join(self.tags))
        if self.group_server_id is not None:
            others = ", ".join(f"#{m}" for m in self.members) or "no other annotation"
            lines.append(f"Group {self.group_server_id} ({self.group_type}) with {others}")
        return "\n".join(lines)


def annotation_companions(s: Session, pk: int) -> Companions:
    """The tags and the (first) group of annotation ``pk`` as the cache holds them."""
    tags = sorted(
        s.scalars(
            select(Tag.name)
            .join(TagDomainAssociation, TagDomainAssociation.tag_pk == Tag.pk)
            .where(
                TagDomainAssociation.domain_class_name.in_(sorted(set(CYTOMINE_CLASS.values()))),
                TagDomainAssociation.domain_pk == pk,
            )
        )
    )
    group = s.execute(
        select(AnnotationGroup.pk, AnnotationGroup.server_id, AnnotationGroup.type)
        .join(AnnotationLink, AnnotationLink.group_pk == AnnotationGroup.pk)
        .where(AnnotationLink.annotation_pk == pk)
        .order_by(AnnotationGroup.pk)
    ).first()
    if group is None:
        return Companions(tags=tags)
    members: list[int | str] = [
        sid if sid is not None else f"local:{other}"
        for other, sid in s.execute(
            select(Annotation.pk, Annotation.server_id)
            .join(AnnotationLink, AnnotationLink.annotation_pk == Annotation.pk)
            .where(AnnotationLink.group_pk == group.pk, Annotation.pk != pk)
            .order_by(Annotation.server_id, Annotation.pk)
        )
    ]
    return Companions(tags, group.server_id, group.type, members)
