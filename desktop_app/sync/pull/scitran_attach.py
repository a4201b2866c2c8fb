"""Notes and files of the pulled SciTran containers, applied after the containers.

Upserted on ``server_id`` like the containers; a note the user added or edited and has
not pushed yet keeps the local text (the push sends it), and is never removed here.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from desktop_app.model.image import AbstractImage
from desktop_app.model.scitran import ContainerFile, ContainerType, FileOriginType, Note
from desktop_app.model.sync import CommandLog
from desktop_app.sync.local import UNFINISHED
from desktop_app.sync.pull.scitran_bundle import ApplyBase, Json, sid, synced


def apply_notes_and_files(a: ApplyBase) -> None:
    """Notes and files of every applied container; the unlisted ones are removed,
    except notes with unsent edits (their outbox ops must still go out)."""
    busy = set(
        a.s.scalars(
            select(CommandLog.entity_pk).where(
                CommandLog.entity_type == "note", CommandLog.state.in_(UNFINISHED)
            )
        )
    )
    seen_notes: set[int] = set()
    seen_files: set[int] = set()
    for ctype, key in (
        (ContainerType.PROJECT, "projects"),
        (ContainerType.SESSION, "sessions"),
        (ContainerType.ACQUISITION, "acquisitions"),
        (ContainerType.ANALYSIS, "analyses"),
        (ContainerType.COLLECTION, "collections"),
    ):
        for x in getattr(a.bundle, key):
            pk = a.pks[ctype].get(sid(x.get("_id")) or -1)
            if pk is None:
                continue
            for n in x.get("notes") or []:
                seen_notes.add(_note(a, ctype, pk, n, busy))
            for f in x.get("files") or []:
                seen_files.add(_file(a, ctype, pk, f))
    gone = select(Note.pk).where(Note.server_id.is_not(None), Note.pk.not_in(seen_notes))
    a.s.execute(delete(Note).where(Note.pk.in_(gone), Note.pk.not_in(busy)))
    a.s.execute(
        delete(ContainerFile).where(
            ContainerFile.server_id.is_not(None), ContainerFile.pk.not_in(seen_files)
        )
    )


def _note(a: ApplyBase, ctype: ContainerType, pk: int, n: Json, busy: set[int]) -> int:
    row = a.row(Note, n)
    if row is None:
        row = Note(container_type=ctype, container_pk=pk)
        synced(row, n)
        a.s.add(row)
    if row.pk not in busy:  # my unsent edit wins until it is pushed
        row.text = str(n.get("text") or "")
        row.user_pk = a.user(n.get("user"))
        row.container_type, row.container_pk = ctype, pk
    a.s.flush()
    return row.pk


def _file(a: ApplyBase, ctype: ContainerType, pk: int, f: Json) -> int:
    row = a.row(ContainerFile, f)
    if row is None:
        row = ContainerFile(container_type=ctype, container_pk=pk, name=str(f["name"]))
        synced(row, f)
        a.s.add(row)
    origin = f.get("origin") or {}
    row.container_type, row.container_pk, row.name = ctype, pk, str(f.get("name"))
    row.type, row.size, row.hash = f.get("type"), f.get("size"), f.get("hash")
    row.modality = f.get("modality")
    row.measurements = [str(m) for m in f.get("measurements") or []]
    row.tags = [str(t) for t in f.get("tags") or []]
    if isinstance(f.get("info"), dict):
        row.info = f["info"]
    try:
        row.origin_type = FileOriginType(origin["type"]) if origin.get("type") else None
    except ValueError:
        row.origin_type = None
    row.origin_id, row.origin_name = origin.get("id"), origin.get("name")
    row.origin_method = origin.get("method")
    image_sid = sid(f.get("abstractimage"))
    row.abstract_image_pk = (
        None
        if image_sid is None
        else a.s.scalar(select(AbstractImage.pk).where(AbstractImage.server_id == image_sid))
    )
    a.s.flush()
    return row.pk
