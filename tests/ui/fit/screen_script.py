"""Run by test_real_screen.py in a fresh process whose Qt screen has a fixed size.

``python -m tests.ui.fit.screen_script DATA_DIR SHOTS_DIR``: builds the real window
(``app.build_gui``), opens a generated slide with a few annotations, enters and leaves
review mode, shows the statistics, and prints one JSON line with the screen's available
geometry and the window's frame at each step; screenshots go to SHOTS_DIR.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import shapely

from desktop_app.app import build_gui
from desktop_app.config import Settings
from desktop_app.slide.synth import write_slide


def rect(r: Any) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def main(data_dir: Path, shots: Path) -> None:
    slide = write_slide(data_dir / "screen.svs", 3000, 2200, seed=3)
    gui = build_gui(Settings(data_dir=data_dir), show_home=False)
    app, window, wb = gui.app, gui.window, gui.workbench

    def wait_for(check: Any, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while not check():
            if time.monotonic() > end:
                raise TimeoutError(check)
            app.processEvents()
            time.sleep(0.01)

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    steps: dict[str, Any] = {"screen": rect(window.screen().availableGeometry())}
    window.open_path(slide)
    wait_for(lambda: wb.session.service is not None)
    service = wb.session.service
    terms = [t.pk for t in wb.session.terms] or [None]
    for i in range(6):
        x = 300 + 380 * i
        term = [terms[i % len(terms)]] if terms[0] is not None else []
        service.create(shapely.box(x, 500, x + 250, 700 + 60 * i), term)
    settle(1.5)
    steps["start"] = rect(window.frameGeometry())
    window.grab().save(str(shots / "window.png"))
    gui.review.toggle_action.setChecked(True)
    wait_for(lambda: gui.review.session is not None)
    settle(1.0)
    steps["review"] = rect(window.frameGeometry())
    window.grab().save(str(shots / "review-mode.png"))
    gui.review.toggle_action.setChecked(False)
    settle()
    steps["after"] = rect(window.frameGeometry())
    wb.statistics_panel.show()
    wb.statistics_panel.raise_()
    settle(1.5)
    wb.statistics_panel.grab().save(str(shots / "statistics-dock.png"))
    window.statusBar().grab().save(str(shots / "status-bar.png"))
    steps["minimum"] = [window.minimumSizeHint().width(), window.minimumSizeHint().height()]
    print(json.dumps(steps), flush=True)
    gui.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
