"""Invalidation of the per-worker identity and access caches across worker processes.

``auth`` caches what a public key stands for, ``routes.tiles`` "this caller may read
this image" and ``rights_cache`` "this caller may read/write this project", each for
at most 5 s per worker.  So that a change made through the server (a user disabled or
re-keyed, roles changed, a job identity ended, a membership revoked, a project's mode
changed or the project closed, a project or image deleted) takes effect *at once* in
every worker of this server, a commit that touched such rows bumps the modification
time of a marker file in the storage directory; each request compares that time (one
``stat``) with the one its worker last saw and drops the caches if it moved.  Changes
made outside this server's processes (another host on the same PostgreSQL database, a
manual SQL edit) are covered by the TTL alone.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from desktop_app.model.image import AbstractImage, AbstractSlice, ImageInstance, SliceInstance
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import AclEntry, Role, User, UserJob, UserRole

MARKER_NAME = ".access-generation"

#: Any insert/update/delete of these rows changes who may read what.
_ANY_CHANGE = (User, UserRole, UserJob, Role, ProjectMember, AclEntry)
#: Deleting these does (their updates do not: counters, names, review flags).
_DELETES = (Project, ImageInstance, AbstractImage, SliceInstance, AbstractSlice)
#: Project columns that decide what members may do (``rights.require_project``).
_PROJECT_RIGHTS = ("mode", "is_closed", "deleted")

_lock = threading.Lock()
_markers: set[str] = set()
_seen: dict[str, int] = {}
_clearers: list[Callable[[], None]] = []
_last_bump = 0


def on_change(clear: Callable[[], None]) -> None:
    """Register a cache's ``clear`` (called on a local change or a moved marker)."""
    _clearers.append(clear)


def _clear_all() -> None:
    for clear in _clearers:
        clear()


def marker_for(storage_dir: os.PathLike[str] | str) -> str:
    path = os.path.join(os.fspath(storage_dir), MARKER_NAME)
    if path not in _markers:
        with _lock:
            if not os.path.exists(path):
                with open(path, "a", encoding="utf-8"):
                    pass
            _markers.add(path)
    return path


def check(marker: str) -> None:
    """Drop the caches if another process (or this one) reported a change since."""
    try:
        gen = os.stat(marker).st_mtime_ns
    except OSError:
        _clear_all()
        return
    if _seen.get(marker) != gen:
        with _lock:
            if _seen.get(marker) != gen:
                _clear_all()
                _seen[marker] = gen


def _bump() -> None:
    global _last_bump
    with _lock:
        t = max(time.time_ns(), _last_bump + 1)
        _last_bump = t
        for marker in _markers:
            with contextlib.suppress(OSError):
                os.utime(marker, ns=(t, t))


@event.listens_for(Session, "after_flush")
def _note(session: Session, _ctx: Any) -> None:
    if session.info.get("access_changed"):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _ANY_CHANGE):
            session.info["access_changed"] = True
            return
    for obj in session.deleted:
        if isinstance(obj, _DELETES):
            session.info["access_changed"] = True
            return
    for obj in session.dirty:
        if isinstance(obj, Project):
            attrs = inspect(obj).attrs
            if any(attrs[name].history.has_changes() for name in _PROJECT_RIGHTS):
                session.info["access_changed"] = True
                return


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop("access_changed", False):
        _clear_all()
        _bump()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop("access_changed", None)
