"""The tiled whole-slide viewer: ``SlideView`` and its parts."""

from desktop_app.ui.viewer.adjustments import Adjustments
from desktop_app.ui.viewer.dimensions_bar import DimensionsBar
from desktop_app.ui.viewer.overlays import OverlayPainter
from desktop_app.ui.viewer.slide_view import SlideView
from desktop_app.ui.viewer.transform import ViewTransform

__all__ = ["Adjustments", "DimensionsBar", "OverlayPainter", "SlideView", "ViewTransform"]
