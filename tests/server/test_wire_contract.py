"""The sync extensions' wire contract (``desktop_app.protocol.sync_ext``) against the real
server: every answer parses as its protocol model, with exactly the model's fields.

The sync client parses the same answers through the same models, so a field renamed,
dropped or added on the server fails here, and one renamed in the model fails the
server's own construction of its answers (``extra="forbid"``, required fields).
"""

from __future__ import annotations

import uuid
from typing import TypeVar

import pytest
from pydantic import BaseModel, ValidationError

from desktop_app.protocol.sync_ext import (
    BulkPage,
    ChangesPage,
    FeedQuery,
    PushOp,
    PushResults,
)
from tests.server.harness import Server

SQUARE = "POLYGON ((10 10, 60 10, 60 60, 10 60, 10 10))"


M = TypeVar("M", bound=BaseModel)


def _exact(model: type[M], text: str) -> M:
    """``text`` parsed as ``model``; every field of the model is on the wire."""
    parsed = model.model_validate_json(text)
    assert parsed.model_fields_set == set(model.model_fields), text[:300]
    return parsed


def test_feed_bulk_and_push_answers_are_the_protocol_models(
    server: Server, world: dict[str, int]
) -> None:
    a = server.client("alice")
    p = world["project"]
    start = ChangesPage.model_validate_json(a.get(f"/api/project/{p}/changes.json").text).cursor
    uid = str(uuid.uuid4())
    ops = [
        {"opId": "c", "entity": "annotation", "action": "create", "uid": uid,
         "data": {"image": world["image"], "location": SQUARE}},
        {"opId": 7, "entity": "annotation", "action": "rename", "id": 1},
        {"opId": "x", "entity": "annotation", "action": "delete", "id": 1, "colour": "red"},
    ]  # fmt: skip
    pushed = a.post("/api/sync/push.json", {"ops": ops})
    assert pushed.status_code == 200, pushed.text
    results = PushResults.model_validate_json(pushed.text).results
    assert [(r.opId, r.status) for r in results] == [("c", 200), (7, 400), ("x", 400)]
    assert "action" in results[1].body["errors"] and "colour" in results[2].body["errors"]
    created = results[0].body["annotation"]
    link = {"annotation": created["id"], "term": world["term1"]}
    more = [
        {"opId": "t", "entity": "annotationterm", "action": "create", "data": link},
        {"opId": "t-", "entity": "annotationterm", "action": "delete", "data": link},
        {"opId": "d", "entity": "annotation", "action": "delete", "id": created["id"]},
    ]
    results = PushResults.model_validate_json(a.post("/api/sync/push.json", {"ops": more}).text)
    assert [r.status for r in results.results] == [200, 200, 200]

    since = {"since": start}
    feed = _exact(ChangesPage, a.get(f"/api/project/{p}/changes.json", params=since).text)
    assert {(c.entity, c.action) for c in feed.changes} >= {
        ("annotation", "created"),
        ("annotationterm", "created"),
        ("annotationterm", "deleted"),
        ("annotation", "deleted"),
    }
    for c in feed.changes:
        assert set(c.model_fields_set) == set(type(c).model_fields)
    bulk = _exact(BulkPage, a.get(f"/api/project/{p}/annotations/bulk.json", params=since).text)
    assert [(d.id, d.uid) for d in bulk.deleted] == [(created["id"], uid)]
    assert len(bulk.deletedAnnotationTerms) == 1 and not bulk.hasMore
    assert bulk.cursor == feed.cursor


def test_bad_feed_queries_and_push_bodies_are_clear_400s(
    server: Server, world: dict[str, int]
) -> None:
    a = server.client("alice")
    p = world["project"]
    for params in ({"since": "soon"}, {"since": -1}, {"max": "all"}):
        r = a.get(f"/api/project/{p}/changes.json", params=params)
        assert r.status_code == 400, (params, r.text)
        assert next(iter(params)) in r.json()["errors"]
    for body in ({"ops": "all"}, {"operations": []}, [1, 2]):
        r = a.post("/api/sync/push.json", body)
        assert r.status_code == 400, (body, r.text)
    r = a.post("/api/sync/push.json", {"ops": [{}] * 1001})
    assert r.status_code == 413


def test_the_models_refuse_what_the_other_side_would_not_understand() -> None:
    """A renamed field is an error, never a silently missing value."""
    page = {"changes": [], "cursor": 3, "hasMore": False}
    assert ChangesPage.model_validate(page).cursor == 3
    with pytest.raises(ValidationError, match="more"):
        ChangesPage.model_validate({"changes": [], "cursor": 3, "more": False})
    with pytest.raises(ValidationError, match="hasMore"):
        ChangesPage.model_validate({"changes": [], "cursor": 3})
    with pytest.raises(ValidationError, match="base_updated"):
        PushOp.model_validate({"entity": "annotation", "action": "update", "base_updated": 1})
    assert FeedQuery(since=0, max=0).limit(1000) == 1000
    assert FeedQuery(max=10**6).limit(1000) == 5000
