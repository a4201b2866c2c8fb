"""Pure domain logic: stdlib, numpy and shapely only (enforced by import-linter).

- :mod:`~desktop_app.core.geometry` — validation/repair, simplification, measurement,
  Cytomine y-up wire conversion, bulk WKB helpers (level-0 px, y down everywhere else).
- :mod:`~desktop_app.core.tools` — Qt-free drawing/editing tool state machines.
- :mod:`~desktop_app.core.geojson` — QuPath GeoJSON import/export.
- :mod:`~desktop_app.core.terms` — 1-9 term shortcuts with toggle semantics.
- :mod:`~desktop_app.core.review` — the review state machine.
"""

from desktop_app.core.geometry import GeometryError, parse_wkt, validate

__all__ = ["GeometryError", "parse_wkt", "validate"]
