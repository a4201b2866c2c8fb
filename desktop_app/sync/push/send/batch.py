"""Putting units on the wire: batched push, bulk creates, or plain REST for a stock server.

Every path returns one ``{"status", "body"}`` per unit, in unit order, so the answer
handling (``ack.py``) is the same whatever the server supports.
"""

from __future__ import annotations

from typing import Any

from desktop_app.protocol.cytomine.answers_annotation import BULK_CREATED
from desktop_app.protocol.sync_ext import PushOp, PushResults
from desktop_app.sync.local import version_of
from desktop_app.sync.push.send.rest import UNBATCHED, call, send_one
from desktop_app.sync.push.units import Unit
from desktop_app.sync.transport.http import (
    ClientError,
    CytomineClient,
    MalformedResponse,
    parse_answer,
    parse_as,
)


def send(client: CytomineClient, units: list[Unit]) -> list[dict[str, Any]]:
    """Answers in unit order, each ``{"status", "body"}`` (batched when the server can)."""
    batched = [u for u in units if u.action not in UNBATCHED]
    answers: dict[str, dict[str, Any]] = {}
    if client.use_feed:
        answers.update(_bulk_create(client, [u for u in batched if u.action == "create"]))
        batched = [u for u in batched if u.op_id not in answers]
    if batched and client.use_feed:
        ops = [PushOp.model_validate({**u.request, "opId": u.op_id}) for u in batched]
        wire = [op.model_dump(mode="json", exclude_unset=True) for op in ops]
        answer = client.post("/api/sync/push.json", {"ops": wire})
        results = parse_answer(PushResults, answer, "push answer").results
        if len(results) != len(ops):
            raise MalformedResponse("the push answer does not match the ops sent")
        for u, r in zip(batched, results, strict=True):
            answers[u.op_id] = {"status": r.status, "body": r.body}
    else:
        for u in batched:
            answers[u.op_id] = _single(client, u.request)
    for u in units:
        if u.action in UNBATCHED:
            answers[u.op_id] = send_one(client, u.action, u.request)
    return [answers[u.op_id] for u in units]


def _bulk_create(client: CytomineClient, units: list[Unit]) -> dict[str, dict[str, Any]]:
    """Creates through the all-or-nothing bulk route: one transaction for the whole batch.

    The route is idempotent per item uid like the single create.  On any refusal (400)
    nothing was written and the caller sends the ops through the per-op push instead,
    which reports each op's own status.  The answer has no geometry: the WKT we sent
    becomes the base (the server keeps in-image geometries as sent).
    """
    if len(units) < 2:
        return {}
    items = [{**u.request["data"], "uid": u.request["uid"]} for u in units]
    try:
        body = client.post("/api/annotation.json", items)
    except ClientError as exc:
        if exc.status in (400, 413):
            return {}
        raise
    rows = parse_as(BULK_CREATED, body, "bulk answer")["data"]["collection"]
    made = {str(r.get("uid")): r for r in rows}
    out: dict[str, dict[str, Any]] = {}
    for u, item in zip(units, items, strict=True):
        row = made.get(str(item["uid"]))
        if row is not None:
            obj = {**row, "location": item["location"], "image": item["image"]}
            out[u.op_id] = {"status": 200, "body": {"annotation": obj}, "bulk": True}
    return out


def _single(client: CytomineClient, req: dict[str, Any]) -> dict[str, Any]:
    """One op as plain Cytomine REST calls (stock server: no batch endpoint)."""
    entity, action, data = req["entity"], req["action"], req.get("data") or {}
    if entity == "annotation" and action == "create":
        return call(client.post, "/api/annotation.json", {**data, "uid": req["uid"]})
    if entity == "annotation":
        cur = call(client.get, f"/api/annotation/{req['id']}.json")
        if cur["status"] != 200:
            return cur
        if version_of(cur["body"]) != req.get("baseUpdated"):  # emulated If-Match (5.6)
            return {"status": 409, "body": {"annotation": cur["body"], "conflict": True}}
        if action == "update":
            body = {**cur["body"], **data, "baseUpdated": req.get("baseUpdated")}
            return call(client.put, f"/api/annotation/{req['id']}.json", body)
        return call(client.delete, f"/api/annotation/{req['id']}.json")
    if entity == "property":
        if action == "create":
            return call(client.post, "/api/property.json", {**data, "uid": req["uid"]})
        prop = f"/api/domain/{data.get('domainClassName')}/{data.get('domainIdent')}/property"
        if action == "update":
            return call(client.put, f"{prop}/{req['id']}.json", data)
        return call(client.delete, f"{prop}/{req['id']}.json")
    path = f"/api/annotation/{data['annotation']}/term/{data['term']}.json"
    if action == "create":
        return call(client.post, path)
    return call(client.delete, path)
