"""Upload of a locally opened slide, so its image (and what is drawn on it) can sync.

Why it is shaped like this:

* ``POST /upload`` has no idempotency key and no resumable protocol, so "resumable"
  means: the queue row survives (``upload_queue``), and a re-run first *looks for*
  the file on the server (same storage, name and size, then same dimensions, and
  sha256 when the server exposes it) before sending it again.  A lost answer to a
  successful upload therefore never creates a second AbstractImage.
* The ImageInstance is created with the local instance's uid (our server's
  idempotent create), so a retried create cannot duplicate it either.
* Everything the server returns is fetched first; the local rows get their server
  ids in ONE transaction at the end, so a failure leaves nothing half-written.
* A refusal (not a slide, bad name, no rights) is recorded in the queue row's
  ``state`` (``failed:<reason>``) and raised as :class:`UploadError` for the user.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update

from desktop_app.model.annotation import Annotation
from desktop_app.model.base import SyncState
from desktop_app.model.image import AbstractImage, AbstractSlice, ImageInstance, SliceInstance
from desktop_app.model.sync import UploadQueue
from desktop_app.protocol.cytomine.answers_image import (
    ABSTRACT_IMAGE,
    SLICE_INSTANCES,
    UPLOAD,
    AbstractImageJson,
    ImageInstanceJson,
    SliceInstanceJson,
)
from desktop_app.store.uow import Store
from desktop_app.sync.local import dumps, version_of
from desktop_app.sync.slides.upload_server import UploadError as UploadError
from desktop_app.sync.slides.upload_server import default_storage as default_storage
from desktop_app.sync.slides.upload_server import find_existing, instance_in_project
from desktop_app.sync.transport.binary import send
from desktop_app.sync.transport.http import (
    ClientError,
    CytomineClient,
    MalformedResponse,
    Offline,
    parse_as,
)

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
_CHUNK = 1 << 20
_SAVE_EVERY = 16 << 20  # bytes between two progress writes to the queue row


@dataclass(frozen=True, slots=True)
class UploadResult:
    abstract_id: int
    instance_id: int
    slice_id: int | None
    uploaded: bool  # False when the file was already on the server (a re-run)


def _set_state(store: Store, file_uid: str, **values: Any) -> None:
    with store.unit_of_work(undoable=False) as uow:
        uow.session.execute(
            update(UploadQueue).where(UploadQueue.file_uid == file_uid).values(**values)
        )


def _sha256(path: Path, cancel: threading.Event | None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if cancel is not None and cancel.is_set():
                raise Offline("upload cancelled while hashing", maybe_applied=False)
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _MultipartFile:
    """A ``files[]`` multipart body streamed from disk with a known length (so the
    request has a Content-Length, and progress is counted as bytes leave)."""

    def __init__(self, path: Path, name: str, on_read: Callable[[int], None]) -> None:
        self.boundary = uuid.uuid4().hex
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        quoted = name.replace('"', "%22")
        self._head = (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="files[]"; '
            f'filename="{quoted}"\r\nContent-Type: {ctype}\r\n\r\n'
        ).encode()
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._size = path.stat().st_size
        self._fh = path.open("rb")
        self._stage = 0  # 0 head, 1 file, 2 tail, 3 done
        self._on_read = on_read

    def __len__(self) -> int:
        return len(self._head) + self._size + len(self._tail)

    def read(self, n: int = -1) -> bytes:
        n = _CHUNK if n is None or n < 0 else n
        if self._stage == 0:
            self._stage = 1
            return self._head
        if self._stage == 1:
            data = self._fh.read(n)
            if data:
                self._on_read(len(data))
                return data
            self._stage = 2
        if self._stage == 2:
            self._stage = 3
            return self._tail
        return b""

    def close(self) -> None:
        self._fh.close()


def _post_file(
    client: CytomineClient,
    store: Store,
    row: UploadQueue,
    name: str,
    params: dict[str, Any],
    progress: Progress | None,
    cancel: threading.Event | None,
) -> AbstractImageJson:
    """Send the file; returns the uploaded abstract image JSON."""
    sent = {"n": 0, "saved": 0}

    def on_read(n: int) -> None:
        if cancel is not None and cancel.is_set():
            raise Offline("upload cancelled", maybe_applied=False)
        sent["n"] += n
        if progress is not None:
            progress(sent["n"], row.size)
        if sent["n"] - sent["saved"] >= _SAVE_EVERY:
            sent["saved"] = sent["n"]
            _set_state(store, row.file_uid, bytes_sent=sent["n"])

    body = _MultipartFile(Path(row.path), name, on_read)
    try:
        resp = send(
            client,
            "POST",
            "/upload",
            params=params,
            data=body,
            content_type=f"multipart/form-data; boundary={body.boundary}",
            timeout=(client.timeout[0], max(client.timeout[1], 600.0)),
        )
    finally:
        body.close()
    with resp:
        try:
            return parse_as(UPLOAD, resp.json(), "upload answer")[0]["images"][0]["image"]
        except (ValueError, IndexError, MalformedResponse):
            raise UploadError(f"{name}: the server's upload answer is not understood") from None


def _reason(exc: ClientError) -> str:
    text = str(exc).lower()
    if "not a supported slide" in text or "openslide" in text:
        return "failed:not_a_slide"
    return f"failed:refused_{exc.status}"


def upload_local_slide(
    client: CytomineClient,
    store: Store,
    image_pk: int,
    *,
    storage_id: int,
    project_server_id: int,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> UploadResult:
    """Put a locally opened slide on the server and give its rows their server ids.

    Safe to re-run after any failure: an already uploaded file is found again, not sent
    twice.  Raises ``UploadError`` (refused; recorded in the queue), ``Offline``/
    ``ServerError`` (try again later; the queue row stays ``pending``).
    """
    with store.read() as s:
        inst = s.get(ImageInstance, image_pk)
        if inst is None:
            raise UploadError(f"image {image_pk} is not in the local cache")
        a = inst.base_image
        a_uid, a_sid, inst_uid = a.uid, a.server_id, inst.uid
        name = a.original_filename or Path(a.path or "").name or a.filename or ""
        path = Path(a.path) if a.path else None
        dims = (a.width, a.height)
        row = s.get(UploadQueue, a_uid)
    if a_sid is not None and inst.server_id is not None:
        return UploadResult(a_sid, inst.server_id, None, uploaded=False)
    uploaded = False
    if a_sid is None:
        if path is None or not path.is_file():
            raise UploadError(f"{name or image_pk}: the slide file is not on this computer")
        if row is None:
            with store.unit_of_work(undoable=False) as uow:
                row = UploadQueue(
                    file_uid=a_uid,
                    path=str(path),
                    sha256="",
                    size=0,
                    target_entity_pk=image_pk,
                    state="hashing",
                )
                uow.session.add(row)
        sha, size = _sha256(path, cancel)
        _set_state(store, a_uid, path=str(path), sha256=sha, size=size, state="checking")
        row.path, row.sha256, row.size = str(path), sha, size
        try:
            abstract = find_existing(client, storage_id, name, size, sha, dims)
            if abstract is None:
                _set_state(store, a_uid, state="uploading", bytes_sent=0)
                params = {"storage": storage_id, "projects": project_server_id}
                abstract = _post_file(client, store, row, name, params, progress, cancel)
                uploaded = True
        except ClientError as exc:
            _set_state(store, a_uid, state=_reason(exc))
            log.warning("upload of image %s refused: %s", image_pk, exc)
            raise UploadError(f"{name}: the server refused the slide ({exc})") from None
        except BaseException:
            _set_state(store, a_uid, state="pending")
            raise
    else:
        abstract = parse_as(
            ABSTRACT_IMAGE, client.get(f"/api/abstractimage/{a_sid}.json"), "abstract image"
        )
    try:
        instance = instance_in_project(client, abstract["id"], project_server_id, inst_uid)
        slices = client.collection_as(
            SLICE_INSTANCES, f"/api/imageinstance/{instance['id']}/sliceinstance.json", "slices"
        )
    except ClientError as exc:
        if a_sid is None:
            _set_state(store, a_uid, state=f"failed:refused_{exc.status}")
        raise UploadError(f"{name}: the server refused the image ({exc})") from None
    first_slice = slices[0] if slices else None
    _apply(store, image_pk, a_uid, abstract, instance, first_slice)
    return UploadResult(
        abstract["id"], instance["id"], first_slice["id"] if first_slice else None, uploaded
    )


def _synced(row: Any, obj: Mapping[str, Any]) -> None:
    row.server_id = int(obj["id"])
    row.server_updated = version_of(obj)
    row.base_json = dumps(obj)
    row.sync_state = SyncState.SYNCED


def _apply(
    store: Store,
    image_pk: int,
    file_uid: str,
    abstract: AbstractImageJson,
    instance: ImageInstanceJson,
    first_slice: SliceInstanceJson | None,
) -> None:
    """Give the local rows their server ids in one transaction.  A row a checkout made
    meanwhile for the same server image (our upload's answer was lost, and a sync
    pulled it) is folded into ours, so the image is never there twice."""
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        inst = s.get(ImageInstance, image_pk)
        assert inst is not None
        a = s.get(AbstractImage, inst.base_image_pk)
        assert a is not None
        own_slice = s.scalar(
            select(AbstractSlice).where(AbstractSlice.image_pk == a.pk).order_by(AbstractSlice.pk)
        )
        _fold_duplicate(s, a, own_slice, abstract["id"], inst.pk, instance["id"])
        _synced(a, abstract)
        _synced(inst, instance)
        inst.dirty_fields = []
        if first_slice is not None:
            slice_row = s.scalar(
                select(SliceInstance)
                .where(SliceInstance.image_pk == inst.pk)
                .order_by(SliceInstance.pk)
            )
            if slice_row is not None:
                _synced(slice_row, first_slice)
            base_slice = first_slice.get("baseSlice")
            if own_slice is not None and base_slice is not None:
                own_slice.server_id = base_slice
                own_slice.sync_state = SyncState.SYNCED
        s.execute(
            update(UploadQueue)
            .where(UploadQueue.file_uid == file_uid)
            .values(state="done", bytes_sent=UploadQueue.size)
        )


def _fold_duplicate(
    s: Any, a: AbstractImage, own_slice: AbstractSlice | None, a_sid: int, i_pk: int, i_sid: int
) -> None:
    dup_inst = s.scalar(select(ImageInstance).where(ImageInstance.server_id == i_sid))
    if dup_inst is not None and dup_inst.pk != i_pk:
        n = s.scalar(select(func.count()).where(Annotation.image_pk == dup_inst.pk))
        if n:
            raise UploadError(
                "the server image was already checked out with annotations; "
                "open that copy instead of re-uploading"
            )
        s.execute(delete(ImageInstance).where(ImageInstance.pk == dup_inst.pk))
    dup = s.scalar(select(AbstractImage).where(AbstractImage.server_id == a_sid))
    if dup is None or dup.pk == a.pk:
        return
    s.execute(
        update(ImageInstance)
        .where(ImageInstance.base_image_pk == dup.pk)
        .values(base_image_pk=a.pk)
    )
    if own_slice is not None:
        dup_slices = select(AbstractSlice.pk).where(AbstractSlice.image_pk == dup.pk)
        s.execute(
            update(SliceInstance)
            .where(SliceInstance.base_slice_pk.in_(dup_slices))
            .values(base_slice_pk=own_slice.pk)
        )
    s.execute(delete(AbstractImage).where(AbstractImage.pk == dup.pk))


def images_to_upload(store: Store, project_pk: int) -> list[int]:
    """Local image pks of a project that the server does not have yet (the sync engine
    uploads these before pushing, so annotations waiting on them can go)."""
    with store.read() as s:
        return list(
            s.scalars(
                select(ImageInstance.pk).where(
                    ImageInstance.project_pk == project_pk,
                    ImageInstance.server_id.is_(None),
                    ImageInstance.local_deleted.is_(False),
                )
            )
        )
