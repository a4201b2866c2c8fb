"""Sync extensions: idempotent creates, stale-edit 409, change feed with deletions, push/pull."""

from __future__ import annotations

import uuid

from tests.server.harness import Server

SQUARE = "POLYGON ((10 10, 60 10, 60 60, 10 60, 10 10))"


def test_retried_create_returns_same_row(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    uid = str(uuid.uuid4())
    body = {"image": world["image"], "location": SQUARE, "uid": uid}
    first = a.post("/api/annotation.json", body).json()["annotation"]
    second = a.post("/api/annotation.json", body).json()["annotation"]
    assert first["id"] == second["id"] and second["uid"] == uid
    via_header = a.post(
        "/api/annotation.json",
        {"image": world["image"], "location": SQUARE},
        headers={"X-Client-Uid": uid},
    ).json()["annotation"]
    assert via_header["id"] == first["id"]
    listed = a.get("/api/annotation.json", params={"image": world["image"]}).json()["collection"]
    assert sum(1 for x in listed if x["uid"] == uid) == 1


def test_retried_create_of_a_deleted_annotation_is_404_not_a_new_row(
    server: Server, world: dict[str, int]
) -> None:
    """A create whose first send landed, then was deleted by someone, then retried: the
    server says it is gone (the client makes it a delete-vs-edit conflict) and never
    re-creates it; in a bulk create the whole batch is refused, nothing written."""
    a, b = server.client("alice"), server.client("bob")
    uid = str(uuid.uuid4())
    body = {"image": world["image"], "location": SQUARE, "uid": uid}
    first = a.post("/api/annotation.json", body).json()["annotation"]
    assert b.delete(f"/api/annotation/{first['id']}.json").status_code == 200
    again = a.post("/api/annotation.json", body)
    assert again.status_code == 404, again.text
    assert "deleted since" in again.json()["errors"]
    op = {"opId": "1", "entity": "annotation", "action": "create", "uid": uid, "data": body}
    res = a.post("/api/sync/push.json", {"ops": [op]}).json()["results"]
    assert res[0]["status"] == 404
    other = {"image": world["image"], "location": SQUARE, "uid": str(uuid.uuid4())}
    bulk = a.post("/api/annotation.json", [other, body])
    assert bulk.status_code == 400 and "deleted since" in bulk.json()["errors"]
    listed = a.get("/api/annotation.json", params={"image": world["image"]}).json()["collection"]
    assert not {x["uid"] for x in listed} & {uid, other["uid"]}


def test_stale_edit_gets_409_with_current_row(server: Server, world: dict[str, int]) -> None:
    a, b = server.client("alice"), server.client("bob")
    ann = a.post("/api/annotation.json", {"image": world["image"], "location": SQUARE}).json()
    obj = ann["annotation"]
    base = int(obj["created"])
    moved = {
        **obj,
        "location": "POLYGON ((20 20, 70 20, 70 70, 20 70, 20 20))",
        "baseUpdated": base,
    }
    ok = b.put(f"/api/annotation/{obj['id']}.json", moved)
    assert ok.status_code == 200
    stale = a.put(f"/api/annotation/{obj['id']}.json", {**obj, "baseUpdated": base})
    assert stale.status_code == 409
    body = stale.json()
    assert body["success"] is False and body["annotation"]["location"].startswith("POLYGON ((20 20")
    hdr = a.delete(
        f"/api/annotation/{obj['id']}.json", headers={"If-Unmodified-Since-Ms": str(base)}
    )
    assert hdr.status_code == 409
    assert a.get(f"/api/annotation/{obj['id']}.json").status_code == 200


def test_change_feed_includes_deletions_and_pages(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    p = world["project"]
    start = a.get(f"/api/project/{p}/changes.json", params={"since": 0, "max": 5000}).json()
    cursor = start["cursor"]
    made = a.post("/api/annotation.json", {"image": world["image"], "location": SQUARE}).json()
    pk = made["annotation"]["id"]
    a.post(f"/api/annotation/{pk}/term/{world['term1']}.json")
    assert a.delete(f"/api/annotation/{pk}.json").status_code == 200
    seen = []
    while True:
        page = a.get(f"/api/project/{p}/changes.json", params={"since": cursor, "max": 2}).json()
        seen += page["changes"]
        assert page["cursor"] >= cursor
        cursor = page["cursor"]
        if not page["hasMore"]:
            break
    mine = [
        (c["entity"], c["action"]) for c in seen if c["id"] == pk and c["entity"] == "annotation"
    ]
    assert mine == [("annotation", "created"), ("annotation", "deleted")]
    assert any(c["entity"] == "annotationterm" and c["action"] == "created" for c in seen)
    seqs = [c["seq"] for c in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    pulled = a.get(
        f"/api/project/{p}/annotations/bulk.json", params={"since": start["cursor"]}
    ).json()
    assert pk in [d["id"] for d in pulled["deleted"]]


def test_push_ops_are_independent_and_idempotent(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    uid = str(uuid.uuid4())
    ops = [
        {
            "opId": "1",
            "entity": "annotation",
            "action": "create",
            "uid": uid,
            "data": {"image": world["image"], "location": SQUARE, "term": [world["term1"]]},
        },
        {
            "opId": "2",
            "entity": "annotation",
            "action": "create",
            "data": {"image": world["image"], "location": "POLYGON ((0 0, 1 1, 0 0))x"},
        },
    ]
    res = a.post("/api/sync/push.json", {"ops": ops}).json()["results"]
    assert [r["status"] for r in res] == [200, 400]
    created = res[0]["body"]["annotation"]
    again = a.post("/api/sync/push.json", {"ops": ops[:1]}).json()["results"][0]
    assert again["body"]["annotation"]["id"] == created["id"]
    upd = {
        "opId": "3",
        "entity": "annotation",
        "action": "update",
        "id": created["id"],
        "baseUpdated": int(created["created"]),
        "data": {"location": "POLYGON ((5 5, 50 5, 50 50, 5 5))"},
    }
    term = {
        "opId": "4",
        "entity": "annotationterm",
        "action": "create",
        "data": {"annotation": created["id"], "term": world["term1"]},
    }
    stale = {**upd, "opId": "5"}
    res = a.post("/api/sync/push.json", {"ops": [upd, term, stale]}).json()["results"]
    assert [r["status"] for r in res] == [200, 200, 409]
    pulled = a.get(f"/api/project/{world['project']}/annotations/bulk.json", params={"since": 0})
    rows = {r["id"]: r for r in pulled.json()["annotations"]}
    assert rows[created["id"]]["location"].startswith("POLYGON ((5 5")


def test_bulk_pull_carries_annotation_properties(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    p = world["project"]
    cls = "be.cytomine.domain.ontology.UserAnnotation"
    start = a.get(f"/api/project/{p}/annotations/bulk.json", params={"since": 0}).json()["cursor"]
    pk = a.post("/api/annotation.json", {"image": world["image"], "location": SQUARE}).json()[
        "annotation"
    ]["id"]
    prop = a.post(
        "/api/property.json", {"domainClassName": cls, "domainIdent": pk, "key": "k", "value": "v"}
    ).json()["property"]
    page = a.get(f"/api/project/{p}/annotations/bulk.json", params={"since": start}).json()
    assert [(x["id"], x["key"], x["value"]) for x in page["properties"]] == [(prop["id"], "k", "v")]
    assert page["deletedProperties"] == []
    cursor = page["cursor"]
    assert a.delete(f"/api/domain/{cls}/{pk}/property/{prop['id']}.json").ok
    page = a.get(f"/api/project/{p}/annotations/bulk.json", params={"since": cursor}).json()
    assert page["properties"] == [] and [x["id"] for x in page["deletedProperties"]] == [prop["id"]]
    assert page["cursor"] > cursor
