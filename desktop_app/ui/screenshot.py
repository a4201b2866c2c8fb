"""``workstation open --screenshot``: one view of a slide rendered to a PNG, no window.

The viewer is the real :class:`SlideView`, with the cached annotations drawn as in the
app; the PNG is written only when every visible tile is at the resolution wanted for
the downsample, so it is never a half-loaded view.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QSize, QTimer

from desktop_app.slide.cache import TileCache
from desktop_app.slide.source import SlideSource
from desktop_app.ui.viewer import SlideView
from desktop_app.ui.viewer.overlays import OverlayPainter

SCREENSHOT_TIMEOUT_S = 120.0
#: Qt's PNG "quality" maps 0-100 onto zlib levels 9-0: 80 is level 1.  The default
#: (level 6) spent 355 ms of CPU on a 1600x1000 view (RGBA), level 1 on the opaque
#: RGB image 77 ms, for a file 8 % smaller than the RGBA one.
PNG_QUALITY = 80


def cached_annotations(store: Any, image_pk: int) -> OverlayPainter:
    """The overlay of a cached image's annotations."""
    # heavy (SQLAlchemy models, the annotation stack: ~0.6 s of a ~2.4 s start -> PNG):
    # loaded only for a slide the cache knows, never for a screenshot of a plain file
    from desktop_app.services.annotations import AnnotationService
    from desktop_app.services.ontology import term_tree
    from desktop_app.services.workspace import Workspace
    from desktop_app.ui.annotations.layer_data import Display
    from desktop_app.ui.annotations.snapshot import StaticAnnotationOverlay

    workspace = Workspace(store)
    service = AnnotationService(store, image_pk, workspace.local_user().pk)
    ontology = workspace.project_ontology(service.project_pk)
    terms = term_tree(store, ontology) if ontology is not None else []
    display = Display(colors={t.pk: t.color for t in terms}, term_order=tuple(t.pk for t in terms))
    return StaticAnnotationOverlay(service, display)


def render_png(
    source: SlideSource,
    cache: TileCache,
    goto: tuple[float, float, float] | None,
    size: tuple[int, int],
    out_png: str | Path,
    overlay: OverlayPainter | None = None,
) -> int:
    """Load ``source`` into an offscreen viewer at ``goto`` (default: fitted), wait until
    every visible tile is final, and write exactly the view to ``out_png``.

    Needs a QApplication.  Errors are one line on stderr and a non-zero return.
    """
    view = SlideView(cache)
    try:
        view.resize(*size)
        if overlay is not None:
            view.add_overlay(overlay)
        view.set_source(source)
        if goto is not None:
            view.goto(*goto)
        errors: list[str] = []
        if not view.is_fully_loaded():
            loop = QEventLoop()
            view.fully_loaded.connect(loop.quit)

            def failed(message: str) -> None:
                errors.append(message)
                loop.quit()

            view.tile_failed.connect(failed)
            QTimer.singleShot(int(SCREENSHOT_TIMEOUT_S * 1000), loop.quit)
            loop.exec()
        if errors:
            print(f"workstation: {errors[0]}", file=sys.stderr)
            return 1
        if not view.is_fully_loaded():
            print("workstation: timed out waiting for slide tiles", file=sys.stderr)
            return 1
        image = view.render_to_image(QSize(*size))  # opaque RGB32: no alpha in the PNG
        # PySide6 takes the format as str at run time; its stubs say bytes.
        if not image.save(str(out_png), "PNG", PNG_QUALITY):  # type: ignore[call-overload]
            print(f"workstation: cannot write {out_png}", file=sys.stderr)
            return 1
        return 0
    finally:
        view.close_source()
        view.deleteLater()
