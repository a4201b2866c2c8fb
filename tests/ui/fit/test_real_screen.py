"""The real window (app.build_gui) on a fixed-size screen in its own process: it fits
the 1000-px screen of the report, and review mode does not grow it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("WORKSTATION_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "workstation-screenshots"
)


def run_on_screen(tmp_path: Path, width: int, height: int, shots: Path) -> dict[str, list[int]]:
    config = tmp_path / "screen.json"
    screen = {"name": "s", "x": 0, "y": 0, "width": width, "height": height,
              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}  # fmt: skip
    config.write_text(json.dumps({"screens": [screen]}))
    shots.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "PYTHONPATH": str(ROOT),
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.fit.screen_script", str(tmp_path / "data"), str(shots)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_window_fits_the_screen_in_and_after_review_mode(tmp_path: Path) -> None:
    """The screen of the report: 1000 px high (the window grew to 1400 x 1048 on it)."""
    width, height = 1280, 1000
    steps = run_on_screen(tmp_path, width, height, SHOTS / "screen-1280x1000")
    x0, y0, w0, h0 = steps["screen"]
    assert (w0, h0) == (width, height)
    for step in ("start", "review", "after"):
        x, y, w, h = steps[step]
        assert x >= x0 and y >= y0 and x + w <= x0 + w0 and y + h <= y0 + h0, (step, steps)
    assert steps["review"] == steps["start"] == steps["after"]
