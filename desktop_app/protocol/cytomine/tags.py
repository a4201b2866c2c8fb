"""Request bodies of tags and their associations to domain objects (Cytomine 3.x tags)."""

from __future__ import annotations

from typing import Annotated

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import ReqId, text


class TagBody(CytomineBody):
    """``POST /api/tag.json``, ``PUT /api/tag/{id}.json``."""

    name: Annotated[str, text(255, required=True)]


class DomainRef(CytomineBody):
    """A domain object named by its class and id (a query string or part of a body)."""

    domainIdent: ReqId
    domainClassName: Annotated[str, text(255, required=True)]


class TagAssociationBody(DomainRef):
    """``POST /api/tag_domain_association.json``: ``tag`` on the domain object."""

    tag: ReqId


__all__ = ["DomainRef", "TagAssociationBody", "TagBody"]
