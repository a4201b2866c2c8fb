"""Server restore detection (sync-design 5.5 step 5): a server rolled back to a backup.

After each pull the cache remembers, per project, the server's ``serverID`` (``/server/ping``)
and a fingerprint of the feed row at its cursor (seq, entity, id, action, updated).  At the
next pull the same row is read again (one ``changes.json?since=cursor-1&max=1`` call).  If
the serverID changed, or the row at our cursor is gone or different, the server is not the
one we synced with: its feed restarted below our cursor, and ids may be reused.

Then every annotation the server had acknowledged to us is checked by uid against a full
listing.  The ones missing are *lost*: their ``server_id`` is cleared at once (a reused id
must not make a pull overwrite them), the rows stay (never deleted), and ONE conflict
``server_restore`` says "the server lost N of your synced changes" (its answers are in
``conflicts.restore``).  The cursor goes
back to 0 so the pull re-reads the restored server completely.
"""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.model.annotation import Annotation, AnnotationKind, AnnotationTerm
from desktop_app.model.base import SyncState
from desktop_app.model.sync import SyncConflict, SyncCursor
from desktop_app.protocol.sync_ext import BulkPage, ChangesPage
from desktop_app.store.uow import Store
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.local import dumps
from desktop_app.sync.transport.http import CytomineClient, parse_answer


def fingerprint(client: CytomineClient, project_sid: int, cursor: int) -> str:
    """Identity of the feed row at ``cursor`` ('' when the feed has no such row)."""
    if cursor <= 0:
        return ""
    page = parse_answer(
        ChangesPage,
        client.get(f"/api/project/{project_sid}/changes.json", since=cursor - 1, max=1),
        "changes page",
    )
    if not page.changes or page.changes[0].seq != cursor:
        return "missing"
    r = page.changes[0]
    return f"{r.seq}:{r.entity}:{r.id}:{r.action}:{r.updated}"


def identity(server_id: str, fp: str) -> str:
    return f"{server_id}|{fp}"[:255]


def stored(store: Store, project_pk: int) -> tuple[int, str | None]:
    with store.read() as s:
        row = s.get(SyncCursor, project_pk)
        if row is None:
            return 0, None
        return int(row.feed_cursor or 0), row.server_identity


def remember(store: Store, project_pk: int, value: str) -> None:
    with store.unit_of_work(undoable=False) as uow:
        row = uow.session.get(SyncCursor, project_pk)
        if row is not None:
            row.server_identity = value


def _server_uids(client: CytomineClient, project_sid: int) -> set[str]:
    uids: set[str] = set()
    since = 0
    while True:
        page = parse_answer(
            BulkPage,
            client.get(f"/api/project/{project_sid}/annotations/bulk.json", since=since, max=5000),
            "pull page",
        )
        uids.update(str(r.get("uid")) for r in page.annotations)
        cursor = page.cursor
        if not page.hasMore or cursor <= since:
            return uids
        since = cursor


def handle_restore(store: Store, client: CytomineClient, project_pk: int, project_sid: int) -> int:
    """The server was restored: find the acked annotations it lost; returns how many."""
    present = _server_uids(client, project_sid)
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        lost = [
            a
            for a in s.scalars(
                select(Annotation).where(
                    Annotation.project_pk == project_pk,
                    Annotation.server_id.is_not(None),
                    Annotation.kind != AnnotationKind.REVIEWED,
                    Annotation.local_deleted.is_(False),
                )
            )
            if a.uid not in present
        ]
        for a in lost:  # ids may be reused by the restored server: forget ours now
            a.server_id, a.server_updated, a.base_json = None, None, None
            a.sync_state = SyncState.CONFLICT
            for link in s.scalars(
                select(AnnotationTerm).where(AnnotationTerm.annotation_pk == a.pk)
            ):
                link.base_json, link.server_id = None, None
        row = s.get(SyncCursor, project_pk)
        if row is not None:
            row.feed_cursor, row.server_identity = None, None
        if lost:
            n = len(lost)
            s.add(
                SyncConflict(
                    entity_type="project",
                    entity_pk=project_pk,
                    kind=ConflictKind.SERVER_RESTORE,
                    base_json="{}",
                    local_json=dumps(
                        {
                            "annotations": [a.pk for a in lost],
                            "message": f"the server lost {n} of your synced changes "
                            "(it was restored from a backup); mine = send them again",
                        }
                    ),
                    server_json=dumps({"missing": n}),
                )
            )
        return len(lost)


__all__ = ["fingerprint", "handle_restore", "identity", "remember"]
