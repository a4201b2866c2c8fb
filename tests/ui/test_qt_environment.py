"""The application's Qt process settings, checked in a fresh process (they only take
effect before the ``QApplication`` exists)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PAINT_AND_LIST_THREADS = """
import os
from desktop_app.app import _application
app = _application()
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QImage, QPainter, QRegion
src = QImage(97, 78, QImage.Format.Format_RGB32)
src.fill(0xFF336699)
out = QImage(1600, 1000, QImage.Format.Format_RGB32)
for _ in range(5):  # large scaled draws into a region: what Qt splits over its pool
    p = QPainter(out)
    p.setClipRegion(QRegion(QRect(0, 0, 900, 700)) + QRegion(QRect(800, 300, 800, 700)))
    p.drawImage(QRectF(-3.5, -2.5, 1700.2, 1100.7), src, QRectF(src.rect()))
    p.end()
names = []
for tid in os.listdir("/proc/self/task"):
    with open(f"/proc/self/task/{tid}/comm") as f:
        names.append(f.read().strip())
print(sum(name.startswith("Thread (pooled)") for name in names))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_qt_paints_on_the_ui_thread_only() -> None:
    """Qt's GUI thread pool is off: a paint never waits for pool threads that, on a
    busy 2-core machine, first have to get a core (docs/performance-history.md, issue 16)."""
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run(
        [sys.executable, "-c", PAINT_AND_LIST_THREADS],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "0"


COUNT_STOLEN_REFERENCES = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
before = sys.getrefcount(None)
for _ in range(20000):
    w.setEnabled(True)  # a void C++ call: returns None
none_lost = before - sys.getrefcount(None)
class O(QObject):
    s = Signal()
o = O()
before = sys.getrefcount(True) + sys.getrefcount(False)
for _ in range(20000):
    o.s.emit()  # returns a bool
bools_lost = before - sys.getrefcount(True) - sys.getrefcount(False)
print(none_lost, bools_lost)
"""


def test_the_binding_keeps_none_and_bools_referenced() -> None:
    """The pinned PySide6 takes a reference to every ``None``/``True``/``False`` it
    returns (6.12.0 on CPython 3.11 does not, and the process aborts with
    ``none_dealloc`` after a few seconds of painting: pyproject.toml pins it out)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", COUNT_STOLEN_REFERENCES],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    none_lost, bools_lost = (int(v) for v in out.stdout.split())
    assert abs(none_lost) < 100 and abs(bools_lost) < 100, out.stdout
