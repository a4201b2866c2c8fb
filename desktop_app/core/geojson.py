"""Read and write QuPath's GeoJSON (FeatureCollection, bare feature list or single Feature).

QuPath exports level-0 pixel coordinates with y down, i.e. exactly our convention, so no
transform happens here. What QuPath writes, across versions:

* 0.4+: ``{"type": "Feature", "id": "<uuid>", "geometry": ..., "properties":
  {"objectType": "annotation", "classification": {"name": "Tumor", "color": [r, g, b]},
  "isLocked": false, "measurements": {...}}}``; cells add a top-level ``nucleusGeometry``.
* 0.3: the same but ``classification.colorRGB`` is a signed 32-bit ARGB int.
* 0.2: ``"id": "PathAnnotationObject"`` (the class name, no UUID) and no ``objectType``.

Parsing is built for 100,000-object detection exports: geometries of the common types
are assembled with shapely's vectorised constructors (one GEOS call per type, not one
Python object per vertex) and validated in bulk; only the rare bad feature goes down a
slow per-feature path that produces a precise, indexed error message.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from desktop_app.core.geometry import GeometryError, validate

__all__ = [
    "FeatureError",
    "GeoFeature",
    "GeoJSONError",
    "ImportedFeature",
    "OnError",
    "geometry_to_geojson",
    "parse_feature_collection",
    "to_feature_collection",
]

_TYPES = ("Polygon", "MultiPolygon", "LineString", "MultiLineString", "Point", "MultiPoint")
_LEGACY_IDS = {
    "PathAnnotationObject": "annotation",
    "PathDetectionObject": "detection",
    "PathCellObject": "cell",
    "PathTileObject": "tile",
}
_OWN_KEYS = frozenset(("objectType", "classification", "name"))
_FEATURE_KEYS = frozenset(("type", "id", "geometry", "properties"))


@dataclass(frozen=True)
class GeoFeature:
    """One QuPath object; ``properties`` holds everything else (measurements, isLocked...)."""

    geometry: BaseGeometry
    object_type: str = "annotation"
    class_name: str | None = None
    color: tuple[int, int, int] | None = None
    uid: str | None = None
    name: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    """Foreign top-level members (e.g. ``nucleusGeometry``), written back as they came."""
    repaired: bool = False


ImportedFeature = GeoFeature


@dataclass(frozen=True, slots=True)
class FeatureError:
    index: int
    message: str

    def __str__(self) -> str:
        return f"Feature {self.index}: {self.message}"


class GeoJSONError(ValueError):
    """The file cannot be imported; ``errors`` lists every bad feature found."""

    def __init__(self, message: str, errors: list[FeatureError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class OnError(enum.StrEnum):
    RAISE = "raise"  # refuse the whole import if any feature is bad
    SKIP = "skip"  # import the good ones, report the bad ones


# --- small parsers ------------------------------------------------------------------------


_COLORS: dict[tuple[Any, ...], tuple[int, int, int]] = {}


def _color(value: Any) -> tuple[int, int, int] | None:
    """[r, g, b] (QuPath 0.4+) or a packed (A)RGB int, possibly negative (Java int)."""
    if value is None:
        return None
    if type(value) is list:  # the common case, memoised: a file has a handful of colours
        key = tuple(value)
        cached = _COLORS.get(key)
        if cached is None:
            cached = _parse_color(value)
            if len(_COLORS) < 4096:
                _COLORS[key] = cached
        return cached
    return _parse_color(value)


def _parse_color(value: Any) -> tuple[int, int, int]:
    if isinstance(value, bool):
        raise ValueError(f"invalid colour {value!r}")
    if isinstance(value, int):
        v = value & 0xFFFFFFFF
        return ((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF)
    if isinstance(value, list | tuple) and len(value) in (3, 4):
        rgb = tuple(int(c) for c in value[:3])
        if all(0 <= c <= 255 for c in rgb):
            return rgb  # type: ignore[return-value]
    raise ValueError(f"invalid colour {value!r} (expected [r, g, b] or an int)")


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _uid(value: Any) -> str | None:
    """The feature id if it is a UUID (QuPath 0.2 wrote class names there instead)."""
    if isinstance(value, str) and _UUID.fullmatch(value):
        return value.lower()
    return None


def _meta(feat: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Validate the non-geometry part of a feature; the geometry is filled in later."""
    if not isinstance(feat, dict):
        raise ValueError("is not a JSON object")
    if feat.get("type", "Feature") != "Feature":
        raise ValueError(f"has type {feat.get('type')!r}, expected 'Feature'")
    geom = feat.get("geometry")
    if not isinstance(geom, dict):
        raise ValueError("has no geometry")
    if geom.get("type") not in _TYPES:
        raise ValueError(
            f"has unsupported geometry type {geom.get('type')!r} (expected {', '.join(_TYPES)})"
        )
    props = feat.get("properties") or {}
    if not isinstance(props, dict):
        raise ValueError("has properties that are not a JSON object")
    raw_id = feat.get("id")
    object_type = props.get("objectType") or _LEGACY_IDS.get(str(raw_id), "annotation")
    cls = props.get("classification")
    class_name, color = None, None
    if isinstance(cls, dict):
        class_name = cls.get("name")
        if class_name is None and isinstance(cls.get("names"), list):
            class_name = ": ".join(str(n) for n in cls["names"])
        color = _color(cls["color"] if "color" in cls else cls.get("colorRGB"))
    elif isinstance(cls, str):
        class_name = cls
    elif cls is not None:
        raise ValueError("has a classification that is neither an object nor a string")
    extra = (
        {}
        if feat.keys() <= _FEATURE_KEYS
        else {k: v for k, v in feat.items() if k not in _FEATURE_KEYS}
    )
    name = props.get("name")
    meta = {
        "object_type": str(object_type).lower(),
        "class_name": None if class_name is None else str(class_name),
        "color": color,
        "uid": _uid(raw_id),
        "name": None if name is None else str(name),
        "properties": {k: v for k, v in props.items() if k not in _OWN_KEYS},
        "extra": extra,
    }
    return geom, meta


# --- vectorised geometry assembly ---------------------------------------------------------


def _flat(seqs: list[list[Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate nested coordinate lists; returns (coords (n, 2), parent index per item)."""
    lens = np.fromiter((len(s) for s in seqs), dtype=np.intp, count=len(seqs))
    return _xy([p for s in seqs for p in s]), np.repeat(np.arange(len(seqs)), lens)


def _xy(points: list[Any]) -> np.ndarray:
    """``(n, 2)`` float array; a Z (or M) ordinate is dropped, anything ragged raises."""
    arr = np.array(points, dtype=float)
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise ValueError("coordinates are not [x, y] pairs")
    return arr[:, :2]


def _rings_to_polygons(polys: list[list[list[Any]]]) -> np.ndarray:
    rings = [ring for poly in polys for ring in poly]
    coords, ring_idx = _flat(rings)
    lrings = shapely.linearrings(coords, indices=ring_idx)
    poly_idx = np.repeat(np.arange(len(polys)), [len(p) for p in polys])
    return shapely.polygons(lrings, indices=poly_idx)


def _build(kind: str, coords: list[Any]) -> np.ndarray:
    """All geometries of one type in one go; raises on any malformed coordinates."""
    if kind == "Point":
        return shapely.points(_xy(coords))
    if kind == "MultiPoint":
        pts, idx = _flat(coords)
        return shapely.multipoints(pts, indices=idx)
    if kind == "LineString":
        pts, idx = _flat(coords)
        return shapely.linestrings(pts, indices=idx)
    if kind == "MultiLineString":
        parts = [line for multi in coords for line in multi]
        pts, idx = _flat(parts)
        lines = shapely.linestrings(pts, indices=idx)
        owner = np.repeat(np.arange(len(coords)), [len(m) for m in coords])
        return shapely.multilinestrings(lines, indices=owner)
    if kind == "Polygon":
        return _rings_to_polygons(coords)
    polys = [poly for multi in coords for poly in multi]
    owner = np.repeat(np.arange(len(coords)), [len(m) for m in coords])
    return shapely.multipolygons(_rings_to_polygons(polys), indices=owner)


def _geometries(geoms: list[dict[str, Any]]) -> tuple[np.ndarray, dict[int, str]]:
    out = np.empty(len(geoms), dtype=object)
    failed: dict[int, str] = {}
    by_type: dict[str, list[int]] = {}
    for i, g in enumerate(geoms):
        by_type.setdefault(g["type"], []).append(i)
    for kind, idx in by_type.items():
        try:
            built = _build(kind, [geoms[i]["coordinates"] for i in idx])
            if len(built) != len(idx):  # an empty part list shifts the indices
                raise ValueError("count mismatch")
            out[idx] = built
        except Exception:  # malformed somewhere: locate it feature by feature
            for i in idx:
                try:
                    out[i] = shape(geoms[i])
                except Exception as exc:  # shapely/GEOS/numpy raise a variety of types
                    failed[i] = f"has malformed {kind} coordinates ({exc})"
    return out, failed


def _checked(arr: np.ndarray, failed: dict[int, str]) -> tuple[np.ndarray, set[int]]:
    """Bulk validity screen; only suspicious geometries go through :func:`validate`."""
    ok = np.array([i not in failed for i in range(len(arr))], dtype=bool)
    good = arr[ok]
    coords, owner = shapely.get_coordinates(good, include_z=False, return_index=True)
    suspect = np.zeros(len(good), dtype=bool)
    suspect[np.unique(owner[~np.isfinite(coords).all(axis=1)])] = True
    suspect |= shapely.is_empty(good) | ~shapely.is_valid(good)
    suspect |= shapely.has_z(good)
    polygonal = np.isin(shapely.get_type_id(good), (3, 6))
    suspect |= polygonal & (shapely.area(good) <= 0)
    repaired: set[int] = set()
    positions = np.flatnonzero(ok)
    for j in np.flatnonzero(suspect):
        i = int(positions[j])
        try:
            fixed = validate(arr[i])
        except GeometryError as exc:
            failed[i] = str(exc)
            continue
        if not arr[i].is_valid:
            repaired.add(i)
        arr[i] = fixed
    return arr, repaired


# --- public API ---------------------------------------------------------------------------


def _features(obj: Any) -> list[Any]:
    if isinstance(obj, str | bytes | bytearray):
        try:
            obj = json.loads(obj)
        except ValueError as exc:
            raise GeoJSONError(f"Not a JSON file: {exc}") from exc
    if isinstance(obj, list):
        return obj
    if isinstance(obj, dict):
        if obj.get("type") == "FeatureCollection":
            features = obj.get("features")
            if not isinstance(features, list):
                raise GeoJSONError("The FeatureCollection has no 'features' list.")
            return features
        if obj.get("type") == "Feature":
            return [obj]
    raise GeoJSONError("Expected a GeoJSON FeatureCollection, a Feature or a list of Features.")


def parse_feature_collection(
    obj: Any,
    *,
    on_error: OnError | str = OnError.RAISE,
    errors: list[FeatureError] | None = None,
) -> list[GeoFeature]:
    """Parse QuPath GeoJSON (dict, list, or JSON text) into features in level-0 px, y down.

    With ``on_error="raise"`` any bad feature refuses the import with a
    :class:`GeoJSONError` whose ``errors`` lists *every* bad feature (index + reason), so
    the user can fix the file in one go. With ``on_error="skip"`` the good features are
    returned and the bad ones appended to ``errors`` (pass a list to receive them).
    Self-intersecting polygons are repaired (``repaired=True``), not refused.
    """
    policy = OnError(on_error)
    raw = _features(obj)
    problems: dict[int, str] = {}
    metas: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for i, feat in enumerate(raw):
        try:
            geom, meta = _meta(feat)
        except (ValueError, TypeError) as exc:
            problems[i] = str(exc)
            continue
        metas.append((i, geom, meta))

    arr, failed = _geometries([g for _, g, _ in metas])
    arr, repaired = _checked(arr, failed)
    for j, message in failed.items():
        problems[metas[j][0]] = message

    found = [FeatureError(i, problems[i]) for i in sorted(problems)]
    if found and policy is OnError.RAISE:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise GeoJSONError(f"Cannot import: {found[0]}{more}.", found)
    if errors is not None:
        errors.extend(found)
    out: list[GeoFeature] = []
    for j, (_, _, meta) in enumerate(metas):
        if j in failed:
            continue
        out.append(GeoFeature(geometry=arr[j], repaired=j in repaired, **meta))
    return out


def _ring(coords: Any) -> list[list[float]]:
    return np.asarray(coords)[:, :2].tolist()


def geometry_to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """A shapely geometry as a GeoJSON geometry dict (lists, 2D)."""
    kind = geom.geom_type
    if kind == "Point":
        return {"type": kind, "coordinates": [geom.x, geom.y]}
    if kind in ("LineString", "MultiPoint"):
        return {"type": kind, "coordinates": shapely.get_coordinates(geom).tolist()}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [_ring(line.coords) for line in geom.geoms]}
    if kind == "Polygon":
        return {"type": kind, "coordinates": _polygon(geom)}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [_polygon(p) for p in geom.geoms]}
    raise GeometryError(f"{kind} cannot be exported to QuPath GeoJSON.")


def _polygon(poly: shapely.Polygon) -> list[list[list[float]]]:
    return [_ring(poly.exterior.coords), *(_ring(r.coords) for r in poly.interiors)]


def _geojson_many(geoms: list[BaseGeometry]) -> list[dict[str, Any]]:
    """Geometry dicts for many geometries; hole-less polygons (typical detections) take a
    vectorised path, everything else :func:`geometry_to_geojson`."""
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    simple = (shapely.get_type_id(arr) == 3) & (shapely.get_num_interior_rings(arr) == 0)
    out: list[dict[str, Any]] = [{} for _ in geoms]
    idx = np.flatnonzero(simple)
    if len(idx):
        rings = shapely.get_exterior_ring(arr[idx])
        coords = shapely.get_coordinates(rings).tolist()
        ends = np.cumsum(shapely.get_num_coordinates(rings)).tolist()
        start = 0
        for i, end in zip(idx.tolist(), ends, strict=True):
            out[i] = {"type": "Polygon", "coordinates": [coords[start:end]]}
            start = end
    for i in np.flatnonzero(~simple).tolist():
        out[i] = geometry_to_geojson(geoms[i])
    return out


def to_feature_collection(features: Iterable[GeoFeature]) -> dict[str, Any]:
    """Write features the way QuPath 0.4+ does, so QuPath imports them with classes/colours."""
    feats = list(features)
    geometries = _geojson_many([f.geometry for f in feats])
    out: list[dict[str, Any]] = []
    for f, geometry in zip(feats, geometries, strict=True):
        props: dict[str, Any] = {"objectType": f.object_type}
        if f.class_name is not None:
            cls: dict[str, Any] = {"name": f.class_name}
            if f.color is not None:
                cls["color"] = list(f.color)
            props["classification"] = cls
        if f.name is not None:
            props["name"] = f.name
        props.update(f.properties)
        feat: dict[str, Any] = {"type": "Feature"}
        if f.uid is not None:
            feat["id"] = f.uid
        feat["geometry"] = geometry
        feat["properties"] = props
        feat.update(f.extra)
        out.append(feat)
    return {"type": "FeatureCollection", "features": out}
