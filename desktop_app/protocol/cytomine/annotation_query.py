"""The query string of Cytomine's annotation listing, ``GET /api/annotation.json``
(cytomine-api.md 4.1), and of the routes that list annotations the same way.

Cytomine names several filters both ways (``image`` or ``images``, ``term`` or
``terms``...): the plural wins when both are sent, as in Cytomine.  The relative
filters (``annotation``, ``bboxAnnotation``, ``baseAnnotation``) are
``server/listing_relations.py``'s.  ``showX``/``hideX`` add or take out a group of
properties (``X``: ``Basic``, ``Meta``, ``WKT``, ``GIS``, ``Term``, ``User``, ``Image``,
``Slice``, ``Track``) from the default ones.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import model_validator

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import Flag, IdList, Number, OptId, text

#: singular field <- the plural name that wins over it.
_PLURALS = {"image": "images", "slice": "slices", "user": "users", "term": "terms"}

#: The property groups a listing row may carry, and those it carries by default.
GROUPS = ("basic", "meta", "wkt", "gis", "term", "user", "image", "slice", "track")
DEFAULT_GROUPS = frozenset({"basic", "meta", "term"})


def _group_flag(group: str) -> str:
    return group.upper() if group in ("wkt", "gis") else group.capitalize()


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
    showBasic: Flag = False
    hideBasic: Flag = False
    showMeta: Flag = False
    hideMeta: Flag = False
    showWKT: Flag = False
    hideWKT: Flag = False
    showGIS: Flag = False
    hideGIS: Flag = False
    showTerm: Flag = False
    hideTerm: Flag = False
    showUser: Flag = False
    hideUser: Flag = False
    showImage: Flag = False
    hideImage: Flag = False
    showSlice: Flag = False
    hideSlice: Flag = False
    showTrack: Flag = False
    hideTrack: Flag = False

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

    def groups(self) -> set[str]:
        """The property groups the rows carry: the defaults, shown ones added, hidden
        ones taken out."""
        out = set(DEFAULT_GROUPS)
        for g in GROUPS:
            name = _group_flag(g)
            if getattr(self, f"show{name}"):
                out.add(g)
            if getattr(self, f"hide{name}"):
                out.discard(g)
        return out

    @property
    def relative(self) -> bool:
        """Whether a filter relative to another annotation is set."""
        return any((self.annotation, self.bboxAnnotation, self.baseAnnotation))


__all__ = ["DEFAULT_GROUPS", "GROUPS", "AnnotationQuery"]
