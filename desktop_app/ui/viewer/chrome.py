"""The widgets floating over the slide: the minimap (top right), the scale bar (bottom left).

Chrome, not content: ``SlideView.render_to_image`` leaves both out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from desktop_app.ui.viewer.minimap import Minimap
from desktop_app.ui.viewer.scale_bar import ScaleBar
from desktop_app.ui.viewer.tile_layer import TileLayer
from desktop_app.ui.viewer.transform import ViewTransform

#: Distance of the chrome from the view's edges, in screen pixels.
MARGIN = 10


class ViewChrome:
    """The minimap and scale bar of one view; ``navigate(x, y)`` is a minimap click."""

    def __init__(self, view: QWidget, navigate: Callable[[float, float], None]) -> None:
        self._view = view
        self.minimap = Minimap(view)
        self.minimap.navigate.connect(navigate)
        self.scale_bar = ScaleBar(view)
        self.scale_bar.hide()

    def set_layer(self, layer: TileLayer | None) -> None:
        """The slide shown (``None``: nothing, and no chrome)."""
        self.minimap.set_layer(layer)
        self.minimap.setVisible(layer is not None)
        if layer is None:
            self.scale_bar.hide()
        else:
            self.place()

    def show_view(self, t: ViewTransform, layer: TileLayer | None) -> None:
        """The minimap's viewport and the scale bar's length follow the view."""
        self.minimap.set_viewport(t.visible_rect())
        info = layer.info if layer is not None else None
        mpp = (info.mpp_x or info.mpp_y) if info is not None else None
        self.scale_bar.set_um_per_screen_px(mpp * t.downsample if mpp else None)

    def place(self) -> None:
        """In the view's corners (after a resize)."""
        width, height = self._view.width(), self._view.height()
        self.minimap.move(width - self.minimap.width() - MARGIN, MARGIN)
        self.scale_bar.move(MARGIN, height - self.scale_bar.height() - MARGIN)
