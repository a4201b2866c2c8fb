"""How a Cytomine annotation's extras travel in QuPath GeoJSON (both directions, one rule).

* **Terms** → ``classification``.  Several terms are written the way QuPath writes a
  derived class: ``name`` = the names joined with ``": "`` and ``names`` = the list
  (QuPath 0.4+).  The order is fixed: by term name, case-insensitively, then exactly,
  then by colour — so the same annotation exports identically on every machine, and
  the colour is the first term's.  Import reads ``names`` when present, else ``name``
  as one class.
* **Properties** (Cytomine key/value strings) → a value that is a canonical JSON number
  (``"12"``, ``"-0.5"``, ``"1e-05"``) is a QuPath *measurement* (written as a number);
  every other value is *metadata* (a string).  Import turns both back into properties
  with the same text, so export → import reproduces every property exactly.  Keys are
  written sorted.
* **Description** → ``properties.description`` (text, as stored).
* **Review status** → metadata ``workstation:review`` = ``accepted`` / ``rejected``;
  import ignores that key (an imported annotation is new: it has no review yet).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

REVIEW_KEY = "workstation:review"


def as_measurement(value: str | None) -> int | float | None:
    """The number a property value stands for, if writing it as one loses nothing."""
    if value is None:
        return None
    try:
        number = json.loads(value)
    except ValueError:
        return None
    if isinstance(number, bool) or not isinstance(number, int | float):
        return None
    if isinstance(number, float) and not math.isfinite(number):
        return None
    return number if json.dumps(number) == value else None


def split_properties(props: Iterable[tuple[str, str | None]]) -> dict[str, dict[str, Any]]:
    """``{"measurements": {...}, "metadata": {...}}`` (only the non-empty ones), keys sorted."""
    measurements: dict[str, Any] = {}
    metadata: dict[str, str] = {}
    for key, value in sorted(props, key=lambda kv: (kv[0], kv[1] or "")):
        if key in measurements or key in metadata:
            continue  # several values for one key (Cytomine allows it): the first, sorted
        number = as_measurement(value)
        if number is not None:
            measurements[key] = number
        else:
            metadata[key] = value or ""
    out: dict[str, dict[str, Any]] = {}
    if measurements:
        out["measurements"] = measurements
    if metadata:
        out["metadata"] = metadata
    return out


def imported_properties(props: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, value) properties from a feature's ``measurements`` and ``metadata``.

    Measurements may be QuPath's object or its pre-0.4 list of ``{name, value}``.
    """
    out: dict[str, str] = {}
    measurements = props.get("measurements")
    if isinstance(measurements, list):
        measurements = {
            m.get("name"): m.get("value")
            for m in measurements
            if isinstance(m, dict) and isinstance(m.get("name"), str)
        }
    if isinstance(measurements, dict):
        for key, value in measurements.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                if isinstance(value, float) and not math.isfinite(value):
                    continue  # NaN: QuPath's "no value"
                out[str(key)] = json.dumps(value)
    metadata = props.get("metadata")
    if isinstance(metadata, dict):
        for key, value in metadata.items():
            if key != REVIEW_KEY and isinstance(value, str | int | float):
                out[str(key)] = value if isinstance(value, str) else json.dumps(value)
    return sorted(out.items())


def term_order(terms: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, colour) pairs in the export order: by name case-insensitively, then exactly."""
    return sorted(set(terms), key=lambda t: (t[0].casefold(), t[0], t[1]))


__all__ = ["REVIEW_KEY", "as_measurement", "imported_properties", "split_properties", "term_order"]
