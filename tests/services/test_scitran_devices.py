"""Devices in the SciTran tree: what the cache knows about the scanners behind files."""

from __future__ import annotations

from pathlib import Path

from desktop_app.model.image import AbstractImage
from desktop_app.model.project import Project
from desktop_app.model.scitran import (
    Acquisition,
    ContainerFile,
    ContainerType,
    Device,
    FileOriginType,
)
from desktop_app.model.scitran import Session as ScSession
from desktop_app.services.scitran_tree import ScitranTree
from desktop_app.store.engine import open_cache
from desktop_app.store.uow import Store


def _find(nodes: list[dict], kind: str) -> list[dict]:
    out = []
    for n in nodes:
        if n["type"] == kind:
            out.append(n)
        out += _find(n["children"], kind)
    return out


def cache_with_devices(path: Path) -> Store:
    """A session with three acquisitions: one scanned on a device the cache has a row for
    (named by the slide and by a file's origin), one on a device known by its origin
    only, one with a user's file."""
    store = Store(open_cache(path))
    try:
        with store.unit_of_work(undoable=False) as uow:
            s = uow.session
            project = Project(name="Lung")
            s.add(project)
            s.flush()
            session = ScSession(project_pk=project.pk, label="Case 1")
            s.add(session)
            s.flush()
            gt450 = Device(
                label="GT450", model="Leica Aperio GT 450", location="room 2", server_id=7
            )
            s.add(gt450)
            s.flush()
            slide = AbstractImage(filename="a.svs", width=10, height=10, device_pk=gt450.pk)
            s.add(slide)
            s.flush()
            first = Acquisition(session_pk=session.pk, label="H&E")
            second = Acquisition(session_pk=session.pk, label="IHC")
            bare = Acquisition(session_pk=session.pk, label="no device")
            s.add_all([first, second, bare])
            s.flush()

            def file(acq: Acquisition, name: str, **kw: object) -> ContainerFile:
                return ContainerFile(
                    container_type=ContainerType.ACQUISITION, container_pk=acq.pk, name=name, **kw
                )

            s.add_all(
                [
                    # the slide's abstract image points at the device row
                    file(first, "a.svs", abstract_image_pk=slide.pk),
                    # the origin names a device the cache has a row for (by server id)
                    file(first, "a.xml", origin_type=FileOriginType.DEVICE, origin_id="7"),
                    # ... and one it has no row for: id and name only
                    file(
                        second,
                        "b.ndpi",
                        origin_type=FileOriginType.DEVICE,
                        origin_id="nz-1",
                        origin_name="NanoZoomer S360",
                    ),
                    file(bare, "notes.txt", origin_type=FileOriginType.USER, origin_name="alice"),
                ]
            )
    except BaseException:
        store.close()
        raise
    return store


def test_acquisitions_and_sessions_list_their_devices(tmp_path: Path) -> None:
    store = cache_with_devices(tmp_path / "cache.sqlite")
    try:
        nodes = ScitranTree(store).nodes()
    finally:
        store.close()
    acqs = {n["label"]: n for n in _find(nodes, "acquisition")}
    gt = {"id": 7, "label": "GT450", "model": "Leica Aperio GT 450", "location": "room 2"}
    nz = {"id": "nz-1", "label": "NanoZoomer S360", "model": None, "location": None}
    assert acqs["H&E"]["devices"] == [gt]  # two files, one device
    assert acqs["IHC"]["devices"] == [nz]
    assert acqs["no device"]["devices"] == []
    (sess,) = _find(nodes, "session")
    assert sess["devices"] == [gt, nz]
    assert "devices" not in _find(nodes, "project")[0]
