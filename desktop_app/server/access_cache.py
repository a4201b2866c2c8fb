"""Invalidation of an app's access caches: in the app, across workers and across hosts.

``ServerState`` keeps what a public key stands for (``auth``), "this caller may read
this image" (``routes.tiles``) and "this caller may read/write this project"
(``rights_cache``), each for at most ``ACCESS_TTL_S``.  A change to who may read what
(a user disabled, deleted or re-keyed, roles changed, a job identity ended, a
membership revoked, a project's mode changed or the project closed, a project or
image deleted) must be honoured by every server process on every host within 1 s:

* the transaction making the change increments the one ``access_generation`` row
  (``AccessWatch.attach`` does it for the app's sessions, ``record_change`` for the
  admin CLI), so the counter moves exactly when the change becomes visible;
* the committing app empties its caches at once (``after_commit``) and bumps the
  modification time of a marker file in its storage directory, which every request
  ``stat``s: the other workers of the same host drop their caches at once;
* every request also makes sure its app read the counter less than ``POLL_S`` ago
  (one single-row read per ``POLL_S`` and process, off the event loop), so processes
  on other hosts sharing the database, which see no marker, drop theirs within
  ``POLL_S`` plus one read.

A value computed while an invalidation happens is not kept (``state.AccessMemo``'s
epoch).  The listeners attach to the app's own session factories, not to the global
``Session`` class: two apps in one process do not see each other's commits.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.model.image import AbstractImage, AbstractSlice, ImageInstance, SliceInstance
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import AclEntry, Role, User, UserJob, UserRole
from desktop_app.model.sync import AccessGeneration

MARKER_NAME = ".access-generation"
#: Seconds between two reads of the generation row by one process: the bound, plus one
#: read, on how long another host's change can go unnoticed.
POLL_S = 0.25

#: Any insert/update/delete of these rows changes who may read what.
_ANY_CHANGE = (User, UserRole, UserJob, Role, ProjectMember, AclEntry)
#: Deleting these does (their updates do not: counters, names, review flags).
_DELETES = (Project, ImageInstance, AbstractImage, SliceInstance, AbstractSlice)
#: Project columns that decide what members may do (``rights.require_project``).
_PROJECT_RIGHTS = ("mode", "is_closed", "deleted")
#: The ``Session.info`` flag of a transaction that changed access rows.
_FLAG = "access_changed"

_GENERATION = select(AccessGeneration.generation).where(AccessGeneration.pk == 1)
_BUMP = (
    update(AccessGeneration)
    .where(AccessGeneration.pk == 1)
    .values(generation=AccessGeneration.generation + 1)
)


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


def record_change(session: Session) -> None:
    """Count an access change in the session's transaction (once per transaction).

    The row lock this takes on PostgreSQL serialises access-changing transactions,
    which are rare (administration), never annotation writes.
    """
    if session.info.get(_FLAG):
        return
    session.info[_FLAG] = True
    session.connection().execute(_BUMP)


def read_generation(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(_GENERATION).scalar() or 0)


class AccessWatch:
    """One app's watch on access changes: drops its caches on a local or remote change."""

    def __init__(
        self, engine: Engine, storage_dir: os.PathLike[str] | str, clear: Callable[[], None]
    ) -> None:
        self.engine = engine
        self.marker = marker_path(storage_dir)
        if not os.path.exists(self.marker):
            with open(self.marker, "a", encoding="utf-8"):
                pass
        self._clear = clear
        self._lock = threading.Lock()
        self._seen_mtime: int | None = None
        self._seen_generation: int | None = None
        self._polled = -POLL_S
        self._polling = False
        self._last_bump = 0

    def attach(self, sessions: sessionmaker[Session]) -> None:
        """Listen to the flushes and commits of sessions made by ``sessions`` only."""
        event.listen(sessions, "after_flush", self._note)
        event.listen(sessions, "after_commit", self._committed)
        event.listen(sessions, "after_rollback", self._rolled_back)

    def check_marker(self) -> None:
        """Drop the caches if another worker of this host reported a change since."""
        try:
            mtime: int | None = os.stat(self.marker).st_mtime_ns
        except OSError:
            mtime = None
        if mtime is None or self._seen_mtime != mtime:
            with self._lock:
                if mtime is None or self._seen_mtime != mtime:
                    self._clear()
                    self._seen_mtime = mtime

    def poll_due(self) -> bool:
        """Whether the generation row should be read now (and nobody is reading it)."""
        return not self._polling and time.monotonic() - self._polled >= POLL_S

    def poll(self) -> None:
        """Read the generation row (blocking: run it off the event loop)."""
        with self._lock:
            if self._polling:
                return
            self._polling = True
        try:
            started = time.monotonic()
            generation = read_generation(self.engine)
            with self._lock:
                if generation != self._seen_generation:
                    self._clear()
                    self._seen_generation = generation
                self._polled = started
        finally:
            self._polling = False

    def _bump_marker(self) -> None:
        with self._lock:
            t = max(time.time_ns(), self._last_bump + 1)
            self._last_bump = t
            with contextlib.suppress(OSError):
                os.utime(self.marker, ns=(t, t))

    def _note(self, session: Session, _ctx: Any) -> None:
        if not session.info.get(_FLAG) and changes_access(session):
            record_change(session)

    def _committed(self, session: Session) -> None:
        if session.info.pop(_FLAG, False):
            self._clear()
            self._bump_marker()

    def _rolled_back(self, session: Session) -> None:
        session.info.pop(_FLAG, None)
