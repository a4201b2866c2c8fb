"""ProjectCatalog on a real SQLite cache: counts, reviewed progress, role, offline state."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.model.annotation import (
    Annotation,
    AnnotationKind,
    ReviewedAnnotation,
    UserAnnotation,
)
from desktop_app.model.base import SyncState
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.security import Access, User
from desktop_app.services.offline_state import OfflineState
from desktop_app.services.projects import ProjectCatalog
from desktop_app.store.engine import open_cache
from desktop_app.store.uow import Store

SQUARE = b"\x01\x03\x00\x00\x00"  # never decoded: the catalog only counts


def _ann(project: int, image: int, user: int, **kw: object) -> Annotation:
    cls = ReviewedAnnotation if kw.pop("kind", None) is AnnotationKind.REVIEWED else UserAnnotation
    return cls(
        project_pk=project,
        image_pk=image,
        user_pk=user,
        location=SQUARE,
        geometry_type="Polygon",
        min_x=0.0,
        min_y=0.0,
        max_x=1.0,
        max_y=1.0,
        sync_state=SyncState.SYNCED,
        **kw,
    )


def test_counts_role_offline_and_next_unreviewed(tmp_path: Path) -> None:
    store = Store(open_cache(tmp_path / "cache.sqlite"))
    slide = tmp_path / "local.svs"
    slide.write_bytes(b"not opened by the catalog")
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        me = User(username="me", server_id=7, sync_state=SyncState.LOCAL)
        other = User(username="other", server_id=8)
        p = Project(name="Cases", server_id=42)
        s.add_all([me, other, p])
        s.flush()
        s.add_all(
            [
                ProjectMember(project_pk=p.pk, user_pk=me.pk, access=Access.RO),
                ProjectMember(project_pk=p.pk, user_pk=other.pk, access=Access.ADMIN),
            ]
        )
        images = []
        for n, (name, a_sid, path) in enumerate(
            [("b.svs", 100, None), ("a.svs", 101, str(slide)), ("c.svs", 102, None)]
        ):
            a = AbstractImage(filename=name, width=1000, height=800, server_id=a_sid, path=path)
            s.add(a)
            s.flush()
            inst = ImageInstance(base_image_pk=a.pk, project_pk=p.pk, server_id=500 + n)
            s.add(inst)
            s.flush()
            images.append(inst.pk)
        b, a_img, c = images
        first = _ann(p.pk, b, me.pk)
        s.add_all([first, _ann(p.pk, b, me.pk), _ann(p.pk, c, me.pk)])
        s.add(_ann(p.pk, a_img, me.pk, local_deleted=True))  # a tombstone: not counted
        s.flush()
        s.add(_ann(p.pk, b, other.pk, kind=AnnotationKind.REVIEWED, parent_pk=first.pk))
        project_pk = p.pk
    # tiles of image c (abstract 102) downloaded down to level 2 (40x / 4 = 10x)
    pin = tmp_path / "tiles" / "127.0.0.1_8080-a102"
    pin.mkdir(parents=True)
    (pin / "offline.json").write_text(json.dumps({"finest_level": 2, "complete": True}))
    with store.unit_of_work(undoable=False) as uow:
        uow.session.get(AbstractImage, 3).magnification = 40  # type: ignore[union-attr]

    catalog = ProjectCatalog(store, tmp_path / "tiles")
    [row] = catalog.projects(me_server_id=7)
    assert (row.images, row.annotations, row.reviewed, row.members) == (3, 3, 1, 2)
    assert row.role == "ro" and row.offline == 2 and row.server_id == 42
    assert catalog.projects(me_server_id=8)[0].role == "admin"
    by_name = {r.name: r for r in catalog.images(project_pk)}
    assert by_name["a.svs"].offline is OfflineState.FILE and by_name["a.svs"].annotations == 0
    assert by_name["b.svs"].offline is OfflineState.STREAMED
    assert (by_name["b.svs"].annotations, by_name["b.svs"].reviewed) == (2, 1)
    assert by_name["c.svs"].offline is OfflineState.TILES
    assert by_name["c.svs"].offline_label == "tiles to 10x"
    slide.unlink()  # the file went away: the image is streamed again, not "offline"
    assert catalog.image(a_img).offline is OfflineState.STREAMED  # type: ignore[union-attr]
    # next unreviewed follows the browser's order (by name): a (none), b (1 of 2), c (0 of 1)
    assert catalog.next_unreviewed(project_pk, None) == b
    assert catalog.next_unreviewed(project_pk, b) == c
    assert catalog.next_unreviewed(project_pk, c) == b
    assert catalog.find_project("42") == project_pk
    assert catalog.find_project(f"local:{project_pk}") == project_pk
    assert catalog.find_project("Cases") == project_pk
    assert catalog.find_project("nope") is None
    store.close()
