"""Drawing tools benchmark (offscreen): prints figures next to targets, asserts nothing.

    python benchmarks/tools_bench.py [--cache-dir DIR] [--moves N]

Figures (target in brackets):
  wand, one update while dragging: pointer move -> region computed on the wand lane ->
  the view repainted with it (tiles + overlays, 1600 x 1000), at two zooms     [< 50 ms]
  wand, UI-thread time per pointer move (the event filter only queues)        [< 2 ms]
  wand, release -> the new shape on screen (and, later, in the cache)          [< 50 ms]
  wand, a fast drag (a move every 8 ms, not waiting): moves per computed batch and
  the lag from the release to the shape on screen                              [< 50 ms]
  wand region alone (read pixels + grow + outline), on the worker               [info]
  measurement table of 10,000 annotations (what File > Export measurements and
  ``workstation measurements`` write)                                           [< 2 s]

The slide is the generated 40,000 x 32,000 SVS (JPEG tiles, tissue-like texture) the
other benches use; the view is 1600 x 1000 like the overlay bench's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from benchmarks.overlay_bench import SLIDE, VIEW, build, polygons, pump, window_for
from desktop_app.core.tools import RegionRequest, ToolMode
from desktop_app.core.wand import WandParams
from desktop_app.services.measurements import measurement_table
from desktop_app.slide.openslide_source import open_slide
from desktop_app.ui.annotations.wand_runner import WindowReader, compute_regions
from desktop_app.ui.environment import UI_SWITCH_INTERVAL_S


def report(name: str, figure: str, target: str) -> None:
    print(f"{name:<58} {figure:<44} [{target}]", flush=True)


def ms(values: list[float]) -> str:
    v = sorted(values)
    p95 = v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]
    return f"median {statistics.median(v) * 1e3:.1f} ms, p95 {p95 * 1e3:.1f}, max {v[-1] * 1e3:.1f}"


def mouse(kind: QEvent.Type, x: float, y: float, held: bool) -> QMouseEvent:
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    return QMouseEvent(
        kind, QPointF(x, y), QPointF(x, y), button, buttons, Qt.KeyboardModifier.NoModifier
    )


def wand_drag(app: QApplication, wb, view, moves: int, wait: bool) -> tuple[list, list, float, int]:
    """One drag across the view centre; returns (update latencies, UI times, release lag,
    batches)."""
    cx, cy = VIEW[0] / 2 - 200, VIEW[1] / 2
    batches = 0
    original = wb.tools.wand.lane.submit

    def counting(*a, **k):
        nonlocal batches
        batches += 1
        return original(*a, **k)

    wb.tools.wand.lane.submit = counting
    latencies, ui_times = [], []
    app.sendEvent(view, mouse(QEvent.Type.MouseButtonPress, cx, cy, True))
    pump(app, lambda: not wb.tools.wand.busy)
    for i in range(1, moves + 1):
        x = cx + i * 6.0
        t0 = time.perf_counter()
        app.sendEvent(view, mouse(QEvent.Type.MouseMove, x, cy + 10 * np.sin(i / 5), True))
        ui_times.append(time.perf_counter() - t0)
        if wait:
            pump(app, lambda: not wb.tools.wand.busy)
            view.repaint()
            latencies.append(time.perf_counter() - t0)
        else:
            t_end = time.perf_counter() + 0.008
            while time.perf_counter() < t_end:
                app.processEvents()
    t0 = time.perf_counter()
    changes = wb.session.changes
    app.sendEvent(view, mouse(QEvent.Type.MouseButtonRelease, cx + moves * 6.0, cy, False))
    pump(app, lambda: not wb.tools.wand.busy and not wb.tools.tool.busy)
    view.repaint()  # the shape is on screen ("pending") from here, before the cache has it
    lag = time.perf_counter() - t0
    pump(app, lambda: wb.session.changes > changes)
    stored = time.perf_counter() - t0
    wb.tools.wand.lane.submit = original
    return latencies, ui_times, (lag, stored), batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--moves", type=int, default=60)
    args = parser.parse_args()
    cache_dir = args.cache_dir or Path(tempfile.mkdtemp(prefix="tools_bench_"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    sys.setswitchinterval(UI_SWITCH_INTERVAL_S)  # as the app does
    app = QApplication.instance() or QApplication([])
    geoms = polygons(10_000, 30, (0, 0, SLIDE[0], SLIDE[1]), 120.0)
    store, user_pk, image_pk, _ = build(cache_dir, "tools_bench", geoms)
    slide = cache_dir / "overlay_slide.svs"
    window, wb = window_for(app, store, user_pk, slide)  # type: ignore[arg-type]
    view = window.view
    wb.set_image(image_pk)
    pump(app, lambda: wb.session.state is not None and not wb.session.busy)
    print(f"view {view.width()} x {view.height()}, slide {SLIDE[0]:,} x {SLIDE[1]:,}")
    wb.set_tool(ToolMode.WAND)
    for ds in (2.0, 8.0):
        view.goto(SLIDE[0] * 0.45, SLIDE[1] * 0.5, ds)
        pump(app, view.is_fully_loaded)
        pump(app, lambda: not wb.session.busy)
        t0 = time.perf_counter()
        for _ in range(10):
            view.repaint()
        paint = (time.perf_counter() - t0) / 10
        lat, ui, lag, _ = wand_drag(app, wb, view, args.moves, wait=True)
        report(f"  (a frame without the wand: {paint * 1e3:.1f} ms)", "", "info")
        report(f"wand update, move -> drawn (1:{ds:g})", ms(lat), "< 50 ms")
        report(f"wand UI-thread time per move (1:{ds:g})", ms(ui), "< 2 ms")
        report(
            f"wand release -> shape drawn (1:{ds:g})",
            f"{lag[0] * 1e3:.1f} ms; in the cache after {lag[1] * 1e3:.0f} ms",
            "< 50 ms",
        )
        _, ui, lag, batches = wand_drag(app, wb, view, args.moves, wait=False)
        report(
            f"wand fast drag, move every 8 ms (1:{ds:g})",
            f"{args.moves} moves in {batches} batches; release -> drawn {lag[0] * 1e3:.0f} ms",
            "< 50 ms",
        )
    source = open_slide(slide)
    times = []
    for i in range(40):
        req = RegionRequest(SLIDE[0] * 0.45 + i * 37.0, SLIDE[1] * 0.5, 4.0, 2.0)
        t0 = time.perf_counter()
        compute_regions(WindowReader(source, None, 149), WandParams(), [req])
        times.append(time.perf_counter() - t0)
    report("wand region alone, pixels read for it (1:4)", ms(times), "info")
    source.close()
    t0 = time.perf_counter()
    table = measurement_table(store, [image_pk])
    took = time.perf_counter() - t0
    report("measurement table", f"{len(table.rows):,} rows in {took:.2f} s", "< 2 s")
    window.close()
    store.close()


if __name__ == "__main__":
    main()
