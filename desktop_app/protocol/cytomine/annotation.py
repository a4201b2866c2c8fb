"""Request bodies of annotations: creation, reviewed copies and saved listing filters
(cytomine-api.md 4.x)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import IdList, OptId, refuse, text


class AnnotationFilterBody(CytomineBody):
    """``POST /api/annotationfilter.json`` (``project`` required), ``PUT`` (kept)."""

    name: Annotated[str, text(255, required=True)]
    project: OptId = None
    users: IdList = []
    terms: IdList = []


def _properties(value: Any) -> dict[str, Any]:
    if not value:  # null, "", [] or {}: no properties
        return {}
    if not isinstance(value, dict):
        raise refuse("properties must be an object")
    return value


class AnnotationCreateBody(CytomineBody):
    """``POST /api/annotation.json`` (or one item of its array): ``location`` (WKT or
    GeoJSON, y up; checked by the geometry code) on ``image`` or ``slice``, with terms
    (``term``, or ``terms``) and properties (``property``, or ``properties``); ``user``
    counts for administrators only."""

    slice: OptId = None
    image: OptId = None
    term: IdList = Field([], validation_alias=AliasChoices("term", "terms"))
    property: Annotated[dict[str, Any], BeforeValidator(_properties)] = Field(
        {}, validation_alias=AliasChoices("property", "properties")
    )
    user: OptId = None
    location: Any = None


class ReviewedBody(CytomineBody):
    """``PUT /api/reviewedannotation/{id}.json``: the new ``location`` and, when sent,
    the reviewed terms (``terms``, or ``term``)."""

    location: Any = None
    terms: IdList = Field([], validation_alias=AliasChoices("terms", "term"))


class ReviewTerms(CytomineBody):
    """The terms an accepting review confirms (body or ``?terms=``)."""

    terms: IdList = []


__all__ = ["AnnotationCreateBody", "AnnotationFilterBody", "ReviewTerms", "ReviewedBody"]
