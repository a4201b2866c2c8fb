"""Term tree edits: one undoable action each, refusals as EditError, JSON round trip."""

from __future__ import annotations

import pytest
import shapely

from desktop_app.services.annotations import AnnotationService
from desktop_app.services.ontology import term_tree
from desktop_app.services.ontology_edit import (
    can_edit_ontology,
    create_term,
    delete_term,
    export_ontology,
    import_ontology,
    recolor_term,
    rename_ontology,
    rename_term,
    reparent_term,
    resolve_ontology,
    scope,
)
from desktop_app.store.edits import EditError
from desktop_app.store.history import History
from tests.scene import Scene


def _tree(scene: Scene, ontology: int) -> dict[str, tuple[str, str | None]]:
    nodes = term_tree(scene.store, ontology)
    names = {n.pk: n.name for n in nodes}
    return {n.name: (n.color, names.get(n.parent_pk)) for n in nodes}


def _ontology(scene: Scene) -> int:
    return resolve_ontology(scene.store, scene.project_pk, scene.user_pk)


def test_create_rename_recolor_reparent_delete_and_undo(scene: Scene) -> None:
    onto = _ontology(scene)
    u = scene.user_pk
    assert can_edit_ontology(scene.store, scene.project_pk, u)
    necrosis = create_term(scene.store, onto, "Necrosis", "#123456", user_pk=u, parent_pk=None)
    assert _tree(scene, onto)["Necrosis"] == ("#123456", None)
    rename_term(scene.store, necrosis, "Necrotic", user_pk=u)
    recolor_term(scene.store, necrosis, "#abcdef", user_pk=u)
    reparent_term(scene.store, necrosis, scene.terms["Tumor"], user_pk=u)
    assert _tree(scene, onto)["Necrotic"] == ("#ABCDEF", "Tumor")
    history = History(scene.store, scope(onto))
    assert history.undo() == "Move term"
    assert _tree(scene, onto)["Necrotic"] == ("#ABCDEF", None)
    assert history.undo() == "Change term colour"
    assert history.undo() == "Rename term Necrotic"
    assert _tree(scene, onto)["Necrosis"] == ("#123456", None)
    history.redo()
    delete_term(scene.store, necrosis, user_pk=u)
    assert "Necrotic" not in _tree(scene, onto)
    history.undo()
    assert "Necrotic" in _tree(scene, onto)
    # a deleted name can be created again
    delete_term(scene.store, necrosis, user_pk=u)
    again = create_term(scene.store, onto, "Necrotic", "#000000", user_pk=u)
    assert again == necrosis and _tree(scene, onto)["Necrotic"] == ("#000000", None)


def test_refusals(scene: Scene) -> None:
    onto = _ontology(scene)
    u = scene.user_pk
    with pytest.raises(EditError, match="already has a term"):
        create_term(scene.store, onto, "tumor", "#ff0000", user_pk=u)
    with pytest.raises(EditError, match="#RRGGBB"):
        create_term(scene.store, onto, "X", "red", user_pk=u)
    with pytest.raises(EditError, match="under itself"):
        reparent_term(scene.store, scene.terms["Tissue"], scene.terms["Tumor"], user_pk=u)
    with pytest.raises(EditError, match="children"):
        delete_term(scene.store, scene.terms["Tissue"], user_pk=u)
    service = AnnotationService(scene.store, scene.image_pk, u)
    service.create(shapely.box(0, 0, 5, 5), [scene.terms["Stroma"]])
    with pytest.raises(EditError, match="used by 1"):
        delete_term(scene.store, scene.terms["Stroma"], user_pk=u)


def test_json_round_trip_merges_by_name(scene: Scene) -> None:
    onto = _ontology(scene)
    data = export_ontology(scene.store, onto)
    assert [t["name"] for t in data["terms"]] == ["Tissue", "Stroma", "Tumor"]
    data["terms"].append({"name": "Immune", "color": "#0000ff", "parent": "Tissue"})
    data["terms"][1]["color"] = "#111111"
    report = import_ontology(scene.store, onto, data, user_pk=scene.user_pk)
    assert report.created == ["Immune"] and report.updated == ["Stroma"]
    tree = _tree(scene, onto)
    assert tree["Immune"] == ("#0000FF", "Tissue") and tree["Stroma"][0] == "#111111"
    with pytest.raises(EditError, match="cycle"):
        import_ontology(
            scene.store,
            onto,
            {"terms": [{"name": "A", "parent": "B"}, {"name": "B", "parent": "A"}]},
            user_pk=scene.user_pk,
        )
    with pytest.raises(EditError, match="Not an ontology"):
        import_ontology(scene.store, onto, [1, 2], user_pk=scene.user_pk)


def test_rename_ontology_undo_and_refusals(scene: Scene) -> None:
    from desktop_app.model.ontology import Ontology
    from desktop_app.model.sync import CommandLog, OpKind

    onto = _ontology(scene)
    u = scene.user_pk

    def name() -> str:
        with scene.store.read() as s:
            row = s.get(Ontology, onto)
            assert row is not None
            return row.name

    before = name()
    rename_ontology(scene.store, onto, "  H&E v2 ", user_pk=u)
    assert name() == "H&E v2"
    with scene.store.read() as s:
        op = s.query(CommandLog).filter(CommandLog.entity_type == "ontology").all()[-1]
        assert op.kind is OpKind.UPDATE and op.payload == {"name": "H&E v2"}
    assert History(scene.store, scope(onto)).undo() == "Rename ontology H&E v2"
    assert name() == before
    with pytest.raises(EditError, match="needs a name"):
        rename_ontology(scene.store, onto, "   ", user_pk=u)
    with scene.store.unit_of_work(undoable=False) as uow:
        uow.session.add(Ontology(name="Taken", user_pk=u))
    with pytest.raises(EditError, match="already an ontology named"):
        rename_ontology(scene.store, onto, "Taken", user_pk=u)
