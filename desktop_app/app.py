"""Composition root: the only place that builds and wires the application's parts.

``run_gui`` starts the desktop window; ``screenshot`` renders one view of a slide to a
PNG without any window chrome (used by ``workstation open --screenshot``).  Both check
for a display first, because Qt aborts the process -- with a core dump and no useful
message -- when it cannot connect to one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from desktop_app.config import Settings

NO_DISPLAY_MESSAGE = (
    "workstation: no display available (DISPLAY/WAYLAND_DISPLAY unset); "
    "run under a desktop session, Xvfb, or set QT_QPA_PLATFORM=offscreen"
)
#: Qt platform plugins that need no display server.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs"})
SCREENSHOT_TIMEOUT_S = 120.0
UI_SWITCH_INTERVAL_S = 0.0005


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


def _application():  # type: ignore[no-untyped-def]  # QApplication, imported lazily
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.qt_compat import protect_none_refcount

    protect_none_refcount()
    # Tile workers hold the GIL between decodes; Python's default 5 ms switch interval
    # lets them stall the UI thread for several ms after each Qt call that releases it.
    sys.setswitchinterval(UI_SWITCH_INTERVAL_S)

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "workstation"])
        app.setApplicationName("Slide workstation")
    return app


def run_gui(
    settings: Settings,
    *,
    slide_path: str | None = None,
    goto: tuple[float, float, float] | None = None,
    on_open: Callable[[Path], object] | None = None,
    recent_files: Callable[[], list[Path]] | None = None,
) -> int:
    """Show the main window (optionally opening ``slide_path`` at ``goto``); exit code."""
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    from desktop_app.slide.cache import TileCache
    from desktop_app.slide.openslide_source import open_slide
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.viewer import SlideView

    app = _application()
    view = SlideView(TileCache(settings.tile_cache_bytes))
    window = MainWindow(view, open_slide, recent_files=recent_files, on_open=on_open)
    window.resize(1400, 900)
    window.show()
    if slide_path:
        window.open_path(Path(slide_path), goto=goto)
    return int(app.exec())


def screenshot(
    settings: Settings,
    slide_path: str | Path,
    goto: tuple[float, float, float] | None,
    size: tuple[int, int],
    out_png: str | Path,
) -> int:
    """Render ``slide_path`` at ``goto`` (default: fitted) in a ``size`` view to a PNG.

    Waits until every visible tile is loaded at the resolution wanted for the
    downsample, so the PNG is final, never a half-loaded view.  Errors are one line on
    stderr and a non-zero return.
    """
    if not display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from desktop_app.slide.cache import TileCache
    from desktop_app.slide.openslide_source import open_slide
    from desktop_app.slide.source import SlideError

    try:
        source = open_slide(Path(slide_path))
    except SlideError as exc:
        print(f"workstation: {exc}", file=sys.stderr)
        return 1
    try:
        return _render_png(source, TileCache(settings.tile_cache_bytes), goto, size, out_png)
    finally:
        source.close()


def _render_png(source, cache, goto, size, out_png) -> int:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEventLoop, QSize, QTimer

    from desktop_app.ui.viewer import SlideView

    _application()
    view = SlideView(cache)
    try:
        view.resize(*size)
        view.set_source(source)
        if goto is not None:
            view.goto(*goto)
        errors: list[str] = []
        if not view.is_fully_loaded():
            loop = QEventLoop()
            view.fully_loaded.connect(loop.quit)
            view.tile_failed.connect(lambda message: (errors.append(message), loop.quit()))
            QTimer.singleShot(int(SCREENSHOT_TIMEOUT_S * 1000), loop.quit)
            loop.exec()
        if errors:
            print(f"workstation: {errors[0]}", file=sys.stderr)
            return 1
        if not view.is_fully_loaded():
            print("workstation: timed out waiting for slide tiles", file=sys.stderr)
            return 1
        image = view.render_to_image(QSize(*size))
        if not image.save(str(out_png), "PNG"):
            print(f"workstation: cannot write {out_png}", file=sys.stderr)
            return 1
        return 0
    finally:
        view.close_source()
        view.deleteLater()
