"""A real cache file (SQLite, WAL) with a project, an ontology and one image (``scene``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.services.ontology import TermSpec, create_ontology
from desktop_app.services.workspace import Workspace
from desktop_app.slide.source import SlideInfo
from desktop_app.store.engine import open_cache
from desktop_app.store.uow import Store

INFO = SlideInfo(
    width=100_000,
    height=80_000,
    level_dimensions=((100_000, 80_000),),
    level_downsamples=(1.0,),
    mpp_x=0.25,
    mpp_y=0.25,
    objective_power=40.0,
    vendor="aperio",
    associated_images=(),
)


@dataclass
class Scene:
    store: Store
    path: Path
    user_pk: int
    project_pk: int
    image_pk: int
    terms: dict[str, int]


def build_scene(path: Path, slide_file: Path) -> Scene:
    store = Store(open_cache(path))
    ws = Workspace(store)
    user = ws.local_user()
    ontology = create_ontology(
        store,
        "Test ontology",
        [
            TermSpec("Tissue", "#999999"),
            TermSpec("Tumor", "#ff0000", parent="Tissue"),
            TermSpec("Stroma", "#00ff00", parent="Tissue"),
        ],
        user.pk,
    )
    project = ws.local_project("P", ontology_pk=ontology)
    image = ws.register_slide(slide_file, INFO, project_pk=project.pk)
    from desktop_app.services.ontology import term_tree

    terms = {t.name: t.pk for t in term_tree(store, ontology)}
    return Scene(store, path, user.pk, project.pk, image.pk, terms)
