"""Writing an exported FeatureCollection to the file the user named.

The write goes through a sibling temporary file that replaces the target only once it
is complete, so a full disk never leaves a truncated export behind.  That temporary
name is an implementation detail: every refusal is worded about the path the user
gave (a folder, a missing folder, no permission), never about the temporary file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

EXAMPLE_NAME = "annotations.geojson"


class ExportPathError(ValueError):
    """The export cannot be written where the user asked; the message says why."""


def write_feature_collection(path: Path, collection: dict[str, Any]) -> int:
    """Write ``collection`` to ``path`` atomically; returns the number of features."""
    path = Path(path)
    if path.is_dir():
        raise ExportPathError(f"{path} is a folder; give a file name such as {path / EXAMPLE_NAME}")
    if not path.parent.is_dir():
        raise ExportPathError(f"cannot write {path}: the folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        tmp.write_text(json.dumps(collection), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportPathError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(collection.get("features", ()))
