"""desktop_app.sync: the offline-first sync engine (see docs/sync.md).

What the GUI needs: :class:`SyncEngine` (``run``, ``status``, ``list_conflicts``,
``resolve``), :class:`CytomineClient`, and the credentials helpers for the login dialog.
"""

from desktop_app.sync.conflicts.records import ConflictError, ConflictInfo, list_conflicts, resolve
from desktop_app.sync.engine import SyncEngine, SyncReport, SyncStatus
from desktop_app.sync.transport.http import (
    AuthError,
    ClientError,
    CytomineClient,
    MalformedResponse,
    Offline,
    ServerError,
)

__all__ = [
    "AuthError",
    "ClientError",
    "ConflictError",
    "ConflictInfo",
    "CytomineClient",
    "MalformedResponse",
    "Offline",
    "ServerError",
    "SyncEngine",
    "SyncReport",
    "SyncStatus",
    "list_conflicts",
    "resolve",
]
