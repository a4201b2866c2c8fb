"""Upload of locally opened slides: one server image however often it runs, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.model.base import SyncState
from desktop_app.model.image import AbstractImage, AbstractSlice, ImageInstance, SliceInstance
from desktop_app.model.sync import UploadQueue
from desktop_app.services.workspace import Workspace
from desktop_app.slide.openslide_source import open_slide
from desktop_app.slide.source import SlideInfo
from desktop_app.slide.synth import write_slide
from desktop_app.store.uow import Store
from desktop_app.sync.slides.sources import (
    UploadError,
    default_storage,
    images_to_upload,
    upload_local_slide,
)
from desktop_app.sync.transport.http import Offline
from tests.sync.proxy import FaultProxy
from tests.sync_slides.conftest import World, make_client


def _register(store: Store, path: Path, info: SlideInfo | None = None) -> int:
    if info is None:
        with open_slide(path) as s:
            info = s.info
    ws = Workspace(store)
    project = ws.local_project()
    return ws.register_slide(path, info, project_pk=project.pk).pk


def _server_images(world: World, name: str) -> tuple[list[dict], list[dict]]:
    a = world.server.client("alice")
    abstracts = [
        i
        for i in a.get("/api/abstractimage.json").json()["collection"]
        if i["originalFilename"] == name
    ]
    ids = {i["id"] for i in abstracts}
    instances = [
        i
        for i in a.get(f"/api/project/{world.project}/imageinstance.json").json()["collection"]
        if i["baseImage"] in ids
    ]
    return abstracts, instances


def _local(store: Store, pk: int) -> tuple[ImageInstance, AbstractImage, list, list]:
    with store.read() as s:
        inst = s.get(ImageInstance, pk)
        a = s.get(AbstractImage, inst.base_image_pk)
        slices = list(s.scalars(select(SliceInstance).where(SliceInstance.image_pk == pk)))
        aslices = list(s.scalars(select(AbstractSlice).where(AbstractSlice.image_pk == a.pk)))
        return inst, a, slices, aslices


def test_upload_twice_creates_one_image(store: Store, world: World, tmp_path: Path) -> None:
    path = write_slide(tmp_path / "local-a.svs", 700, 500, seed=11)
    pk = _register(store, path)
    client = make_client(world)
    client.current_user()
    assert default_storage(client) == world.storage
    project_pk = _local(store, pk)[0].project_pk
    assert images_to_upload(store, project_pk) == [pk]
    kw = {"storage_id": world.storage, "project_server_id": world.project}
    sent: list[int] = []
    first = upload_local_slide(client, store, pk, progress=lambda d, t: sent.append(d), **kw)
    assert first.uploaded and sent[-1] == path.stat().st_size
    assert images_to_upload(store, project_pk) == []
    inst, a, slices, aslices = _local(store, pk)
    assert (a.server_id, inst.server_id) == (first.abstract_id, first.instance_id)
    assert slices[0].server_id == first.slice_id and aslices[0].server_id is not None
    assert inst.sync_state == SyncState.SYNCED
    with store.read() as s:
        row = s.get(UploadQueue, a.uid)
        assert (row.state, row.bytes_sent, row.size) == ("done", row.size, path.stat().st_size)
    second = upload_local_slide(client, store, pk, **kw)  # already done: nothing sent
    assert not second.uploaded and second.instance_id == first.instance_id
    # the answer was lost (local ids never recorded): a re-run finds, not re-uploads
    with store.unit_of_work(undoable=False) as uow:
        for cls in (AbstractImage, ImageInstance, SliceInstance, AbstractSlice):
            for row in uow.session.scalars(select(cls)):
                row.server_id = None
    third = upload_local_slide(client, store, pk, **kw)
    assert not third.uploaded
    assert (third.abstract_id, third.instance_id) == (first.abstract_id, first.instance_id)
    abstracts, instances = _server_images(world, "local-a.svs")
    assert len(abstracts) == 1 and len(instances) == 1


def test_lost_upload_answer_does_not_duplicate(
    store: Store, world: World, tmp_path: Path, proxy: FaultProxy
) -> None:
    path = write_slide(tmp_path / "local-b.svs", 600, 400, seed=12)
    pk = _register(store, path)
    kw = {"storage_id": world.storage, "project_server_id": world.project}
    proxy.cut_on = b"POST /upload"  # the server stores the file; its answer never arrives
    with pytest.raises(Offline):
        upload_local_slide(make_client(world, proxy.base), store, pk, **kw)
    assert proxy.cut == 1
    inst, a, _, _ = _local(store, pk)
    assert a.server_id is None and inst.server_id is None
    with store.read() as s:
        assert s.get(UploadQueue, a.uid).state == "pending"
    proxy.heal()
    result = upload_local_slide(make_client(world, proxy.base), store, pk, **kw)
    assert not result.uploaded
    abstracts, instances = _server_images(world, "local-b.svs")
    assert [i["id"] for i in abstracts] == [result.abstract_id]
    assert [i["id"] for i in instances] == [result.instance_id]
    assert _local(store, pk)[0].server_id == result.instance_id


def test_non_slide_is_refused_cleanly(store: Store, world: World, tmp_path: Path) -> None:
    path = tmp_path / "notes.svs"
    path.write_bytes(b"this is not a slide\n" * 500)
    info = SlideInfo(100, 100, ((100, 100),), (1.0,), None, None, None, None, ())
    pk = _register(store, path, info)
    before = _local(store, pk)
    with pytest.raises(UploadError, match="notes.svs"):
        upload_local_slide(
            make_client(world), store, pk, storage_id=world.storage, project_server_id=world.project
        )
    inst, a, slices, aslices = _local(store, pk)
    assert (a.server_id, inst.server_id, slices[0].server_id, aslices[0].server_id) == (
        None,
        None,
        None,
        None,
    )
    assert (inst.sync_state, a.sync_state) == (before[0].sync_state, before[1].sync_state)
    with store.read() as s:
        assert s.get(UploadQueue, a.uid).state == "failed:not_a_slide"
    assert _server_images(world, "notes.svs") == ([], [])
