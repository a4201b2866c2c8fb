"""Request bodies around annotations: saved listing filters (Cytomine 3.x)."""

from __future__ import annotations

from typing import Annotated

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import IdList, OptId, text


class AnnotationFilterBody(CytomineBody):
    """``POST /api/annotationfilter.json`` (``project`` required), ``PUT`` (kept)."""

    name: Annotated[str, text(255, required=True)]
    project: OptId = None
    users: IdList = []
    terms: IdList = []


__all__ = ["AnnotationFilterBody"]
