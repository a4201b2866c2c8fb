"""Create / update / delete with everything a change must carry, in one transaction.

Each write goes through here so that the Cytomine command envelope, the command
history, the change feed, idempotent creates (client ``uid``) and stale-edit checks
(``baseUpdated``) are applied the same way for every domain.  Routes supply a
:class:`Resource` that knows how to serialise a row, apply JSON to it and which
projects it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.model.security import Access
from desktop_app.protocol.cytomine.base import CytomineBody, unknown_fields
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import ApiError, bad_request, not_found
from desktop_app.server.feed import (
    check_not_stale,
    client_uid,
    find_key,
    record_change,
    remember_key,
)
from desktop_app.server.history import log_command
from desktop_app.server.wire import (
    body_doc,
    command_envelope,
    now,
    parse_body,
    request_json,
    version_ms,
)

Json = dict[str, Any]


@dataclass(frozen=True)
class Resource:
    """How one Cytomine domain is read and written."""

    key: str  # envelope key and change-feed entity type, e.g. "project"
    cls: str  # Cytomine FQCN
    model: type[Any]
    to_json: Callable[[Session, Any], Json]
    #: Sets fields from the body (an instance of ``body``, or the raw JSON object when
    #: ``body`` is ``None``); ``row`` is new on create.  Raises ApiError.
    apply: Callable[[Session, Caller, Any, Any, bool], None]
    #: Projects the row belongs to (rights and feed); empty for global objects.
    projects_of: Callable[[Session, Any], list[int]]
    label: str = ""
    #: The request body's wire model (``desktop_app.protocol``): the body is validated
    #: by it before ``apply`` sees it, and a PUT's fields it does not hold are ``ignored``.
    body: type[CytomineBody] | None = None

    def get(self, db: Session, pk: int) -> Any:
        row = db.get(self.model, pk)
        if row is None or getattr(row, "deleted", None) is not None:
            raise not_found(self.label or self.cls.rsplit(".", 1)[-1], pk)
        return row


#: Fields a client may send back unchanged on PUT (identity, versions, envelopes).
_ECHO_FIELDS = frozenset({"id", "class", "created", "updated", "deleted", "uid", "baseUpdated"})


class ReadTracker(dict[str, Any]):
    """The PUT body, remembering which fields the domain's ``apply`` looked at.

    Cytomine clients send the whole object back; a field that no code reads is ignored
    and the answer says so (``"ignored": [...]``) instead of a silent 200.
    """

    def __init__(self, body: Json) -> None:
        super().__init__(body)
        self.read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return super().__contains__(key)

    def _all(self) -> None:
        self.read.update(self.keys())

    def items(self) -> Any:
        self._all()
        return super().items()

    def __iter__(self) -> Any:
        self._all()
        return super().__iter__()

    def ignored(self) -> list[str]:
        return sorted(k for k in self.keys() if k not in self.read and k not in _ECHO_FIELDS)


def ignored_fields(model: type[CytomineBody], body: Json) -> list[str]:
    """The fields of a PUT ``body`` its model does not read (echoed identity aside)."""
    return [k for k in unknown_fields(model, body) if k not in _ECHO_FIELDS]


def _feed(db: Session, res: Resource, row: Any, action: str, caller: Caller) -> None:
    stamp = version_ms(row.created, getattr(row, "updated", None))
    if action == "deleted":
        stamp = version_ms(now(), None)
    projects = res.projects_of(db, row)
    if projects:
        record_change(db, projects, res.key, row.pk, row.uid, action, stamp, caller.pk)


def existing_for_uid(db: Session, res: Resource, caller: Caller, uid: str | None) -> Any | None:
    """The row an earlier create with this client uid made, if any (a retried create)."""
    if uid is None:
        return None
    key = find_key(db, caller.pk, f"{res.key}:{uid}")
    if key is None:
        return None
    return db.get(res.model, key.entity_pk)


def insert(db: Session, res: Resource, caller: Caller, body: Json, uid: str | None) -> Any:
    """Add one row (no commit): apply, flush, key, feed, command history."""
    row = res.model()
    res.apply(db, caller, row, body if res.body is None else parse_body(res.body, body), True)
    if uid is not None:
        row.uid = uid
    db.add(row)
    db.flush()
    if uid is not None:
        remember_key(db, caller.pk, f"{res.key}:{uid}", res.key, row.pk)
    _feed(db, res, row, "created", caller)
    return row


def _item_uid(item: Json) -> str | None:
    """A bulk item's own ``uid`` (the header would name the whole request, not an item)."""
    raw = item.get("uid")
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw) > 36 or not raw.isprintable():
        raise bad_request("uid must be a string of at most 36 characters")
    return raw


#: Most items one array POST may create (Cytomine's client sends chunks of 15).
MAX_BULK = 1000


def create_many(
    db: Session, request: Request, res: Resource, caller: Caller, items: list[Any]
) -> Json:
    """POST of a JSON array (Cytomine's bulk save): all items or none, in one transaction.

    Each item is applied exactly as a single create (same rights, same checks) and may
    carry its own ``uid``; the first refused item rolls everything back and its status
    is the answer's, with ``errorList`` naming it.
    """
    if not items or len(items) > MAX_BULK:
        raise bad_request(f"Expected between 1 and {MAX_BULK} objects")
    created: list[Json] = []
    try:
        for index, item in enumerate(items):
            try:
                if not isinstance(item, dict):
                    raise bad_request("Expected a JSON object")
                uid = _item_uid(item)
                again = existing_for_uid(db, res, caller, uid)
                row = again if again is not None else insert(db, res, caller, item, uid)
                obj = res.to_json(db, row)
                if again is None:
                    log_command(db, caller, "add", res, row, obj, res.projects_of(db, row))
                created.append(obj)
            except ApiError as exc:
                raise ApiError(
                    exc.status,
                    f"No entry saved: item {index}: {exc.message}",
                    errorList=[{"index": index, "message": exc.message}],
                ) from exc
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise ApiError(409, f"No entry saved: {res.cls.rsplit('.', 1)[-1]} already exists") from exc
    except ApiError:
        db.rollback()
        raise
    simple = res.cls.rsplit(".", 1)[-1]
    ids = ",".join(str(o["id"]) for o in created)
    return {"status": 200, "data": {"message": f"{simple}s {ids} added", "collection": created}}


def create(db: Session, request: Request, res: Resource, caller: Caller, body: Any) -> Json:
    """POST: create one row and answer with the command envelope (idempotent on ``uid``).

    A JSON array creates several (:func:`create_many`), as Cytomine's bulk save does.
    """
    if isinstance(body, list):
        return create_many(db, request, res, caller, body)
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object")
    uid = client_uid(request, body)
    again = existing_for_uid(db, res, caller, uid)
    if again is not None:
        return command_envelope(res.key, res.to_json(db, again), "added", None, res.cls)
    try:
        row = insert(db, res, caller, body, uid)
        obj = res.to_json(db, row)
        cmd = log_command(db, caller, "add", res, row, obj, res.projects_of(db, row))
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        again = existing_for_uid(db, res, caller, uid)
        if again is not None:
            return command_envelope(res.key, res.to_json(db, again), "added", None, res.cls)
        raise ApiError(409, f"{res.cls.rsplit('.', 1)[-1]} already exists") from exc
    return command_envelope(res.key, obj, "added", cmd, res.cls)


def update(
    db: Session, request: Request, res: Resource, caller: Caller, row: Any, body: Any
) -> Json:
    """PUT: full replace as Cytomine does, refused with 409 if the client's base is stale."""
    if not isinstance(body, dict):
        raise bad_request("Expected a JSON object")
    before = res.to_json(db, row)
    check_not_stale(
        request, body, version_ms(row.created, getattr(row, "updated", None)), res.key, before
    )
    old_projects = set(res.projects_of(db, row))
    tracked: ReadTracker | list[str]
    if res.body is None:
        tracked = ReadTracker(body)
        res.apply(db, caller, row, tracked, False)
    else:
        res.apply(db, caller, row, parse_body(res.body, body), False)
        tracked = ignored_fields(res.body, body)
    row.updated = now()
    try:
        db.flush()
        _feed(db, res, row, "updated", caller)
        obj = res.to_json(db, row)
        projects = sorted(old_projects | set(res.projects_of(db, row)))
        cmd = log_command(db, caller, "edit", res, row, obj, projects, previous=before)
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise ApiError(409, f"{res.cls.rsplit('.', 1)[-1]} conflicts with an existing one") from exc
    return report_ignored(command_envelope(res.key, obj, "edited", cmd, res.cls), tracked)


def report_ignored(out: Json, tracked: ReadTracker | list[str]) -> Json:
    """Add ``"ignored": [...]`` (and a note in ``message``, if any) when the PUT body
    held fields nothing read (``tracked``: the body that recorded its reads, or the
    names themselves): a PUT never drops a field silently (docs/api.md §2)."""
    ignored = tracked if isinstance(tracked, list) else tracked.ignored()
    if ignored:
        out["ignored"] = ignored
        if isinstance(out.get("message"), str):
            out["message"] += f" (ignored: {', '.join(ignored[:20])})"
    return out


def delete(
    db: Session, request: Request, res: Resource, caller: Caller, row: Any, body: Any = None
) -> Json:
    """DELETE: hard delete (as Spring Cytomine), recorded in the feed as a tombstone."""
    obj = res.to_json(db, row)
    check_not_stale(
        request,
        body if isinstance(body, dict) else None,
        version_ms(row.created, getattr(row, "updated", None)),
        res.key,
        obj,
    )
    projects = res.projects_of(db, row)
    _feed(db, res, row, "deleted", caller)
    cmd = log_command(db, caller, "delete", res, row, obj, projects)
    db.delete(row)
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise ApiError(409, "Cannot delete: other objects still refer to it") from exc
    return command_envelope(res.key, obj, "deleted", cmd, res.cls)


#: Loads one row for the caller at an access level (RO to read, RW to change), raising
#: 404/403 exactly as the domain requires; the routes below only pass the level.
Fetch = Callable[[Session, Caller, int, Access], Any]


def item_routes(
    router: APIRouter,
    path: str,
    res: Resource,
    fetch: Fetch,
    *,
    param: str,
    names: tuple[str, str | None, str | None],
) -> None:
    """Register GET / PUT / DELETE ``path`` (one row by integer id) on ``router``.

    Most domains answer these three the same way (load with rights, then serialise,
    :func:`update` or :func:`delete`), so they are declared once here.  ``param`` is the
    path parameter's name in ``path`` (kept so the OpenAPI document is unchanged) and
    ``names`` the route names (OpenAPI operation ids); a ``None`` name leaves that method
    out, for domains whose PUT or DELETE does more and is written by hand.
    """
    get_name, edit_name, delete_name = names

    def get_one(
        pk: int = Path(alias=param),
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Json:
        return res.to_json(db, fetch(db, caller, pk, Access.RO))

    def edit_one(
        request: Request,
        pk: int = Path(alias=param),
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
        payload: Any = Depends(request_json),
    ) -> Json:
        row = fetch(db, caller, pk, Access.RW)
        return update(db, request, res, caller, row, payload)

    def delete_one(
        request: Request,
        pk: int = Path(alias=param),
        db: Session = Depends(get_db),
        caller: Caller = Depends(current_caller),
    ) -> Json:
        return delete(db, request, res, caller, fetch(db, caller, pk, Access.RW))

    router.add_api_route(path, get_one, methods=["GET"], name=get_name)
    if edit_name is not None:
        extra = body_doc(res.body) if res.body is not None else None
        router.add_api_route(path, edit_one, methods=["PUT"], name=edit_name, openapi_extra=extra)
    if delete_name is not None:
        router.add_api_route(path, delete_one, methods=["DELETE"], name=delete_name)
