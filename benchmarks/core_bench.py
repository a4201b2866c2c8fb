"""Core benchmark (prints figures, asserts nothing): the pure hot paths.

1. QuPath GeoJSON: parse and write 100,000 detections (parse target < 3 s)
2. WKB decode + bounds of 2,000 annotations, the cache's viewport load (target ~1 ms)
3. freehand tool: a 5,000-sample stroke, press to created polygon

Usage: python benchmarks/core_bench.py [--features 100000] [--no-gc-pause]

``--no-gc-pause`` runs the GeoJSON figures with the cyclic GC left on (the parser
pauses it, ``core.geojson._gc_paused``): the difference is why it does.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import shapely

from desktop_app.core.geojson import parse_feature_collection, to_feature_collection
from desktop_app.core.geometry import bounds_many, from_wkb_many, to_wkb_many
from desktop_app.core.tools import FreehandTool
from desktop_app.core.tools.testing import drag, run


def detections(n: int) -> dict[str, object]:
    rng = np.random.default_rng(0)
    t = np.linspace(0, 2 * np.pi, 13) % (2 * np.pi)
    unit = np.column_stack((np.cos(t), np.sin(t))) * 6
    rings = (rng.uniform(0, 100_000, (n, 2))[:, None, :] + unit).round(2).tolist()
    props = {"objectType": "detection", "classification": {"name": "Tumor", "color": [200, 0, 0]}}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f"{i:08x}-0000-4000-8000-000000000000",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": props,
            }
            for i, ring in enumerate(rings)
        ],
    }


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", type=int, default=100_000)
    parser.add_argument("--no-gc-pause", action="store_true", help="leave the cyclic GC on")
    args = parser.parse_args()
    n = args.features
    if args.no_gc_pause:
        import contextlib

        import desktop_app.core.geojson as geojson

        geojson._gc_paused = contextlib.nullcontext  # type: ignore[assignment]

    fc = detections(n)
    text = json.dumps(fc)
    start = time.perf_counter()
    obj = json.loads(text)
    t_json = time.perf_counter() - start
    start = time.perf_counter()
    feats = parse_feature_collection(obj)
    t_parse = time.perf_counter() - start
    start = time.perf_counter()
    to_feature_collection(feats)
    t_write = time.perf_counter() - start
    print(
        f"geojson {n} features: json.loads {t_json:.2f} s, parse {t_parse:.2f} s, "
        f"write {t_write:.2f} s ({len(text) / 1e6:.0f} MB)"
    )

    geoms = [shapely.Point(i, i).buffer(10, quad_segs=8) for i in range(2000)]
    blobs = to_wkb_many(geoms)
    t_wkb = best_of(lambda: bounds_many(from_wkb_many(blobs)), 20)
    print(f"wkb decode + bounds, 2000 x 33-vertex polygons: {t_wkb * 1000:.2f} ms")

    t = np.linspace(0, 2 * np.pi, 5000)
    stroke = [(500 * np.cos(a), 500 * np.sin(a)) for a in t]
    events = drag(stroke)
    t_free = best_of(lambda: run(FreehandTool(), events), 3)
    print(f"freehand 5000-sample stroke (all events): {t_free * 1000:.0f} ms")


if __name__ == "__main__":
    main()
