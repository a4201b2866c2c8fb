"""Invalidation of an app's access caches, within the app and across worker processes.

``ServerState`` keeps what a public key stands for (``auth``), "this caller may read
this image" (``routes.tiles``) and "this caller may read/write this project"
(``rights_cache``), each for at most ``ACCESS_TTL_S``.  So that a change made through
the server (a user disabled or re-keyed, roles changed, a job identity ended, a
membership revoked, a project's mode changed or the project closed, a project or image
deleted) takes effect *at once* in every worker of this server, a commit that touched
such rows empties the committing app's caches and bumps the modification time of a
marker file in the storage directory; each request compares that time (one ``stat``)
with the one its app last saw and drops the caches if it moved.  Changes made outside
this server's processes (another host on the same PostgreSQL database, a manual SQL
edit) are covered by the TTL alone.

The SQLAlchemy listeners attach to the app's own session factories (``attach``), not
to the global ``Session`` class: two apps in one process do not see each other's
commits.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

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
#: The ``Session.info`` flag of a transaction that changed access rows.
_FLAG = "access_changed"


def marker_path(storage_dir: os.PathLike[str] | str) -> str:
    return os.path.join(os.fspath(storage_dir), MARKER_NAME)


def touch_marker(storage_dir: os.PathLike[str] | str) -> None:
    """Tell every running server on this storage dir that access rows changed."""
    path = marker_path(storage_dir)
    with open(path, "a", encoding="utf-8"):
        pass
    t = time.time_ns()
    os.utime(path, ns=(t, t))


def changes_access(session: Session) -> bool:
    """Whether the flush just done (``after_flush``: its objects are still listed as
    new/dirty/deleted) touched rows that decide access."""
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _ANY_CHANGE):
            return True
    for obj in session.deleted:
        if isinstance(obj, _DELETES):
            return True
    for obj in session.dirty:
        if isinstance(obj, Project):
            attrs = inspect(obj).attrs
            if any(attrs[name].history.has_changes() for name in _PROJECT_RIGHTS):
                return True
    return False


class AccessWatch:
    """One app's view of the marker: drops its caches on a local or a remote change."""

    def __init__(self, storage_dir: os.PathLike[str] | str, clear: Callable[[], None]) -> None:
        self.marker = marker_path(storage_dir)
        if not os.path.exists(self.marker):
            with open(self.marker, "a", encoding="utf-8"):
                pass
        self._clear = clear
        self._lock = threading.Lock()
        self._seen: int | None = None
        self._last_bump = 0

    def attach(self, sessions: sessionmaker[Session]) -> None:
        """Listen to the commits of sessions made by ``sessions`` (this app's only)."""
        event.listen(sessions, "after_flush", self._note)
        event.listen(sessions, "after_commit", self._committed)
        event.listen(sessions, "after_rollback", self._rolled_back)

    def check(self) -> None:
        """Drop the caches if another process (or this one) reported a change since."""
        try:
            gen: int | None = os.stat(self.marker).st_mtime_ns
        except OSError:
            gen = None
        if gen is None or self._seen != gen:
            with self._lock:
                if gen is None or self._seen != gen:
                    self._clear()
                    self._seen = gen

    def _bump(self) -> None:
        with self._lock:
            t = max(time.time_ns(), self._last_bump + 1)
            self._last_bump = t
            with contextlib.suppress(OSError):
                os.utime(self.marker, ns=(t, t))

    def _note(self, session: Session, _ctx: Any) -> None:
        if not session.info.get(_FLAG) and changes_access(session):
            session.info[_FLAG] = True

    def _committed(self, session: Session) -> None:
        if session.info.pop(_FLAG, False):
            self._clear()
            self._bump()

    def _rolled_back(self, session: Session) -> None:
        session.info.pop(_FLAG, None)
