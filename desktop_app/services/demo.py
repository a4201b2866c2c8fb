"""The demo project: a generated slide, an H&E ontology and a few annotations.

``workstation demo`` must work on a fresh machine with no server and no network, so
everything here is generated; it is created once and reused on later runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import Point, Polygon, box
from sqlalchemy import func, select

from desktop_app.model.annotation import Annotation
from desktop_app.model.ontology import Term
from desktop_app.services.ontology import TermSpec, create_ontology
from desktop_app.services.workspace import Workspace
from desktop_app.slide.source import SlideInfo
from desktop_app.store.edits import create_annotation
from desktop_app.store.uow import Store

DEMO_PROJECT = "Demo project"
DEMO_ONTOLOGY = "H&E demo"
DEMO_TERMS = (
    TermSpec("Tissue", "#9E9E9E"),
    TermSpec("Tumor", "#E53935", parent="Tissue"),
    TermSpec("Stroma", "#8E24AA", parent="Tissue"),
    TermSpec("Necrosis", "#6D4C41", parent="Tissue"),
    TermSpec("Lymphocytes", "#1E88E5"),
    TermSpec("Background", "#43A047"),
)


@dataclass(frozen=True, slots=True)
class Demo:
    image_pk: int
    slide_path: Path


def ensure_demo(
    store: Store,
    slide_path: Path,
    write_slide: Callable[[Path], object],
    read_info: Callable[[Path], SlideInfo],
) -> Demo:
    """Create (once) the demo slide, project, ontology and annotations; return the image."""
    if not slide_path.exists():
        slide_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = slide_path.with_name(slide_path.stem + ".partial" + slide_path.suffix)
        write_slide(tmp)
        tmp.replace(slide_path)  # never leave a half-written demo slide behind
    workspace = Workspace(store)
    user = workspace.local_user()
    with store.read() as s:
        ontology_pk = s.scalar(
            select(Term.ontology_pk).join(Term.ontology).where(Term.name == "Tumor").limit(1)
        )
    if ontology_pk is None:
        ontology_pk = create_ontology(store, DEMO_ONTOLOGY, DEMO_TERMS, user.pk)
    project = workspace.local_project(DEMO_PROJECT, ontology_pk=ontology_pk)
    info = read_info(slide_path)
    image = workspace.register_slide(slide_path, info, project_pk=project.pk)
    with store.read() as s:
        existing = s.scalar(select(func.count()).where(Annotation.image_pk == image.pk))
        terms = {
            t.name: t.pk for t in s.scalars(select(Term).where(Term.ontology_pk == ontology_pk))
        }
    if not existing:
        _draw_examples(store, image.pk, user.pk, terms, info.width, info.height)
    return Demo(image_pk=image.pk, slide_path=slide_path)


def _draw_examples(
    store: Store, image_pk: int, user_pk: int, terms: dict[str, int], width: int, height: int
) -> None:
    """A handful of annotations of every shape kind, spread over the slide."""
    w, h = width, height
    shapes = [
        (
            "Tumor",
            Polygon(
                [
                    (0.30 * w, 0.30 * h),
                    (0.42 * w, 0.26 * h),
                    (0.48 * w, 0.38 * h),
                    (0.40 * w, 0.47 * h),
                    (0.31 * w, 0.42 * h),
                ]
            ),
        ),
        ("Stroma", box(0.55 * w, 0.30 * h, 0.68 * w, 0.42 * h)),
        ("Necrosis", Point(0.36 * w, 0.62 * h).buffer(0.04 * h, 32)),
        ("Lymphocytes", Point(0.60 * w, 0.60 * h)),
        ("Lymphocytes", Point(0.61 * w, 0.61 * h)),
        ("Background", box(0.05 * w, 0.05 * h, 0.15 * w, 0.12 * h)),
    ]
    for term, geom in shapes:
        with store.unit_of_work(
            label=f"Draw {term}", user_pk=user_pk, scope=f"image:{image_pk}"
        ) as uow:
            create_annotation(
                uow, image_pk=image_pk, geometry=geom, user_pk=user_pk, term_pks=[terms[term]]
            )
