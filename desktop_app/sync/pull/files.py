"""Fetching the bytes of attached files pulled from the server, into the data dir.

A pulled file record has ``path`` NULL until its bytes are on disk.  Each file is
downloaded to ``…/<name>.part`` and renamed into place, then its ``path`` is set in a
small transaction — so an interrupted sync leaves either no file or a whole one, and
the next run fetches what is still missing.  Network errors stop the run (nothing is
lost); a file deleted on the server meanwhile (404) is skipped (the next pull removes
its record).
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select

from desktop_app.model.attachment import AttachedFile
from desktop_app.store import attached_files as files
from desktop_app.store.uow import Store
from desktop_app.sync.transport.binary import send
from desktop_app.sync.transport.http import ClientError, CytomineClient


def missing(store: Store) -> list[tuple[int, int, str, str]]:
    """(pk, server id, uid, filename) of server files whose bytes are not here yet."""
    with store.read() as s:
        rows = s.execute(
            select(
                AttachedFile.pk, AttachedFile.server_id, AttachedFile.uid, AttachedFile.filename
            ).where(
                AttachedFile.server_id.is_not(None),
                AttachedFile.path.is_(None),
                AttachedFile.local_deleted.is_(False),
            )
        )
        return [
            (int(pk), sid, str(uid), str(name))
            for pk, sid, uid, name in rows
            if sid is not None  # (filtered in SQL)
        ]


def download_missing(
    store: Store, client: CytomineClient, cancel: threading.Event | None = None
) -> int:
    """Download every missing file; returns how many arrived."""
    got = 0
    for pk, sid, uid, name in missing(store):
        if cancel is not None and cancel.is_set():
            break
        rel = files.relative_path(uid, name)
        dest = files.absolute(store, rel)
        try:
            size = _fetch(client, sid, dest)
        except ClientError as exc:
            if exc.status in (403, 404):
                continue
            raise
        with store.unit_of_work(undoable=False) as uow:
            f = uow.session.get(AttachedFile, pk)
            if f is None or f.server_id != sid:
                dest.unlink(missing_ok=True)
                continue
            f.path, f.size = rel, size
        got += 1
    return got


def _fetch(client: CytomineClient, sid: int, dest: Path) -> int:
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    size = 0
    resp = send(client, "GET", f"/api/attachedfile/{sid}/download", stream=True)
    with resp, open(part, "wb") as out:
        for chunk in resp.iter_content(1 << 16):
            out.write(chunk)
            size += len(chunk)
    part.replace(dest)
    return size
