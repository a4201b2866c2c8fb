"""GeoJSON import/export in QuPath's dialect, so work moves both ways between the tools.

Import is one undoable action (one transaction): classes missing from the project's
ontology become new terms (or are mapped onto existing ones when the user says so), and
the annotations go in through the cache's bulk path with their terms, properties
(QuPath measurements and metadata) and description, each with its outbox op.  Export
(``geojson_export``) writes what QuPath 0.4+ reads; the rules shared by both
directions are in ``geojson_props``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from desktop_app.core.geojson import (
    FeatureError,
    GeoFeature,
    GeoJSONError,
    OnError,
    parse_feature_collection,
)
from desktop_app.core.geometry import GeometryError, bounds_many, fit_to_image
from desktop_app.model.attachment import Description, Property
from desktop_app.model.base import new_uids, utcnow
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.ontology import Ontology, Term
from desktop_app.model.project import Project
from desktop_app.model.sync import OpKind
from desktop_app.services.geojson_export import export_features, hex_to_rgb
from desktop_app.services.geojson_props import imported_properties
from desktop_app.store.annotations import bulk_create_keys
from desktop_app.store.edits import ANNOTATION_CLASS
from desktop_app.store.uow import Store, UnitOfWork

#: Colour of a term created for a QuPath class that carried none.
DEFAULT_COLOR = "#FFC107"


@dataclass
class ImportReport:
    imported: int = 0
    created_terms: list[str] = field(default_factory=list)
    skipped: list[FeatureError] = field(default_factory=list)
    repaired: int = 0
    properties: int = 0
    descriptions: int = 0
    #: Features cut at the image's edges (partly outside it).
    clipped: int = 0


def rgb_to_hex(rgb: tuple[int, int, int] | None) -> str:
    return DEFAULT_COLOR if rgb is None else "#{:02X}{:02X}{:02X}".format(*rgb)


def load_geojson(path: Path) -> Any:
    """The file's JSON; a message in the user's terms when it is not a GeoJSON file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not a GeoJSON file (it is not text)") from None
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not text.strip():
        raise ValueError(
            f"{path} is empty; expected a GeoJSON FeatureCollection "
            "(QuPath: File > Export objects as GeoJSON)"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path} is not a GeoJSON file: its text is not JSON "
            f"(first problem at line {exc.lineno}, column {exc.colno})"
        ) from None


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
    features = _fit_to_image(store, image_pk, features, report, skip_invalid)
    label = f"Import {len(features)} annotations"
    with store.unit_of_work(label=label, user_pk=user_pk, scope=f"image:{image_pk}") as uow:
        image = uow.session.get(ImageInstance, image_pk)
        if image is None:
            raise ValueError(f"unknown image {image_pk}")
        terms = _terms_for(uow, image.project_pk, features, term_map or {}, report, user_pk)
        term_lists = [list(dict.fromkeys(terms[n] for n in f.class_names)) for f in features]
        keys = bulk_create_keys(
            uow,
            project_pk=image.project_pk,
            image_pk=image_pk,
            user_pk=user_pk,
            geometries=[f.geometry for f in features],
            term_pks=term_lists,
        )
        report.imported = len(keys)
        _add_extras(uow, image.project_pk, list(zip(keys, features, strict=True)), report)
    return report


def _fit_to_image(
    store: Store, image_pk: int, features: list[GeoFeature], report: ImportReport, skip: bool
) -> list[GeoFeature]:
    """The server's rule, on the desktop (core.geometry.fit_to_image): a feature partly
    outside the image is clipped, one entirely outside is refused (it could never sync)."""
    with store.read() as s:
        size = s.execute(
            select(AbstractImage.width, AbstractImage.height)
            .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
            .where(ImageInstance.pk == image_pk)
        ).first()
    if size is None:
        raise ValueError(f"unknown image {image_pk}")
    width, height = float(size[0]), float(size[1])
    if not features:
        return features
    b = bounds_many([f.geometry for f in features])
    inside = (b[:, 0] >= 0) & (b[:, 1] >= 0) & (b[:, 2] <= width) & (b[:, 3] <= height)
    kept: list[GeoFeature] = []
    refused: list[FeatureError] = []
    for f, ok in zip(features, inside.tolist(), strict=True):
        if ok:
            kept.append(f)
            continue
        try:
            geom, cut = fit_to_image(f.geometry, width, height)
        except GeometryError as exc:
            refused.append(FeatureError(f.index, str(exc)))
            continue
        report.clipped += int(cut)
        kept.append(replace(f, geometry=geom))
    if refused and not skip:
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        raise GeoJSONError(f"Cannot import {refused[0]}{more}.", refused)
    report.skipped = sorted([*report.skipped, *refused], key=lambda e: e.index)
    return kept


def _add_extras(
    uow: UnitOfWork, project_pk: int, made: list[tuple[int, GeoFeature]], report: ImportReport
) -> None:
    """Properties and descriptions of the new annotations, in bulk, each with its op."""
    props = [
        {"domain_class_name": ANNOTATION_CLASS, "domain_pk": pk, "key": k, "value": v}
        for pk, f in made
        for k, v in imported_properties(f.properties)
    ]
    texts = [
        {
            "domain_class_name": ANNOTATION_CLASS,
            "domain_pk": pk,
            "data": f.properties["description"],
        }
        for pk, f in made
        if isinstance(f.properties.get("description"), str) and f.properties["description"]
    ]
    common = {"sync_state": "pending", "dirty_fields": [], "local_deleted": False}
    if props:
        rows = _insert(uow, Property, [{**r, **common} for r in props])
        uow.log_many(
            OpKind.PUT_PROPERTY,
            "property",
            rows,
            project_pk=project_pk,
            payloads=[{"value": r["value"], "local_deleted": False} for r in props],
            inverses=[{"local_deleted": True}] * len(rows),
        )
        report.properties = len(rows)
    if texts:
        rows = _insert(uow, Description, [{**r, **common} for r in texts])
        uow.log_many(OpKind.CREATE, "description", rows, project_pk=project_pk)
        report.descriptions = len(rows)


def _insert(uow: UnitOfWork, cls: Any, values: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Core ``executemany`` (with RETURNING) of new rows; their (pk, uid) in order."""
    table = cls.__table__
    now = utcnow()
    stamped = [
        {**v, "uid": uid, "created": now}
        for v, uid in zip(values, new_uids(len(values)), strict=True)
    ]
    result = uow.session.execute(
        insert(table).returning(table.c.pk, table.c.uid, sort_by_parameter_order=True), stamped
    )
    return [(int(pk), uid) for pk, uid in result]


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
    colors = {name: f.color for f in features for name in f.class_names}
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


__all__ = ["ImportReport", "export_features", "hex_to_rgb", "import_features", "load_geojson"]
