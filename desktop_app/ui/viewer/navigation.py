"""Pure navigation rules: zoom limits, zoom about a point, pan, fit, magnification.

Kept free of widgets and events so the rules can be tested with plain values and
shared by the keyboard, the wheel, the menus and the minimap.
"""

from __future__ import annotations

from desktop_app.slide.source import SlideInfo
from desktop_app.ui.viewer.transform import ViewTransform

#: Objective magnifications offered as presets (View menu).
MAGNIFICATION_PRESETS: tuple[float, ...] = (1.25, 2.5, 5.0, 10.0, 20.0, 40.0)
#: How far beyond the scan's own resolution the user may zoom in.
MIN_DOWNSAMPLE = 0.125
#: A keyboard/wheel zoom step (one wheel notch = sqrt(2), i.e. two notches per level of 2x).
ZOOM_STEP = 2**0.5


def base_magnification(info: SlideInfo) -> float | None:
    """The objective power of level 0: from the file, else from mpp (0.25 um/px = 40x)."""
    if info.objective_power and info.objective_power > 0:
        return float(info.objective_power)
    mpp = info.mpp_x or info.mpp_y
    if mpp and mpp > 0:
        return 10.0 / mpp
    return None


def magnification(info: SlideInfo, downsample: float) -> float | None:
    base = base_magnification(info)
    return None if base is None else base / downsample


def downsample_for_magnification(info: SlideInfo, mag: float) -> float:
    """The downsample showing ``mag``; without metadata level 0 is assumed to be 40x."""
    base = base_magnification(info) or 40.0
    return base / mag


def fit_downsample(info: SlideInfo, width: int, height: int) -> float:
    return max(info.width / max(1, width), info.height / max(1, height))


def max_downsample(info: SlideInfo, width: int, height: int) -> float:
    """Zooming out stops once the whole slide is a quarter of the view."""
    return max(fit_downsample(info, width, height) * 4.0, MIN_DOWNSAMPLE)


def clamp(t: ViewTransform, info: SlideInfo) -> ViewTransform:
    """Keep the zoom within limits and the view centre on the slide."""
    ds = min(max(t.downsample, MIN_DOWNSAMPLE), max_downsample(info, t.width, t.height))
    cx = min(max(t.cx, 0.0), float(info.width))
    cy = min(max(t.cy, 0.0), float(info.height))
    return ViewTransform(cx, cy, ds, t.width, t.height)


def fit(info: SlideInfo, width: int, height: int) -> ViewTransform:
    return ViewTransform(
        info.width / 2, info.height / 2, fit_downsample(info, width, height), width, height
    )


def zoom_at(
    t: ViewTransform, info: SlideInfo, factor: float, vx: float, vy: float
) -> ViewTransform:
    """Multiply the downsample by ``factor`` keeping the image point under ``(vx, vy)`` fixed."""
    px, py = t.to_image(vx, vy)
    limited = clamp(t.centred(t.cx, t.cy, t.downsample * factor), info)
    ds = limited.downsample
    cx = px - (vx - t.width / 2) * ds
    cy = py - (vy - t.height / 2) * ds
    return clamp(t.centred(cx, cy, ds), info)


def pan(t: ViewTransform, info: SlideInfo, dvx: float, dvy: float) -> ViewTransform:
    """Move the content by ``(dvx, dvy)`` screen pixels (drag direction)."""
    return clamp(t.centred(t.cx - dvx * t.downsample, t.cy - dvy * t.downsample), info)
