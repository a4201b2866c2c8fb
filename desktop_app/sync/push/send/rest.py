"""Units sent as plain REST calls even to our server: reviews, descriptions, files, terms.

They are few per sync (a reviewer's decisions, a rename), need several calls each
(review session) or a multipart body, so they are not worth a batch format.  Each
answer is ``{"status", "body"}`` like the batched ones, so ``ack`` treats all alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from urllib3 import encode_multipart_formdata

from desktop_app.sync.rejection import REJECTED_KEY
from desktop_app.sync.transport.binary import send
from desktop_app.sync.transport.http import ClientError, CytomineClient

UNBATCHED = (
    "review",
    "unreview",
    "describe",
    "attach",
    "attach_delete",
    "term_create",
    "term_update",
    "ontology_update",
    "term_delete",
    "relation_create",
    "relation_delete",
)


def call(fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return {"status": 200, "body": fn(*args, **kwargs)}
    except ClientError as exc:
        body = exc.body if isinstance(exc.body, dict) else {"errors": str(exc)}
        return {"status": exc.status, "body": body}


def send_one(client: CytomineClient, action: str, req: dict[str, Any]) -> dict[str, Any]:
    if action in ("review", "unreview"):
        return review(client, req)
    if action == "describe":
        return describe(client, req)
    if action == "attach":
        return attach(client, req)
    if action == "attach_delete":
        return call(client.delete, f"/api/attachedfile/{req['id']}.json")
    if action == "term_create":
        return call(client.post, "/api/term.json", req)
    if action == "term_update":
        return call(client.put, f"/api/term/{req['id']}.json", req["data"])
    if action == "ontology_update":
        return call(client.put, f"/api/ontology/{req['id']}.json", req["data"])
    if action == "term_delete":
        return call(client.delete, f"/api/term/{req['id']}.json")
    if action == "relation_create":
        return call(client.post, "/api/relation/parent/term.json", req)
    rel = f"/api/relation/parent/term1/{req['term1']}/term2/{req['term2']}.json"
    return call(client.delete, rel)


def describe(client: CytomineClient, req: dict[str, Any]) -> dict[str, Any]:
    """POST a new description (idempotent on uid), or PUT against its base version.

    A 409 on POST means another user created one first: returned as is, so the answer
    handling makes it a conflict (server wins, mine kept) instead of overwriting it.
    """
    if not req["exists"]:
        return call(client.post, req["path"], req["data"])
    return call(client.put, req["path"], req["data"])


def attach(client: CytomineClient, req: dict[str, Any]) -> dict[str, Any]:
    """``POST /api/attachedfile.json?…&uid=`` multipart ``files[]`` (a retry with the same
    uid returns the file the server already stored)."""
    path = Path(req["path"])
    if not path.is_file():
        return {"status": 400, "body": {"errors": f"the local file {path.name} is missing"}}
    fields = {"files[]": (req["params"]["filename"], path.read_bytes(), req["content_type"])}
    body, ctype = encode_multipart_formdata(fields)
    try:
        resp = send(
            client,
            "POST",
            "/api/attachedfile.json",
            params=req["params"],
            data=body,
            content_type=ctype,
        )
    except ClientError as exc:
        answer = exc.body if isinstance(exc.body, dict) else {"errors": str(exc)}
        return {"status": exc.status or 400, "body": answer}
    with resp:
        return {"status": 200, "body": resp.json()}


def review(client: CytomineClient, req: dict[str, Any]) -> dict[str, Any]:
    """Accept = start review on the image if needed, accept, end the review we started.

    First decision stands across users: an accept of an annotation another reviewer
    (or this one, from another device) rejected answers 409 without being sent.
    """
    if not req.get("unreview") and req.get("cls"):
        found = call(
            client.get, f"/api/domain/{req['cls']}/{req['parent']}/key/{REJECTED_KEY}/property.json"
        )
        if found["status"] == 200 and isinstance(found["body"], dict):
            errors = "this annotation was already rejected (the first review stands)"
            return {"status": 409, "body": {"property": found["body"], "errors": errors}}
    image = call(client.get, f"/api/imageinstance/{req['image']}.json")
    if image["status"] != 200:
        return image
    img = image["body"]
    started = not (img.get("inReview") and img.get("reviewUser") == client.user_id)
    if started:
        start = call(client.post, f"/api/imageinstance/{req['image']}/review.json")
        if start["status"] != 200:
            return start
    try:
        if req.get("unreview"):
            return call(client.delete, f"/api/annotation/{req['parent']}/review.json")
        return call(
            client.post, f"/api/annotation/{req['parent']}/review.json", {"terms": req["terms"]}
        )
    finally:
        if started:
            call(client.delete, f"/api/imageinstance/{req['image']}/review.json", cancel="true")
