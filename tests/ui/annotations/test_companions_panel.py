"""The properties panel shows an annotation's pulled tags and annotation group, offline:
the rows are written by the sync pull's own apply step (``apply_snapshot``) from
server-shaped answers, then the real workbench reads them on its worker."""

from __future__ import annotations

import shapely
from pytestqt.qtbot import QtBot

from desktop_app.model.annotation import Annotation
from desktop_app.model.image import ImageInstance
from desktop_app.protocol.companions import (
    AnnotationGroupJson,
    AnnotationLinkJson,
    TagAssociationJson,
    TagJson,
)
from desktop_app.sync.pull.companions import Snapshot, apply_snapshot
from tests.ui.annotations.conftest import World, wait_idle

CLS = "be.cytomine.domain.ontology.UserAnnotation"


def test_panel_shows_tags_and_group(qtbot: QtBot, world: World) -> None:
    wb = world.wb
    first = world.service.create(shapely.box(100, 100, 200, 200))
    second = world.service.create(shapely.box(300, 300, 400, 400))
    alone = world.service.create(shapely.box(500, 500, 600, 600))
    with world.store.unit_of_work(undoable=False) as uow:
        s = uow.session
        for pk, sid in ((first, 901), (second, 902), (alone, 903)):
            s.get(Annotation, pk).server_id = sid  # type: ignore[union-attr]
        project_pk = s.get(ImageInstance, world.image_pk).project_pk  # type: ignore[union-attr]
        apply_snapshot(
            s,
            project_pk,
            Snapshot(
                groups=[AnnotationGroupJson(id=70, imageGroup=60, type="SAME_OBJECT")],
                links=[
                    AnnotationLinkJson(id=81, annotationIdent=901, group=70),
                    AnnotationLinkJson(id=82, annotationIdent=902, group=70),
                ],
                image_groups={60: "serial"},
                tags=[TagJson(id=50, name="needs-review"), TagJson(id=51, name="mitosis")],
                assocs=[
                    TagAssociationJson(id=40 + t, tag=t, domainClassName=CLS, domainIdent=901)
                    for t in (50, 51)
                ],
            ),
        )
    wait_idle(qtbot, wb)
    props = wb.properties_panel
    wb.selection.set([first])
    wait_idle(qtbot, wb)
    text = props.companions.text()
    assert "Tags: mitosis, needs-review" in text, text
    assert "Group 70 (SAME_OBJECT) with #902" in text, text
    assert not props.companions.isHidden()
    wb.selection.set([alone])
    wait_idle(qtbot, wb)
    assert props.companions.text() == "" and props.companions.isHidden()
    wb.selection.set([second])
    wait_idle(qtbot, wb)
    assert props.companions.text() == "Group 70 (SAME_OBJECT) with #901"
