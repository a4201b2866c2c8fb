"""The extension point for anything drawn over the slide (annotations, grids, heatmaps).

Overlays are painters over model data, as in QuPath's ``PathOverlay``: the view calls
each one after the tiles with the same transform it used for them, so an overlay never
needs to know about zoom levels, tiles or widgets.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtGui import QPainter

from desktop_app.ui.viewer.transform import ViewTransform


@runtime_checkable
class OverlayPainter(Protocol):
    """Draws over the tiles; ``visible_rect_level0`` is ``(x0, y0, x1, y1)`` in level-0 px.

    The painter's own transform is the identity (screen pixels); use
    ``view_transform.qtransform()`` to draw in level-0 coordinates instead.
    """

    def paint(
        self,
        painter: QPainter,
        view_transform: ViewTransform,
        visible_rect_level0: tuple[float, float, float, float],
    ) -> None: ...
