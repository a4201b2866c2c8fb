"""The query string of Cytomine's annotation listing, ``GET /api/annotation.json``
(cytomine-api.md 4.1), and of the routes that list annotations the same way.

Cytomine names several filters both ways (``image`` or ``images``, ``term`` or
``terms``...): the plural wins when both are sent, as in Cytomine.  The relative
filters (``annotation``, ``bboxAnnotation``, ``baseAnnotation``) are
``server/listing_relations.py``'s.  The show/hide flags of the property groups
(``showWKT``, ``hideMeta``...) are read by name from the raw query.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import model_validator

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import Flag, IdList, Number, OptId, text

#: singular field <- the plural name that wins over it.
_PLURALS = {"image": "images", "slice": "slices", "user": "users", "term": "terms"}


class AnnotationQuery(CytomineBody):
    """The listing's filters; every one is optional (scope: at least one of ``project``,
    ``image``, ``slice``; the route checks)."""

    project: OptId = None
    image: IdList = []
    slice: IdList = []
    user: IdList = []
    term: IdList = []
    reviewUsers: IdList = []
    reviewed: Flag = False
    includeAlgo: Flag = False
    notReviewedOnly: Flag = False
    noTerm: Flag = False
    afterThan: OptId = None
    beforeThan: OptId = None
    bbox: Annotated[str | None, text(1_000_000)] = None
    order: str = "desc"
    annotation: OptId = None
    bboxAnnotation: OptId = None
    baseAnnotation: OptId = None
    maxDistanceBaseAnnotation: Number = None

    @model_validator(mode="before")
    @classmethod
    def _plurals(cls, raw: Any) -> Any:
        if not isinstance(raw, dict):
            return raw
        out = dict(raw)
        for one, many in _PLURALS.items():
            if raw.get(many):
                out[one] = raw[many]
        return out

    @property
    def relative(self) -> bool:
        """Whether a filter relative to another annotation is set."""
        return any((self.annotation, self.bboxAnnotation, self.baseAnnotation))


__all__ = ["AnnotationQuery"]
