"""Where the desktop app can run, and the Qt environment it sets before starting.

Kept free of Qt imports: commands check for a display (and benchmarks set the same
environment) before anything loads Qt, which aborts the process when it finds no display.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping

NO_DISPLAY_MESSAGE = (
    "workstation: no display available (DISPLAY/WAYLAND_DISPLAY unset); "
    "run under a desktop session or Xvfb (xvfb-run workstation ...); "
    "`workstation open SLIDE --screenshot OUT.png` needs no display"
)
#: Qt platform plugins that need no display server.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs"})
UI_SWITCH_INTERVAL_S = 0.0005
#: Set (unless the user set them) before the ``QApplication`` exists.
#: ``QT_NO_GUI_THREADPOOL``: Qt's raster engine otherwise splits large fills and image
#: draws over a pool of one thread per core and *waits* for them.  On 2 cores beside
#: the tile decoder that tripled the process CPU per delivered tile while panning
#: (9.7 vs 3.4 ms, the pool's two threads using more CPU than the UI thread itself),
#: and on a busy machine every such paint waited for two more threads to get a core.
QT_ENVIRONMENT = (("QT_NO_GUI_THREADPOOL", "1"),)


def configure_qt_environment(environ: MutableMapping[str, str] = os.environ) -> None:
    """Apply ``QT_ENVIRONMENT`` (call before the ``QApplication`` is created)."""
    for name, value in QT_ENVIRONMENT:
        environ.setdefault(name, value)


def display_available(
    environ: Mapping[str, str] = os.environ, platform: str = sys.platform
) -> bool:
    """False when Qt would fail to connect to a display (Linux without X11/Wayland)."""
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if qpa in HEADLESS_PLATFORMS:
        return True
    if not platform.startswith("linux"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))
