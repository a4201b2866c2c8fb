"""desktop_app.sync: the offline-first sync engine (see docs/sync.md).

What the GUI needs: :class:`SyncEngine` (``run``, ``status``, ``list_conflicts``,
``resolve``), :class:`CytomineClient`, and the credentials helpers for the login dialog.

The names below are loaded on first use (PEP 562): a command that needs one submodule
(``workstation projects`` reads the login through ``transport.login_info``) does not
pay for the engine, the conflict records and the model they import, about 0.4 s of
CPU per process.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: name -> the submodule that defines it
_WHERE = {
    "Choice": "desktop_app.sync.conflicts.kinds",
    "ConflictKind": "desktop_app.sync.conflicts.kinds",
    "ConflictError": "desktop_app.sync.conflicts.records",
    "ConflictInfo": "desktop_app.sync.conflicts.records",
    "list_conflicts": "desktop_app.sync.conflicts.records",
    "can_answer": "desktop_app.sync.conflicts.resolve",
    "resolve": "desktop_app.sync.conflicts.resolve",
    "SyncEngine": "desktop_app.sync.engine",
    "SyncReport": "desktop_app.sync.engine",
    "SyncStatus": "desktop_app.sync.engine",
    "AuthError": "desktop_app.sync.transport.http",
    "ClientError": "desktop_app.sync.transport.http",
    "CytomineClient": "desktop_app.sync.transport.http",
    "MalformedResponse": "desktop_app.sync.transport.http",
    "Offline": "desktop_app.sync.transport.http",
    "ServerError": "desktop_app.sync.transport.http",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)


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
