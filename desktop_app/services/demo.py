"""The demo project: a generated slide, an H&E ontology and a few annotations.

``workstation demo`` must work on a fresh machine with no server and no network, so
everything here is generated; it is created once and reused on later runs. What the
demo contains (project name, slide parameters, the ontology, the example shapes) is
data under ``resources/`` (``demo/demo.json`` and ``ontologies/he-default.json``);
this module only turns it into cache rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select

from desktop_app.assets import DEMO_SETTINGS, HE_ONTOLOGY, Resources
from desktop_app.model.annotation import Annotation
from desktop_app.model.ontology import Ontology, Term
from desktop_app.services.ontology import TermSpec, create_ontology
from desktop_app.services.workspace import Workspace
from desktop_app.slide.source import SlideInfo
from desktop_app.store.edits import create_annotation
from desktop_app.store.uow import Store


@dataclass(frozen=True, slots=True)
class ExampleShape:
    """One demo annotation: its term and geometry in fractions of the slide's size."""

    term: str
    kind: str  # "polygon" | "box" | "circle" | "point"
    coords: tuple[float, ...] | tuple[tuple[float, float], ...]

    def geometry(self, width: int, height: int) -> BaseGeometry:
        w, h = width, height
        c: Any = self.coords
        if self.kind == "polygon":
            return Polygon([(x * w, y * h) for x, y in c])
        if self.kind == "box":
            return box(c[0] * w, c[1] * h, c[2] * w, c[3] * h)
        if self.kind == "circle":  # centre x, y and radius, as fractions of w, h, h
            return Point(c[0] * w, c[1] * h).buffer(c[2] * h, 32)
        return Point(c[0] * w, c[1] * h)


@dataclass(frozen=True, slots=True)
class DemoSettings:
    """What ``workstation demo`` creates."""

    project: str
    ontology: str
    terms: tuple[TermSpec, ...]
    slide_file: str
    width: int
    height: int
    mpp: float
    fmt: str
    seed: int
    examples: tuple[ExampleShape, ...]


@dataclass(frozen=True, slots=True)
class Demo:
    image_pk: int
    slide_path: Path


_SHAPE_KINDS = ("polygon", "box", "circle", "point")


def load_demo_settings(resources: Resources | None = None) -> DemoSettings:
    """The demo settings and ontology from the resource files, checked for consistency."""
    res = resources or Resources()
    demo, onto = res.read_json(DEMO_SETTINGS), res.read_json(HE_ONTOLOGY)
    try:
        terms = tuple(TermSpec(t["name"], t["color"], t.get("parent")) for t in onto["terms"])
        slide = demo["slide"]
        examples = tuple(_example(entry) for entry in demo["annotations"])
        settings = DemoSettings(
            project=str(demo["project"]),
            ontology=str(onto["name"]),
            terms=terms,
            slide_file=str(slide["file"]),
            width=int(slide["width"]),
            height=int(slide["height"]),
            mpp=float(slide["mpp"]),
            fmt=str(slide["format"]),
            seed=int(slide["seed"]),
            examples=examples,
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ValueError(
            f"resources {DEMO_SETTINGS} / {HE_ONTOLOGY} are malformed: {exc!r}"
        ) from exc
    names = {t.name for t in terms}
    unknown = sorted({e.term for e in examples} - names)
    if unknown:
        raise ValueError(f"resource {DEMO_SETTINGS} uses terms not in {HE_ONTOLOGY}: {unknown}")
    return settings


def _example(entry: dict[str, Any]) -> ExampleShape:
    kind = next(k for k in _SHAPE_KINDS if k in entry)
    raw = entry[kind]
    coords = (
        tuple((float(x), float(y)) for x, y in raw)
        if kind == "polygon"
        else tuple(float(v) for v in raw)
    )
    return ExampleShape(term=str(entry["term"]), kind=kind, coords=coords)


def ensure_demo(
    store: Store,
    slide_path: Path,
    write_slide: Callable[[Path], object],
    read_info: Callable[[Path], SlideInfo],
    demo: DemoSettings | None = None,
) -> Demo:
    """Create (once) the demo slide, project, ontology and annotations; return the image."""
    settings = demo or load_demo_settings()
    if not slide_path.exists():
        slide_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = slide_path.with_name(slide_path.stem + ".partial" + slide_path.suffix)
        write_slide(tmp)
        tmp.replace(slide_path)  # never leave a half-written demo slide behind
    workspace = Workspace(store)
    user = workspace.local_user()
    with store.read() as s:
        ontology_pk = s.scalar(select(Ontology.pk).where(Ontology.name == settings.ontology))
    if ontology_pk is None:
        ontology_pk = create_ontology(store, settings.ontology, settings.terms, user.pk)
    project = workspace.local_project(settings.project, ontology_pk=ontology_pk)
    info = read_info(slide_path)
    image = workspace.register_slide(slide_path, info, project_pk=project.pk)
    with store.read() as s:
        existing = s.scalar(select(func.count()).where(Annotation.image_pk == image.pk))
        terms = {
            t.name: t.pk for t in s.scalars(select(Term).where(Term.ontology_pk == ontology_pk))
        }
    if not existing:
        _draw_examples(store, image.pk, user.pk, terms, settings.examples, info)
    return Demo(image_pk=image.pk, slide_path=slide_path)


def _draw_examples(
    store: Store,
    image_pk: int,
    user_pk: int,
    terms: dict[str, int],
    examples: Sequence[ExampleShape],
    info: SlideInfo,
) -> None:
    """A handful of annotations of every shape kind, spread over the slide."""
    for example in examples:
        if example.term not in terms:  # a reused ontology of that name may lack it
            continue
        with store.unit_of_work(
            label=f"Draw {example.term}", user_pk=user_pk, scope=f"image:{image_pk}"
        ) as uow:
            create_annotation(
                uow,
                image_pk=image_pk,
                geometry=example.geometry(info.width, info.height),
                user_pk=user_pk,
                term_pks=[terms[example.term]],
            )
