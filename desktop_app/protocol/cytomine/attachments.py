"""Request bodies of what hangs on a domain object: properties, descriptions and attached
files (cytomine-api.md 3.7)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import OptId, ReqId, Text, text


class PropertyBody(CytomineBody):
    """``POST /api/property.json`` and its nested forms (the domain object required),
    ``PUT /api/property/{id}.json`` (the domain object kept)."""

    domainIdent: OptId = None
    domainClassName: Text = None
    key: Annotated[str, text(255, required=True)]
    value: Annotated[str | None, text(100_000)] = None


class DescriptionBody(CytomineBody):
    """``POST|PUT /api/domain/{class}/{id}/description.json``.  The domain object comes
    from the path: the route sets ``_fqcn``/``_ident`` over whatever the client sent."""

    data: Annotated[str | None, text(1_000_000)] = None
    fqcn: str | None = Field(default=None, alias="_fqcn")
    ident: int | None = Field(default=None, alias="_ident")


class AttachedFileQuery(CytomineBody):
    """The query string of ``POST /api/attachedfile.json`` (the file is the body);
    ``filename`` overrides the uploaded part's, ``key`` names the file's role."""

    domainIdent: ReqId
    domainClassName: Text = None
    uid: Text = None
    filename: Text = None
    key: Text = None


__all__ = ["AttachedFileQuery", "DescriptionBody", "PropertyBody"]
