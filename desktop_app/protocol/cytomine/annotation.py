"""Request bodies of annotations: creation, reviewed copies and saved listing filters
(cytomine-api.md 4.x)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, model_validator

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import IdList, OptId, refuse, text


class AnnotationFilterBody(CytomineBody):
    """``POST /api/annotationfilter.json`` (``project`` required), ``PUT`` (kept)."""

    name: Annotated[str, text(255, required=True)]
    project: OptId = None
    users: IdList = []
    terms: IdList = []


def _one_of(raw: Any, synonym: str, field: str) -> Any:
    """``raw`` with ``field`` taken from ``synonym`` when only the synonym is sent."""
    if not isinstance(raw, dict) or field in raw or synonym not in raw:
        return raw
    return {**raw, field: raw[synonym]}


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
    term: IdList = []
    property: Annotated[dict[str, Any], BeforeValidator(_properties)] = {}
    user: OptId = None
    location: Any = None

    @model_validator(mode="before")
    @classmethod
    def _synonyms(cls, raw: Any) -> Any:
        raw = _one_of(raw, "terms", "term")
        return _one_of(raw, "properties", "property")


class ReviewedBody(CytomineBody):
    """``PUT /api/reviewedannotation/{id}.json``: the new ``location`` and, when sent,
    the reviewed terms (``terms``, or ``term``)."""

    location: Any = None
    terms: IdList = []

    @model_validator(mode="before")
    @classmethod
    def _synonyms(cls, raw: Any) -> Any:
        return _one_of(raw, "term", "terms")


class ReviewTerms(CytomineBody):
    """The terms an accepting review confirms (body or ``?terms=``)."""

    terms: IdList = []


__all__ = ["AnnotationCreateBody", "AnnotationFilterBody", "ReviewTerms", "ReviewedBody"]
