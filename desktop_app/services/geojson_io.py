"""GeoJSON import/export in QuPath's dialect, so work moves both ways between the tools.

Import is one undoable action (one transaction): classes missing from the project's
ontology become new terms (or are mapped onto existing ones when the user says so), and
the annotations go in through the cache's bulk path.  Export writes what QuPath 0.4+
reads: ``objectType`` and ``classification`` {name, color}.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from sqlalchemy import select

from desktop_app.core.geojson import (
    FeatureError,
    GeoFeature,
    OnError,
    parse_feature_collection,
    to_feature_collection,
)
from desktop_app.model.annotation import Annotation, AnnotationTerm
from desktop_app.model.image import ImageInstance
from desktop_app.model.ontology import Ontology, Term
from desktop_app.model.project import Project
from desktop_app.model.sync import OpKind
from desktop_app.store.annotations import bulk_create
from desktop_app.store.uow import Store, UnitOfWork

#: Colour of a term created for a QuPath class that carried none.
DEFAULT_COLOR = "#FFC107"


@dataclass
class ImportReport:
    imported: int = 0
    created_terms: list[str] = field(default_factory=list)
    skipped: list[FeatureError] = field(default_factory=list)
    repaired: int = 0


def rgb_to_hex(rgb: tuple[int, int, int] | None) -> str:
    return DEFAULT_COLOR if rgb is None else "#{:02X}{:02X}{:02X}".format(*rgb)


def hex_to_rgb(color: str) -> tuple[int, int, int] | None:
    text = color.lstrip("#")
    if len(text) != 6:
        return None
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        return None


def load_geojson(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read GeoJSON from {path}: {exc}") from exc


def import_features(
    store: Store,
    image_pk: int,
    data: Any,
    *,
    user_pk: int,
    term_map: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
) -> ImportReport:
    """Import a FeatureCollection onto an image; everything or nothing (one action)."""
    report = ImportReport()
    policy = OnError.SKIP if skip_invalid else OnError.RAISE
    features = parse_feature_collection(data, on_error=policy, errors=report.skipped)
    report.repaired = sum(f.repaired for f in features)
    label = f"Import {len(features)} annotations"
    with store.unit_of_work(label=label, user_pk=user_pk, scope=f"image:{image_pk}") as uow:
        image = uow.session.get(ImageInstance, image_pk)
        if image is None:
            raise ValueError(f"unknown image {image_pk}")
        terms = _terms_for(uow, image.project_pk, features, term_map or {}, report, user_pk)
        term_lists = [[terms[f.class_name]] if f.class_name else [] for f in features]
        report.imported = bulk_create(
            uow,
            project_pk=image.project_pk,
            image_pk=image_pk,
            user_pk=user_pk,
            geometries=[f.geometry for f in features],
            term_pks=term_lists,
        )
    return report


def _terms_for(
    uow: UnitOfWork,
    project_pk: int,
    features: list[GeoFeature],
    term_map: Mapping[str, str],
    report: ImportReport,
    user_pk: int,
) -> dict[str, int]:
    """Class name → term pk, creating the project's ontology and missing terms as needed."""
    project = uow.session.get(Project, project_pk)
    assert project is not None
    if project.ontology_pk is None:
        ontology = Ontology(name=f"{project.name} ontology", user_pk=user_pk)
        uow.session.add(ontology)
        uow.session.flush()
        uow.log(OpKind.CREATE, ontology)
        project.ontology_pk = ontology.pk
    existing = {
        t.name: t
        for t in uow.session.scalars(
            select(Term).where(
                Term.ontology_pk == project.ontology_pk, Term.local_deleted.is_(False)
            )
        )
    }
    out: dict[str, int] = {}
    colors = {f.class_name: f.color for f in features if f.class_name}
    for name, color in colors.items():
        target = term_map.get(name, name)
        term = existing.get(target)
        if term is None:
            if name in term_map:
                raise ValueError(f"cannot map class {name!r}: no term {target!r} in the ontology")
            term = Term(name=target, color=rgb_to_hex(color), ontology_pk=project.ontology_pk)
            uow.session.add(term)
            uow.session.flush()
            uow.log(OpKind.CREATE, term)
            existing[target] = term
            report.created_terms.append(target)
        out[name] = term.pk
    return out


def export_features(store: Store, image_pk: int) -> dict[str, Any]:
    """The image's live annotations as a QuPath FeatureCollection (first term = class)."""
    with store.read() as s:
        rows = s.execute(
            select(Annotation.pk, Annotation.uid, Annotation.location)
            .where(Annotation.image_pk == image_pk, Annotation.local_deleted.is_(False))
            .order_by(Annotation.pk)
        ).all()
        links = s.execute(
            select(AnnotationTerm.annotation_pk, Term.name, Term.color)
            .join(Term, Term.pk == AnnotationTerm.term_pk)
            .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
            .where(Annotation.image_pk == image_pk, AnnotationTerm.local_deleted.is_(False))
            .order_by(AnnotationTerm.pk)
        ).all()
    classes: dict[int, tuple[str, str]] = {}
    for ann_pk, name, color in links:
        classes.setdefault(ann_pk, (name, color))
    geoms = shapely.from_wkb([r.location for r in rows]) if rows else []
    features = []
    for row, geom in zip(rows, geoms, strict=True):
        name, color = classes.get(row.pk, (None, None))
        features.append(
            GeoFeature(
                geometry=geom,
                uid=row.uid,
                class_name=name,
                color=hex_to_rgb(color) if color else None,
            )
        )
    return to_feature_collection(features)
