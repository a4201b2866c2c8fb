"""Route dependencies that validate request geometries before the write transaction.

``geom.precheck`` does the costly geometry work (bound check, repair); these run it in
the thread pool after authentication and before the route touches the database, and
hand the result to ``geom.from_wire`` through ``Session.info``.  The authentication
lookup may have begun the session's transaction (on SQLite a write session begins with
``BEGIN IMMEDIATE``, the write lock): it is ended first, so while a polygon is being
checked this request holds no lock and other writers go on.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.geom import PRECHECKED, Prechecked, precheck
from desktop_app.server.wire import json_body


def _location(item: Any) -> object:
    return item.get("location") if isinstance(item, dict) else None


async def _run(db: Session, wkts: list[object], refuse: bool) -> Prechecked:
    if db.in_transaction():
        db.rollback()  # only the caller lookup ran: nothing to lose, a lock to release
    checked = await run_in_threadpool(lambda: precheck(wkts, refuse=refuse))
    db.info[PRECHECKED] = checked
    return checked


async def annotation_geometries(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Prechecked:
    """An annotation create (one object or a bulk array) or edit: its ``location``s."""
    body = await json_body(request)
    items = body if isinstance(body, list) else [body]
    return await _run(db, [_location(it) for it in items], True)


async def push_geometries(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Prechecked:
    """A sync push: the locations of its annotation operations, refused per operation."""
    body = await json_body(request)
    ops = body.get("ops") if isinstance(body, dict) else None
    wkts = [
        _location(op.get("data"))
        for op in (ops if isinstance(ops, list) else [])
        if isinstance(op, dict) and op.get("entity") == "annotation"
    ]
    return await _run(db, wkts, False)
