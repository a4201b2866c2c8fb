"""The Cytomine objects the pull reads for an annotation's companions: tags, their
domain associations, annotation groups and annotation links.

They are Cytomine's shapes (cytomine-api.md 3.7 and the 5.x annotation groups), not
our extensions, so a field a newer Cytomine adds is ignored; the fields the cache needs
are required and typed, so a malformed answer is refused with the field's name.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Cytomine(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: int
    updated: str | None = None


class TagJson(_Cytomine):
    """``GET /api/tag.json`` items."""

    name: str


class TagAssociationJson(_Cytomine):
    """``GET /api/project/{id}/tag_domain_association.json`` items."""

    tag: int
    domainClassName: str
    domainIdent: int


class AnnotationGroupJson(_Cytomine):
    """``GET /api/project/{id}/annotationgroup.json`` items."""

    imageGroup: int
    type: str = "SAME_OBJECT"


class AnnotationLinkJson(_Cytomine):
    """``GET /api/annotationgroup/{id}/annotationlink.json`` items."""

    annotationIdent: int
    group: int
    annotationClassName: str | None = None


class ImageGroupJson(_Cytomine):
    """``GET /api/imagegroup/{id}.json``: the image group an annotation group lies on."""

    name: str | None = None
