"""What a conflict can be about, and what the user can answer (sync-design 5.7).

Both are ``StrEnum``: the kind is stored as its value in ``sync_conflict.kind`` and the
choice in ``sync_conflict.resolution``, so rows written by earlier versions read back
unchanged.  ``conflicts.resolve.HANDLERS`` holds one handler per (kind, choice).
"""

from __future__ import annotations

from enum import StrEnum


class ConflictKind(StrEnum):
    #: Both sides moved the polygon; the row holds theirs, the record holds mine.
    GEOMETRY = "geometry"
    #: I deleted it, the server changed it; the row is back (theirs).
    DELETE_VS_EDIT = "delete_vs_edit"
    #: The server deleted what I edited; the row (``orphaned``) keeps mine.
    EDIT_VS_DELETE = "edit_vs_delete"
    #: Someone reviewed the annotation first (the first review stands).
    REVIEW = "review"
    #: The server refused the op (400), or refused a slide upload.
    FAILED = "failed"
    #: A description's text changed on both sides; the row shows theirs.
    DESCRIPTION = "description"
    #: The server was restored from a backup and lost synced annotations.
    SERVER_RESTORE = "server_restore"


class Choice(StrEnum):
    MINE = "mine"
    THEIRS = "theirs"
    BOTH = "both"
