"""Answer objects of annotations and their term links (cytomine-api.md 3.6, 4.1).

One schema covers the three shapes the server sends: the full object (``GET
/api/annotation/{id}.json``, command envelopes), a listing row (4.1, whose keys depend
on the column groups asked for) and a bulk pull row (every group).  Reviewed
annotations add ``parentIdent`` .. ``terms``.
"""

from __future__ import annotations

from typing import NotRequired

from pydantic import TypeAdapter, with_config
from typing_extensions import TypedDict

from desktop_app.protocol.cytomine.answer_base import ANSWER_CONFIG, DomainObject


@with_config(ANSWER_CONFIG)
class Centroid(TypedDict):
    """The centre of an annotation's bounding box, y up."""

    x: float
    y: float


@with_config(ANSWER_CONFIG)
class UserByTerm(TypedDict):
    """One term of a listing row and the users who put it there."""

    id: NotRequired[int]
    term: int
    user: list[int]


@with_config(ANSWER_CONFIG)
class AnnotationJson(DomainObject):
    """A user, algo or reviewed annotation; ``location`` is WKT, y up."""

    slice: NotRequired[int | None]
    image: NotRequired[int]
    project: NotRequired[int]
    user: NotRequired[int | None]
    location: NotRequired[str | None]
    geometryCompression: NotRequired[float | None]
    centroid: NotRequired[Centroid | None]
    area: NotRequired[float | None]
    areaUnit: NotRequired[str | None]
    perimeter: NotRequired[float | None]
    perimeterUnit: NotRequired[str | None]
    term: NotRequired[list[int]]
    userByTerm: NotRequired[list[UserByTerm]]
    nbComments: NotRequired[int | None]
    countReviewedAnnotations: NotRequired[int | None]
    reviewed: NotRequired[bool | None]
    cropURL: NotRequired[str | None]
    smallCropURL: NotRequired[str | None]
    url: NotRequired[str | None]
    imageURL: NotRequired[str | None]
    # reviewed annotations only
    parentIdent: NotRequired[int | None]
    parentClassName: NotRequired[str | None]
    status: NotRequired[int | None]
    reviewUser: NotRequired[int | None]
    terms: NotRequired[list[int]]


@with_config(ANSWER_CONFIG)
class AnnotationTermJson(DomainObject):
    """A term put on an annotation by a user (``POST /api/annotationterm.json``)."""

    userannotation: int
    term: int
    user: NotRequired[int | None]


@with_config(ANSWER_CONFIG)
class BulkCreatedData(TypedDict):
    """The annotations a bulk save made, as light rows (``id``, ``uid``, versions)."""

    message: NotRequired[str]
    collection: list[AnnotationJson]


@with_config(ANSWER_CONFIG)
class BulkCreated(TypedDict):
    """``POST /api/annotation.json`` with an array: Cytomine's bulk save answer."""

    status: NotRequired[int]
    data: BulkCreatedData


#: Parses one annotation, or a list of them (a listing's or a bulk page's rows).
ANNOTATION = TypeAdapter(AnnotationJson)
ANNOTATIONS = TypeAdapter(list[AnnotationJson])
ANNOTATION_TERM = TypeAdapter(AnnotationTermJson)
BULK_CREATED = TypeAdapter(BulkCreated)


__all__ = [
    "ANNOTATION",
    "ANNOTATIONS",
    "ANNOTATION_TERM",
    "BULK_CREATED",
    "AnnotationJson",
    "AnnotationTermJson",
    "BulkCreated",
    "BulkCreatedData",
    "Centroid",
    "UserByTerm",
]
