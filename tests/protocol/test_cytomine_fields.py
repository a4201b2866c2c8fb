"""The Cytomine body field types accept what Cytomine's clients send (ids as numbers,
numeric strings or objects; flags as strings; id lists as lists, "1,2" or one id) and
refuse the rest with the field's name, the message the server answers with its 400."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import ValidationError

from desktop_app.protocol.cytomine.base import CytomineBody, unknown_fields
from desktop_app.protocol.cytomine.fields import (
    Flag,
    IdList,
    Number,
    OptId,
    ReqId,
    flag,
    text,
)
from desktop_app.server.errors import error_message


class Body(CytomineBody):
    project: ReqId
    parent: OptId = None
    terms: IdList = []
    name: Annotated[str, text(8, required=True)]
    note: Annotated[str | None, text(4)] = None
    zoom: Number = None
    open: Flag = False
    executable: Annotated[bool, flag(True)] = True


def _error(**raw: Any) -> str:
    with pytest.raises(ValidationError) as exc:
        Body.model_validate({"project": 1, "name": "n", **raw})
    return error_message(exc.value.errors()[0])


@pytest.mark.parametrize("sent", [3, "3", " 3 ", 3.0, {"id": 3, "name": "p"}])
def test_an_id_is_a_number_a_numeric_string_or_an_object(sent: Any) -> None:
    assert Body.model_validate({"project": sent, "name": "n"}).project == 3


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (True, "project must be an integer"),
        ("x", "project must be an integer"),
        ([1], "project must be an integer"),
        (-1, "project out of range"),
        (2**63, "project out of range"),
        (None, "project is required"),
        ("", "project is required"),
    ],
)
def test_a_bad_id_is_refused_by_name(sent: Any, message: str) -> None:
    assert _error(project=sent) == message


def test_a_missing_required_field_is_required() -> None:
    with pytest.raises(ValidationError) as exc:
        Body.model_validate({"name": "n"})
    assert error_message(exc.value.errors()[0]) == "project is required"


def test_optional_ids_lists_numbers_and_flags() -> None:
    b = Body.model_validate(
        {"project": 1, "name": "n", "parent": "", "terms": "4,5", "zoom": "2.5", "open": "true"}
    )
    assert (b.parent, b.terms, b.zoom, b.open, b.executable) == (None, [4, 5], 2.5, True, True)
    b = Body.model_validate({"project": 1, "name": "n", "terms": 7, "executable": None})
    assert (b.terms, b.executable, b.open) == ([7], True, False)
    assert _error(terms=[1, "x"]) == "terms must be an integer"
    assert _error(zoom="nan") == "zoom must be finite"
    assert _error(zoom=True) == "zoom must be a number"


def test_text_takes_numbers_and_checks_length_and_blankness() -> None:
    assert Body.model_validate({"project": 1, "name": 12}).name == "12"
    assert _error(name=" ") == "name must not be empty"
    assert _error(name="123456789") == "name is too long"
    assert _error(name={"a": 1}) == "name must be a string"
    assert _error(note="12345") == "note is too long"


def test_unknown_fields_are_ignored_and_named() -> None:
    raw = {"project": 1, "name": "n", "id": 9, "colour": "red"}
    assert Body.model_validate(raw).project == 1
    assert unknown_fields(Body, raw) == ["colour", "id"]


def test_annotation_bodies_take_cytomine_synonyms() -> None:
    from desktop_app.protocol.cytomine.annotation import AnnotationCreateBody, ReviewedBody

    raw = {"image": "12", "terms": "3,4", "properties": {"k": "v"}, "uid": "u"}
    b = AnnotationCreateBody.model_validate(raw)
    assert (b.image, b.term, b.property) == (12, [3, 4], {"k": "v"})
    assert unknown_fields(AnnotationCreateBody, raw) == ["uid"]
    first = AnnotationCreateBody.model_validate({"image": 1, "term": [5], "terms": [6]})
    assert first.term == [5]  # "term" first, as Cytomine reads it
    with pytest.raises(ValidationError) as exc:
        AnnotationCreateBody.model_validate({"image": 1, "properties": [1]})
    assert error_message(exc.value.errors()[0]) == "properties must be an object"
    assert ReviewedBody.model_validate({"term": 7}).sent("terms")
    assert not ReviewedBody.model_validate({"location": "POINT (1 1)"}).sent("terms")


def test_the_listing_query_reads_plurals_and_groups() -> None:
    from desktop_app.protocol.cytomine.annotation_query import AnnotationQuery

    q = AnnotationQuery.model_validate(
        {"image": "1", "images": "2,3", "term": "4", "showWKT": "true", "hideMeta": "1"}
    )
    assert (q.image, q.term) == ([2, 3], [4])  # the plural wins when both are sent
    assert q.groups() == {"basic", "term", "wkt"}
    assert AnnotationQuery.model_validate({"project": 1}).groups() == {"basic", "meta", "term"}
    assert not q.relative and AnnotationQuery.model_validate({"baseAnnotation": "5"}).relative
