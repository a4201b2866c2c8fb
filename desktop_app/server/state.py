"""What one server instance remembers between requests, owned by its app.

``create_app`` builds one ``ServerState`` and hangs it on ``app.state.server``; every
session the app makes carries it in ``Session.info`` (``state_of``), as the secret
rides there (``secret.secret_of``).  Nothing lives in module globals, so two apps in
one process (tests: a SQLite and a PostgreSQL server) share no cache and no
invalidation.

Access decisions (who a key is, "may read this project", "may read this image's
tiles") are ``AccessMemo`` TTL caches emptied by the app's ``AccessWatch`` whenever
a change to users, roles, memberships or projects commits (``access_cache``).  The
feed-backed caches (annotation counts, the bbox index) need no invalidation: each
use replays the change feed first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from cachetools import TTLCache
from sqlalchemy.orm import Session

from desktop_app.server.spatial_cache import SpatialIndex

#: The key of the ``ServerState`` in every server session's ``info``.
STATE_KEY = "server_state"
#: Seconds an access decision (identity, project grant, tile access) is trusted
#: without asking the database, when no invalidation reached this process.
ACCESS_TTL_S = 5.0

V = TypeVar("V")


class AccessMemo(Generic[V]):
    """A thread-safe TTL cache of granted access, safe against a racing invalidation.

    A value computed from the database must not outlive an invalidation that happened
    while it was being computed (it may describe the rows before the change).  So a
    loader reads ``epoch`` before its queries and ``put`` drops the value if a
    ``clear`` came in between.
    """

    def __init__(self, maxsize: int, ttl: float = ACCESS_TTL_S) -> None:
        self._cache: TTLCache[Hashable, V] = TTLCache(maxsize=maxsize, ttl=ttl)
        self._lock = threading.Lock()
        self.ttl = ttl
        self.epoch = 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            return self._cache.get(key)

    def put(self, key: Hashable, value: V, epoch: int) -> None:
        with self._lock:
            if epoch == self.epoch:
                self._cache[key] = value

    def pop(self, key: Hashable) -> None:
        with self._lock:
            self._cache.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self.epoch += 1
            self._cache.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._cache)


class ServerState:
    """The caches of one app (one worker process of one server)."""

    def __init__(self) -> None:
        #: public key -> ``auth._Identity``
        self.identities: AccessMemo[Any] = AccessMemo(maxsize=10_000)
        #: (project, level, caller...) -> True, granted project rights (``rights_cache``)
        self.grants: AccessMemo[bool] = AccessMemo(maxsize=50_000)
        #: (kind, pk, caller...) -> (abstract pk, file, width, height, tag) (``routes.tiles``)
        self.tile_access: AccessMemo[tuple[int, str, int, int, str]] = AccessMemo(maxsize=50_000)
        #: project pk -> (feed seq, loaded at, {kind: count}) (``counts``)
        self.counts: dict[int, tuple[int, float, dict[Any, int]]] = {}
        self.counts_lock = threading.Lock()
        #: (image, kind) -> bbox columns (``spatial_cache``)
        self.spatial = SpatialIndex()
        #: does this database have the SQLite R*Tree (``listing``)
        self.rtree: bool | None = None
        #: (groups, kind) -> the page-rows statement (``serial_listing``)
        self.page_statements: dict[Hashable, Any] = {}
        self._clearers: list[Callable[[], None]] = [
            self.identities.clear,
            self.grants.clear,
            self.tile_access.clear,
        ]

    def clear_access(self) -> None:
        """Forget every access decision (a change to who may read what committed)."""
        for clear in self._clearers:
            clear()


def state_of(db: Session) -> ServerState:
    """The state of the app this session belongs to (``app.create_app``)."""
    state = db.info.get(STATE_KEY)
    if not isinstance(state, ServerState):
        raise RuntimeError("this session was not made by a server app (no state in its info)")
    return state
