"""The measurement table: one row per annotation, QuPath's column names first.

QuPath's annotation measurement table (Measure > Show annotation measurements, then
Save) starts with ``Image, Object ID, Object type, Name, Classification, Parent, ROI,
Centroid X µm, Centroid Y µm`` and then ``Area µm^2`` and ``Perimeter µm`` for areas,
``Length µm`` for lines and ``Num points`` for points; scripts that read QuPath's
exports read ours. Our own columns follow: all terms, author, review status, created,
then one column per property key found on the exported annotations.

Numbers are the stored geometry (level-0 pixels, the same geometry the GeoJSON export
writes) scaled by the slide's pixel size; an image without a pixel size gets QuPath's
pixel columns instead (``Centroid X px``, ``Area px^2``, ...). Object ID is the
annotation's UUID, which is also the GeoJSON feature ``id``. Classification is every
term in the GeoJSON export's order, joined with ": " as QuPath names a derived class
(``geojson_props.term_order``); rows are the user layer (``store/layers``), each
annotation once with its review status. Parent is the smallest other area on the image
that contains the annotation (QuPath's hierarchy), or ``Image``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from desktop_app.model.annotation import (
    Annotation,
    AnnotationKind,
    AnnotationTerm,
    ReviewedAnnotation,
    ReviewStatus,
)
from desktop_app.model.attachment import Property
from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.ontology import Term
from desktop_app.model.security import User
from desktop_app.services.geojson_props import term_order
from desktop_app.store import edits
from desktop_app.store.layers import user_layer
from desktop_app.store.uow import Store

QUPATH_COLUMNS = (
    "Image",
    "Object ID",
    "Object type",
    "Name",
    "Classification",
    "Parent",
    "ROI",
    "Centroid X {u}",
    "Centroid Y {u}",
    "Area {u}^2",
    "Perimeter {u}",
    "Length {u}",
    "Num points",
)
EXTRA_COLUMNS = ("Terms", "Author", "Review status", "Created")
_AREAS = ("Polygon", "MultiPolygon")
_LINES = ("LineString", "MultiLineString")


@dataclass(frozen=True)
class MeasurementTable:
    columns: list[str]
    rows: list[list[Any]]

    def write(self, path: Path) -> None:
        """TSV, or CSV when ``path`` ends in ``.csv``; written whole or not at all."""
        text = self.to_text("," if path.suffix.lower() == ".csv" else "\t")
        tmp = path.with_name(path.name + ".partial")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise

    def to_text(self, delimiter: str = "\t") -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([_cell(v) for v in row] for row in self.rows)
        return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return value


#: shapely type id -> QuPath's ROI name (LineString: Line or Polyline by its length).
_ROI_BY_TYPE = {0: "Points", 3: "Polygon", 4: "Points"}


def _line_roi(n_coords: int) -> str:
    return "Line" if n_coords == 2 else "Polyline"


def roi_name(geom: BaseGeometry) -> str:
    """QuPath's ROI column for our geometry types."""
    kind = geom.geom_type
    if kind == "Polygon":
        return "Polygon"
    if kind == "LineString":
        return "Line" if len(geom.coords) == 2 else "Polyline"
    if kind in ("Point", "MultiPoint"):
        return "Points"
    return "Geometry"


def project_images(store: Store, image_pk: int) -> list[int]:
    """Every live image of ``image_pk``'s project, in key order."""
    with store.read() as s:
        project = s.scalar(select(ImageInstance.project_pk).where(ImageInstance.pk == image_pk))
        return list(
            s.scalars(
                select(ImageInstance.pk)
                .where(ImageInstance.project_pk == project, ImageInstance.local_deleted.is_(False))
                .order_by(ImageInstance.pk)
            )
        )


def measurement_table(
    store: Store, image_pks: Sequence[int], pks: Iterable[int] | None = None
) -> MeasurementTable:
    """The table for the live annotations of ``image_pks`` (only ``pks`` when given)."""
    images = [
        _image_rows(store, image_pk, None if pks is None else set(pks)) for image_pk in image_pks
    ]
    calibrated = all(mpp is not None for mpp, _ in images) or not images
    unit = "µm" if calibrated else "px"
    keys = sorted({k for _, rows in images for r in rows for k in r["props"]})
    base = [c.format(u=unit) for c in QUPATH_COLUMNS]
    taken = {*base, *EXTRA_COLUMNS}
    prop_cols = [k if k not in taken else f"Property: {k}" for k in keys]
    table_rows = []
    for mpp, rows in images:
        scale = mpp if calibrated and mpp is not None else (1.0, 1.0)
        for r, values in zip(rows, _measure([r["geometry"] for r in rows], scale), strict=True):
            table_rows.append(_row(r, values) + [r["props"].get(k, "") for k in keys])
    return MeasurementTable(base + list(EXTRA_COLUMNS) + prop_cols, table_rows)


def _measure(geoms: list[BaseGeometry], scale: tuple[float, float]) -> list[list[Any]]:
    """ROI, centroid x/y, area, perimeter, length and points for each geometry in µm
    (the geometry scaled by the pixel size), vectorised over the image's annotations."""
    if not geoms:
        return []
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    factor = np.asarray(scale, dtype=float)
    um = shapely.transform(arr, lambda xy: xy * factor)
    centroids = shapely.get_coordinates(shapely.centroid(um))
    areas, lengths = shapely.area(um), shapely.length(um)
    counts = shapely.get_num_coordinates(arr)
    types = shapely.get_type_id(arr)
    out = []
    for i, kind in enumerate(types.tolist()):
        area = kind in (3, 6)
        out.append(
            [
                _ROI_BY_TYPE.get(kind, "Geometry") if kind != 1 else _line_roi(int(counts[i])),
                float(centroids[i, 0]),
                float(centroids[i, 1]),
                float(areas[i]) if area else None,
                float(lengths[i]) if area else None,
                float(lengths[i]) if kind in (1, 5) else None,
                int(counts[i]) if kind in (0, 4) else None,
            ]
        )
    return out


def _row(r: dict[str, Any], values: list[Any]) -> list[Any]:
    roi, cx, cy, area, perimeter, length, points = values
    terms: list[str] = r["terms"]
    return [
        r["image"],
        r["uid"],
        "Annotation",
        r["props"].get("name", ""),
        ": ".join(terms),
        r["parent"],
        roi,
        cx,
        cy,
        area,
        perimeter,
        length,
        points,
        "; ".join(terms),
        r["author"],
        r["review"],
        r["created"].isoformat(timespec="seconds") if r["created"] else "",
    ]


def _image_rows(
    store: Store, image_pk: int, only: set[int] | None
) -> tuple[tuple[float, float] | None, list[dict[str, Any]]]:
    with store.read() as s:
        info = s.execute(
            select(
                ImageInstance.instance_filename,
                AbstractImage.original_filename,
                AbstractImage.filename,
                AbstractImage.physical_size_x,
                AbstractImage.physical_size_y,
            )
            .join(AbstractImage, AbstractImage.pk == ImageInstance.base_image_pk)
            .where(ImageInstance.pk == image_pk)
        ).one_or_none()
        if info is None:
            raise ValueError(f"unknown image {image_pk}")
        name = info.instance_filename or info.original_filename or info.filename or str(image_pk)
        mpp = (
            (float(info.physical_size_x), float(info.physical_size_y or info.physical_size_x))
            if info.physical_size_x
            else None
        )
        anns = s.execute(
            select(
                Annotation.pk,
                Annotation.uid,
                Annotation.kind,
                Annotation.location,
                Annotation.created,
                Annotation.count_reviewed_annotations,
                User.username,
            )
            .join(User, User.pk == Annotation.user_pk)
            .where(*user_layer(image_pk))
            .order_by(Annotation.pk)
        ).all()
        if only is not None:
            anns = [a for a in anns if a.pk in only]
        live = (Annotation.image_pk == image_pk, Annotation.local_deleted.is_(False))
        term_rows = s.execute(
            select(AnnotationTerm.annotation_pk, Term.name)
            .join(Term, Term.pk == AnnotationTerm.term_pk)
            .join(Annotation, Annotation.pk == AnnotationTerm.annotation_pk)
            .where(*live, AnnotationTerm.local_deleted.is_(False))
            .order_by(AnnotationTerm.pk)
        ).all()
        prop_rows = s.execute(
            select(Property.domain_pk, Property.key, Property.value)
            .join(Annotation, Annotation.pk == Property.domain_pk)
            .where(
                *live,
                Property.domain_class_name == edits.ANNOTATION_CLASS,
                Property.local_deleted.is_(False),
            )
        ).all()
        reviewed = ReviewedAnnotation.__table__.alias("reviewed")
        review_rows = s.execute(
            select(reviewed.c.parent_pk, reviewed.c.status).where(
                reviewed.c.image_pk == image_pk,
                reviewed.c.kind == AnnotationKind.REVIEWED,
                reviewed.c.local_deleted.is_(False),
            )
        ).all()
    named: dict[int, list[tuple[str, str]]] = {}
    for pk, term in term_rows:
        named.setdefault(pk, []).append((term, ""))
    terms = {pk: [n for n, _c in term_order(pairs)] for pk, pairs in named.items()}
    props: dict[int, dict[str, str]] = {}
    for pk, key, value in prop_rows:
        props.setdefault(pk, {})[key] = value or ""
    reviews = {pk: status for pk, status in review_rows}
    geoms = list(shapely.from_wkb([a.location for a in anns])) if anns else []
    parents = _parents(
        geoms, [terms.get(a.pk, []) for a in anns], [props.get(a.pk, {}) for a in anns]
    )
    rows = []
    for a, geom, parent in zip(anns, geoms, parents, strict=True):
        rows.append(
            {
                "image": name,
                "uid": a.uid,
                "geometry": geom,
                "terms": terms.get(a.pk, []),
                "props": props.get(a.pk, {}),
                "author": a.username,
                "review": _review(a.kind, a.pk, reviews),
                "created": a.created,
                "parent": parent,
            }
        )
    return mpp, rows


def _review(kind: AnnotationKind, pk: int, reviews: dict[int, int | None]) -> str:
    if kind == AnnotationKind.REVIEWED:
        return "reviewed copy"
    if pk not in reviews:
        return "not reviewed"
    return "accepted" if reviews[pk] == ReviewStatus.ACCEPTED else "rejected"


def _parents(
    geoms: list[BaseGeometry], terms: list[list[str]], props: list[dict[str, str]]
) -> list[str]:
    """QuPath's hierarchy: the smallest other area containing each annotation."""
    out = ["Image"] * len(geoms)
    if not geoms:
        return out
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    areas = shapely.area(arr)
    is_area = np.isin(shapely.get_type_id(arr), (3, 6))  # Polygon, MultiPolygon
    bounds = shapely.bounds(arr)
    tree = shapely.STRtree(arr)
    inner, outer = tree.query(arr)  # bounding boxes only: cheap
    keep = (inner != outer) & is_area[outer] & (areas[outer] > areas[inner])
    bi, bo = bounds[inner], bounds[outer]
    keep &= (bi[:, 0] >= bo[:, 0]) & (bi[:, 1] >= bo[:, 1])
    keep &= (bi[:, 2] <= bo[:, 2]) & (bi[:, 3] <= bo[:, 3])
    inner, outer = inner[keep], outer[keep]
    keep = shapely.within(arr[inner], arr[outer])  # the exact test, on few pairs
    best: dict[int, int] = {}
    for i, o in zip(inner[keep], outer[keep], strict=True):
        if int(i) not in best or areas[o] < areas[best[int(i)]]:
            best[int(i)] = int(o)
    for i, o in best.items():
        name = props[o].get("name")
        out[i] = name or (f"Annotation ({terms[o][0]})" if terms[o] else "Annotation")
    return out
