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
import gc
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from desktop_app.core.geojson_geometry import (
    build_geometries,
    geojson_many,
    geometry_to_geojson,
    screen_geometries,
)

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
    #: Every class of a derived/multiple classification (QuPath 0.4+ ``names``), in order;
    #: ``class_name`` is then their ``": "``-joined form, as QuPath writes ``name``.
    class_names: tuple[str, ...] = ()
    uid: str | None = None
    name: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    """Foreign top-level members (e.g. ``nucleusGeometry``), written back as they came."""
    repaired: bool = False
    #: Position of the feature in the file (for messages about it).
    index: int = -1


ImportedFeature = GeoFeature


@dataclass(frozen=True, slots=True)
class FeatureError:
    index: int
    message: str

    def __str__(self) -> str:
        """``feature 3: the geometry lies outside the image``: it reads on inside a
        sentence ("skipped feature 3: …", "Cannot import feature 3: …")."""
        message = self.message.rstrip(".")
        if message[:1].isupper() and not message[1:2].isupper():  # keep "WKT", "GeoJSON"
            message = message[0].lower() + message[1:]
        return f"feature {self.index}: {message}"


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
        r, g, b = (int(c) for c in value[:3])
        if all(0 <= c <= 255 for c in (r, g, b)):
            return (r, g, b)
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
    names: tuple[str, ...] = ()
    if isinstance(cls, dict):
        class_name = cls.get("name")
        if isinstance(cls.get("names"), list) and cls["names"]:
            names = tuple(str(n) for n in cls["names"])
            class_name = ": ".join(names)
        elif class_name is not None:
            names = (str(class_name),)
        color = _color(cls["color"] if "color" in cls else cls.get("colorRGB"))
    elif isinstance(cls, str):
        class_name, names = cls, (cls,)
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
        "class_names": names,
        "color": color,
        "uid": _uid(raw_id),
        "name": None if name is None else str(name),
        "properties": {k: v for k, v in props.items() if k not in _OWN_KEYS},
        "extra": extra,
    }
    return geom, meta


# --- public API ---------------------------------------------------------------------------


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building 100k small dicts/lists triggers the cyclic GC hundreds of times for
    nothing (none of it is garbage).  ``benchmarks/core_bench.py --features 50000``
    against ``--no-gc-pause`` (load 12): parse 4.6 s vs 7.1 s, write 2.7 s vs 9.6 s."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    with _gc_paused():
        return _parse(raw, policy, errors)


def _parse(raw: list[Any], policy: OnError, errors: list[FeatureError] | None) -> list[GeoFeature]:
    problems: dict[int, str] = {}
    metas: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for i, feat in enumerate(raw):
        try:
            geom, meta = _meta(feat)
        except (ValueError, TypeError) as exc:
            problems[i] = str(exc)
            continue
        metas.append((i, geom, meta))

    arr, failed = build_geometries([g for _, g, _ in metas])
    arr, repaired = screen_geometries(arr, failed)
    for j, message in failed.items():
        problems[metas[j][0]] = message

    found = [FeatureError(i, problems[i]) for i in sorted(problems)]
    if found and policy is OnError.RAISE:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise GeoJSONError(f"Cannot import {found[0]}{more}.", found)
    if errors is not None:
        errors.extend(found)
    out: list[GeoFeature] = []
    for j, (_, _, meta) in enumerate(metas):
        if j in failed:
            continue
        out.append(GeoFeature(geometry=arr[j], repaired=j in repaired, index=metas[j][0], **meta))
    return out


def to_feature_collection(features: Iterable[GeoFeature]) -> dict[str, Any]:
    """Write features the way QuPath 0.4+ does, so QuPath imports them with classes/colours."""
    with _gc_paused():
        return _write(list(features))


def _write(feats: list[GeoFeature]) -> dict[str, Any]:
    geometries = geojson_many([f.geometry for f in feats])
    out: list[dict[str, Any]] = []
    for f, geometry in zip(feats, geometries, strict=True):
        props: dict[str, Any] = {"objectType": f.object_type}
        if f.class_name is not None:
            cls: dict[str, Any] = {"name": f.class_name}
            if len(f.class_names) > 1:  # QuPath 0.4+: the parts of a derived class
                cls = {"name": ": ".join(f.class_names), "names": list(f.class_names)}
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
