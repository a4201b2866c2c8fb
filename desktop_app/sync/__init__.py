"""desktop_app.sync: the offline-first sync engine (see docs/sync.md).

What the GUI needs: :class:`SyncEngine` (``run``, ``status``, ``list_conflicts``,
``resolve``), :class:`CytomineClient`, and the credentials helpers for the login dialog.
"""

from desktop_app.sync.conflicts.kinds import Choice, ConflictKind
from desktop_app.sync.conflicts.records import ConflictError, ConflictInfo, list_conflicts
from desktop_app.sync.conflicts.resolve import can_answer, resolve
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
    "Choice",
    "ClientError",
    "ConflictError",
    "ConflictInfo",
    "ConflictKind",
    "CytomineClient",
    "MalformedResponse",
    "Offline",
    "ServerError",
    "SyncEngine",
    "SyncReport",
    "SyncStatus",
    "can_answer",
    "list_conflicts",
    "resolve",
]
