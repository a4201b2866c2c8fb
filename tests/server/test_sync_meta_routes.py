"""Server side of the sync of terms, attached files and review decisions: a used term
cannot be deleted, an attached-file upload is idempotent on its uid, a rejection of an
already-decided annotation is 409, and the bulk page carries the side rows."""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.server.harness import Server

SQUARE = "POLYGON ((10 10, 60 10, 60 60, 10 60, 10 10))"
CLS = "be.cytomine.domain.ontology.UserAnnotation"


def test_used_term_delete_refused(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    name = f"t-{uuid.uuid4().hex[:8]}"
    term = a.post("/api/term.json", {"name": name, "ontology": world["ontology"]}).json()
    tid = term["term"]["id"]
    ann = a.post("/api/annotation.json", {"image": world["image"], "location": SQUARE}).json()
    aid = ann["annotation"]["id"]
    assert a.post(f"/api/annotation/{aid}/term/{tid}.json").ok
    refused = a.delete(f"/api/term/{tid}.json")
    assert refused.status_code == 400
    assert "still used by 1 annotation" in refused.json()["errors"]
    assert server.client("bob").delete(f"/api/term/{tid}.json").status_code == 403  # rw only
    assert a.delete(f"/api/annotation/{aid}/term/{tid}.json").ok
    since = a.get(f"/api/project/{world['project']}/changes.json", params={"max": 5000}).json()
    assert a.delete(f"/api/term/{tid}.json").ok
    page = a.get(
        f"/api/project/{world['project']}/annotations/bulk.json",
        params={"since": since["cursor"]},
    ).json()
    assert page["deletedTerms"] == [{"id": tid, "uid": term["term"]["uid"]}]
    assert a.delete(f"/api/annotation/{aid}.json").ok


def test_attached_file_upload_idempotent_and_in_bulk_page(
    server: Server, world: dict[str, int]
) -> None:
    a = server.client("alice")
    aid = a.post("/api/annotation.json", {"image": world["image"], "location": SQUARE}).json()[
        "annotation"
    ]["id"]
    since = a.get(f"/api/project/{world['project']}/changes.json", params={"max": 5000}).json()
    uid = str(uuid.uuid4())
    params = {"domainIdent": aid, "domainClassName": CLS, "filename": "n.txt", "uid": uid}
    ids = [
        a.post("/api/attachedfile.json", params=params, files={"files[]": ("n.txt", b"hi")}).json()[
            "attachedfile"
        ]["id"]
        for _ in range(2)
    ]
    assert ids[0] == ids[1]
    listed = a.get(f"/api/domain/{CLS}/{aid}/attachedfile.json").json()["collection"]
    assert [f["id"] for f in listed] == [ids[0]]
    assert a.get(f"/api/attachedfile/{ids[0]}/download").content == b"hi"
    a.post(f"/api/domain/{CLS}/{aid}/description.json", {"data": "<p>d</p>"})
    page = a.get(
        f"/api/project/{world['project']}/annotations/bulk.json",
        params={"since": since["cursor"]},
    ).json()
    assert [f["uid"] for f in page["attachedFiles"]] == [uid]
    assert [d["data"] for d in page["descriptions"]] == ["<p>d</p>"]
    assert a.delete(f"/api/annotation/{aid}.json").ok


def test_rejection_of_a_decided_annotation_is_409(server: Server, world: dict[str, int]) -> None:
    a = server.client("alice")
    aids = [
        a.post("/api/annotation.json", {"image": world["image"], "location": SQUARE}).json()[
            "annotation"
        ]["id"]
        for _ in range(2)
    ]

    def reject(aid: int, uid: str) -> Any:
        value = json.dumps({"reviewUser": server.users["alice"].id, "terms": []})
        body = {"domainClassName": CLS, "domainIdent": aid, "key": "sync:review.rejected"}
        return a.post("/api/property.json", {**body, "value": value, "uid": uid})

    first = reject(aids[0], "u1")
    assert first.status_code == 200
    assert reject(aids[0], "u1").status_code == 200  # a retry
    again = reject(aids[0], "u2")
    assert again.status_code == 409 and "already rejected" in again.json()["errors"]
    img = world["image"]
    assert a.post(f"/api/imageinstance/{img}/review.json").ok
    assert a.post(f"/api/annotation/{aids[1]}/review.json", {"terms": []}).ok
    a.delete(f"/api/imageinstance/{img}/review.json", params={"cancel": "true"})
    accepted = reject(aids[1], "u3")
    assert accepted.status_code == 409 and "reviewedannotation" in accepted.json()


def _reject_body(server: Server, who: str, aid: int) -> dict[str, Any]:
    value = json.dumps({"reviewUser": server.users[who].id, "terms": []})
    return {
        "domainClassName": CLS,
        "domainIdent": aid,
        "key": "sync:review.rejected",
        "value": value,
        "uid": str(uuid.uuid4()),
    }


def test_accept_of_a_rejected_annotation_is_409(server: Server, world: dict[str, int]) -> None:
    """The first decision stands on the server too: bob rejected, alice cannot accept."""
    a, b = server.client("alice"), server.client("bob")
    aid = a.post("/api/annotation.json", {"image": world["image"], "location": SQUARE}).json()[
        "annotation"
    ]["id"]
    assert b.post("/api/property.json", _reject_body(server, "bob", aid)).ok
    img = world["image"]
    assert a.post(f"/api/imageinstance/{img}/review.json").ok
    try:
        refused = a.post(f"/api/annotation/{aid}/review.json", {"terms": []})
        assert refused.status_code == 409, refused.text
        body = refused.json()
        assert body["success"] is False and "already rejected" in body["errors"]
        assert body["property"]["key"] == "sync:review.rejected"
        assert a.get(f"/api/annotation/{aid}.json").json()["reviewed"] is False
    finally:
        a.delete(f"/api/imageinstance/{img}/review.json", params={"cancel": "true"})


def test_simultaneous_accept_and_reject_exactly_one_stands(
    server: Server, world: dict[str, int]
) -> None:
    """Alice accepts while bob rejects, each pair released at the same instant: on every
    annotation exactly one decision is stored and the other is 409 (no lost check)."""
    a = server.client("alice")
    img = world["image"]
    aids = [
        a.post("/api/annotation.json", {"image": img, "location": SQUARE}).json()["annotation"][
            "id"
        ]
        for _ in range(12)
    ]
    assert a.post(f"/api/imageinstance/{img}/review.json").ok
    accepters = [server.client("alice") for _ in aids]
    rejecters = [server.client("bob") for _ in aids]
    barrier = threading.Barrier(2 * len(aids))

    def accept(i: int) -> int:
        barrier.wait()
        return accepters[i].post(f"/api/annotation/{aids[i]}/review.json", {}).status_code

    def reject(i: int) -> int:
        barrier.wait()
        body = _reject_body(server, "bob", aids[i])
        return rejecters[i].post("/api/property.json", body).status_code

    try:
        with ThreadPoolExecutor(2 * len(aids)) as pool:
            acc = [pool.submit(accept, i) for i in range(len(aids))]
            rej = [pool.submit(reject, i) for i in range(len(aids))]
            outcomes = [(x.result(), y.result()) for x, y in zip(acc, rej, strict=True)]
    finally:
        a.delete(f"/api/imageinstance/{img}/review.json", params={"cancel": "true"})
    assert all(sorted(o) == [200, 409] for o in outcomes), outcomes
    for aid, (acc_status, _) in zip(aids, outcomes, strict=True):
        reviewed = a.get(f"/api/annotation/{aid}.json").json()["reviewed"]
        props = a.get(f"/api/domain/{CLS}/{aid}/property.json").json()["collection"]
        rejected = [p for p in props if p["key"] == "sync:review.rejected"]
        assert (reviewed, len(rejected)) == ((True, 0) if acc_status == 200 else (False, 1))
