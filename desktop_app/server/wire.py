"""Cytomine's JSON conventions: epoch-ms strings, list envelopes, command envelopes.

Kept in one place so every route emits exactly the same shapes (cytomine-api.md 2.2,
2.4, 2.5) and the sync extension fields ride along without each route re-inventing them.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, TypeAdapter, ValidationError

from desktop_app.protocol.cytomine.answer_base import ListPage
from desktop_app.server.errors import bad_request, error_message

_M = TypeVar("_M", bound=BaseModel)
Json = dict[str, Any]


def ms(value: datetime | None) -> int | None:
    """A timestamp as epoch milliseconds (``None`` stays ``None``)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(round(value.timestamp() * 1000))


def ms_str(value: datetime | None) -> str | None:
    """Cytomine's ``created``/``updated``: epoch milliseconds as a string."""
    m = ms(value)
    return None if m is None else str(m)


def iso(value: datetime | None) -> str | None:
    """SciTran timestamps: ISO 8601 with an explicit UTC offset."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def version_ms(created: datetime | None, updated: datetime | None) -> int:
    """The version token of a row: ``updated``, or ``created`` until the first edit."""
    return ms(updated) or ms(created) or 0


def paginate(request: Request) -> tuple[int, int]:
    """``max`` (0 = all) and ``offset`` from the query string, validated."""
    q = request.query_params
    try:
        max_ = int(q.get("max") or 0)
        offset = int(q.get("offset") or 0)
    except ValueError as exc:
        raise bad_request("max and offset must be integers") from exc
    if max_ < 0 or offset < 0:
        raise bad_request("max and offset must not be negative")
    return max_, offset


def list_envelope(rows: list[Any], total: int, max_: int, offset: int) -> dict[str, Any]:
    """``{"collection","offset","perPage","size","totalPages"}`` as Cytomine pages lists."""
    per_page = max_ if max_ > 0 else total
    pages = math.ceil(total / max_) if max_ > 0 else (1 if total else 0)
    return {
        "collection": rows,
        "offset": offset,
        "perPage": per_page,
        "size": total,
        "totalPages": pages,
    }


def page(rows: list[Any], request: Request) -> dict[str, Any]:
    """Slice an in-memory list by ``max``/``offset`` and wrap it."""
    max_, offset = paginate(request)
    chunk = rows[offset : offset + max_] if max_ else rows[offset:]
    return list_envelope(chunk, len(rows), max_, offset)


_VERB_CMD = {"added": "Add", "edited": "Edit", "deleted": "Delete"}


def command_envelope(
    key: str, obj: dict[str, Any], verb: str, command_pk: int | None, cls: str
) -> dict[str, Any]:
    """``{"message","callback","printMessage","<key>":obj,"command":id}`` (section 2.5)."""
    simple = cls.rsplit(".", 1)[-1]
    return {
        "message": f"{simple} {obj.get('id')} {verb}",
        "callback": {
            "method": f"be.cytomine.{_VERB_CMD.get(verb, 'Add')}{simple}Command",
            f"{key}ID": str(obj.get("id")),
        },
        "printMessage": True,
        key: obj,
        "command": command_pk,
    }


async def json_body(request: Request) -> Any:
    """The request body parsed as JSON, or a clear 400.

    Also accepts a form-encoded body (the official client's ``Annotation.review`` sends
    one while saying ``application/json``), turned into a dict of lists-or-strings.
    """
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except RecursionError as exc:
        raise bad_request(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from exc
    except (ValueError, UnicodeDecodeError):
        pass
    else:
        check_json(parsed)
        return parsed
    try:
        text = raw.decode("utf-8")
        if "=" in text and not text.lstrip().startswith(("{", "[")):
            parsed = parse_qs(text, keep_blank_values=True)
            return {k: (v if len(v) > 1 or k.endswith("s") else v[0]) for k, v in parsed.items()}
    except UnicodeDecodeError:
        pass
    raise bad_request("Malformed JSON body")


#: Nesting no API body needs (the deepest, a GeoJSON-ish payload, is < 10).
MAX_JSON_DEPTH = 64


def check_json(value: Any) -> None:
    """400 for what ``json.loads`` accepts but the server cannot use: nesting deeper than
    ``MAX_JSON_DEPTH`` (recursive code would overflow later) and lone UTF-16 surrogates
    (``"\\ud800"``: not encodable to UTF-8, so no database or response can hold them).
    Iterative, one pass over the parsed body."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise bad_request(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
            if isinstance(item, dict):
                for key, sub in item.items():
                    _check_text(key)
                    stack.append((sub, depth + 1))
            else:
                stack.extend((sub, depth + 1) for sub in item)


def _check_text(text: str) -> None:
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise bad_request("Text with an invalid character (a lone surrogate) in JSON") from exc


def now() -> datetime:
    return datetime.now(UTC)


def from_epoch_ms(value: int, name: str) -> datetime:
    """Epoch milliseconds as a UTC datetime; 400 beyond what a datetime holds (year 9999)."""
    try:
        return datetime.fromtimestamp(value / 1000, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise bad_request(f"{name} must be epoch milliseconds before the year 10000") from exc


def raw_json(obj: Any) -> Response:
    """Pre-encoded JSON: skips FastAPI's per-field encoder on big listings."""
    return Response(
        json.dumps(obj, separators=(",", ":"), allow_nan=False), media_type="application/json"
    )


async def request_json(request: Request) -> Any:
    """``json_body`` as a dependency: the body is received on the event loop, so the route
    itself can be a plain ``def`` whose database work runs in the thread pool.

    Why: an ``async`` route doing SQL blocks its worker's event loop for the whole
    statement, and on SQLite ``BEGIN IMMEDIATE`` may busy-wait there for up to 30 s
    while the lock holder needs that very loop to finish (``get_db``'s cleanup runs on
    it): every other request of the worker stalls, or the two deadlock until the timeout.
    """
    return await json_body(request)


def parse_body(model: type[_M], raw: Any) -> _M:
    """A request body (or query string, as a dict) as its ``desktop_app.protocol`` model,
    or the 400 naming the first field that does not fit."""
    if not isinstance(raw, dict):
        raise bad_request("Expected a JSON object")
    return parse_value(model, raw)


def parse_value(model: type[_M], raw: Any) -> _M:
    """A body as a model that checks it whole, a non-object included (SciTran's list
    edits answer a malformed body with the field's message), or the 400."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise bad_request(error_message(exc.errors()[0])) from exc


def body_doc(model: type[BaseModel], *, many: bool = False, key: str | None = None) -> Json:
    """A route's ``openapi_extra`` documenting ``model`` as its JSON request body.

    Routes read their body through ``parse_body`` (a 400 in Cytomine's error JSON, not
    FastAPI's 422), so FastAPI cannot see the model; this puts its schema in
    /openapi.json and changes nothing at run time.  ``many``: one object or an array of
    them (Cytomine's bulk save); ``key``: an array of them under that key.  Nested
    models are written inline: a ``#/$defs/...`` reference would point into the
    OpenAPI document, not into this schema.
    """
    schema = _inline(model.model_json_schema(mode="validation"))
    if many:
        schema = {"anyOf": [schema, {"type": "array", "items": schema}]}
    elif key is not None:
        schema = {"type": "object", "properties": {key: {"type": "array", "items": schema}}}
    return {"requestBody": {"content": {"application/json": {"schema": schema}}}}


def answer_doc(schema: Any, *, listed: bool = False) -> Json:
    """A route's ``openapi_extra`` documenting its 200 answer as ``schema`` (a Cytomine
    answer schema of ``protocol/cytomine/answers_*.py``), or, ``listed``, Cytomine's list
    envelope of them.  Documentation only: the route builds the answer itself
    (``server/serial*.py``), and ``tests/server/test_cytomine_answers.py`` holds it to the
    schema the sync client parses it with."""
    out = _inline(TypeAdapter(schema).json_schema())
    if listed:
        page = _inline(TypeAdapter(ListPage).json_schema())
        page["properties"]["collection"] = {"type": "array", "items": out}
        out = page
    content = {"application/json": {"schema": out}}
    return {"responses": {"200": {"description": "Successful Response", "content": content}}}


def _inline(schema: Json) -> Json:
    """``schema`` with its ``$defs`` references replaced by the definitions (the wire
    models are not recursive; a reference cycle would raise ``RecursionError``)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    out: Json = walk(schema)
    return out


def query_model(model: type[_M], request: Request) -> _M:
    """The query string as ``model`` (a repeated key: its last value, as Starlette's
    ``query_params.get``)."""
    return parse_body(model, dict(request.query_params))
