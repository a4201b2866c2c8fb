"""The wand's region requests, answered off the UI thread.

Each pointer position the wand asks about becomes a job on a dedicated lane: read the
pixels the view shows around it (the level the viewer draws at that zoom, sampled at
the view's downsample, through the same brightness/contrast/gamma table), grow the
region (``desktop_app.core.wand``) and hand the geometry back to the tool on the UI
thread. Requests that pile up while a job runs are answered together by the next job
(their regions unioned), so a fast drag never falls behind; a release waits for the
requests made before it, then goes to the tool.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import shapely
from PySide6.QtCore import QObject
from shapely.geometry.base import BaseGeometry

from desktop_app.core.tools import RegionRequest, ToolResult, WandTool
from desktop_app.core.wand import PixelWindow, WandParams, wand_region, window_bounds
from desktop_app.slide import tiling
from desktop_app.slide.source import SlideSource
from desktop_app.ui.lanes import Lane

LUT = npt.NDArray[np.uint8]


def read_window(
    source: SlideSource, x: float, y: float, downsample: float, lut: LUT | None, size: int
) -> PixelWindow:
    """The ``size`` x ``size`` screen pixels around level-0 (x, y) as the view shows them."""
    info = source.info
    level = tiling.best_level(info, downsample)
    lds = info.level_downsamples[level]
    lw, lh = info.level_dimensions[level]
    x0, y0 = window_bounds(x, y, downsample, size)
    centres = (np.arange(size) + 0.5) * downsample
    cols = np.floor((x0 + centres) / lds).astype(np.int64)
    rows = np.floor((y0 + centres) / lds).astype(np.int64)
    inside_c = (cols >= 0) & (cols < lw)
    inside_r = (rows >= 0) & (rows < lh)
    rgb = np.zeros((size, size, 3), dtype=np.uint8)
    valid = np.zeros((size, size), dtype=bool)
    if inside_c.any() and inside_r.any():
        c0, c1 = int(cols[inside_c].min()), int(cols[inside_c].max())
        r0, r1 = int(rows[inside_r].min()), int(rows[inside_r].max())
        region = source.read_region(level, int(c0 * lds), int(r0 * lds), c1 - c0 + 1, r1 - r0 + 1)
        cc = np.clip(cols - c0, 0, c1 - c0)
        rr = np.clip(rows - r0, 0, r1 - r0)
        sample = region[rr][:, cc]
        pixels = sample[..., :3] if lut is None else lut[sample[..., :3]]
        rgb[:] = pixels
        valid = (sample[..., 3] > 0) & inside_r[:, None] & inside_c[None, :]
    return PixelWindow(rgb, float(x0), float(y0), float(downsample), valid)


#: Of requests that piled up while a job ran, only the newest and those at least this
#: many screen pixels from the previously computed one are computed. A blocked UI thread
#: in QuPath gets the same effect from the window system coalescing mouse moves; the
#: analysed squares (149 px) overlap so much that the skipped positions add little, and
#: a fast drag stays within one job of the pointer.
THIN_SCREEN_PX = 48.0


def thin(
    requests: list[RegionRequest],
    after: RegionRequest | None = None,
    spacing_px: float = THIN_SCREEN_PX,
) -> list[RegionRequest]:
    """The requests worth computing: the last one, and earlier ones at least
    ``spacing_px`` screen pixels from the previously kept one (starting from ``after``,
    the last request already computed)."""
    if not requests:
        return []
    kept: list[RegionRequest] = []
    last = after
    for req in requests[:-1]:
        if (
            last is None
            or math.hypot(req.x - last.x, req.y - last.y) >= spacing_px * req.downsample
        ):
            kept.append(req)
            last = req
    kept.append(requests[-1])
    return kept


class WindowReader:
    """Reads windows for one drag, from a cached block of the slide twice a window's
    size: consecutive positions of a drag mostly fall inside it, so OpenSlide decodes
    each tile once per drag instead of once per position."""

    def __init__(self, source: SlideSource, lut: LUT | None, size: int) -> None:
        self.source, self.lut, self.size = source, lut, size
        self._block: tuple[float, float, float, PixelWindow] | None = None

    def window(self, x: float, y: float, downsample: float) -> PixelWindow:
        n = self.size
        x0, y0 = window_bounds(x, y, downsample, n)
        block = self._block
        if block is not None and block[2] == downsample:
            bx, by, _, win = block
            c, r = int(round((x0 - bx) / downsample)), int(round((y0 - by) / downsample))
            if 0 <= c <= win.rgb.shape[1] - n and 0 <= r <= win.rgb.shape[0] - n:
                valid = None if win.valid is None else win.valid[r : r + n, c : c + n]
                rgb = win.rgb[r : r + n, c : c + n]
                return PixelWindow(rgb, bx + c * downsample, by + r * downsample, downsample, valid)
        big = read_window(self.source, x, y, downsample, self.lut, 2 * n)
        self._block = (big.x0, big.y0, downsample, big)
        return self.window(x, y, downsample)


def compute_regions(
    reader: WindowReader,
    params: WandParams,
    requests: list[RegionRequest],
    painted: BaseGeometry | None = None,
) -> BaseGeometry | None:
    """``painted`` grown by the regions for ``requests`` (run on the wand lane)."""
    found = [] if painted is None else [painted]
    for req in requests:
        window = reader.window(req.x, req.y, req.downsample)
        region = wand_region(window, req.x, req.y, params.with_sensitivity(req.sensitivity))
        if region is not None:
            found.append(region)
    if not found:
        return None
    return found[0] if len(found) == 1 else shapely.union_all(found)


class WandRunner(QObject):
    """Feeds one :class:`WandTool`'s requests through a lane, in order, coalesced."""

    def __init__(
        self,
        source: Callable[[], SlideSource | None],
        lut: Callable[[], LUT | None],
        on_result: Callable[[ToolResult], object],
        parent: QObject | None = None,
        params: WandParams | None = None,
    ) -> None:
        super().__init__(parent)
        self.lane = Lane("wand", self)
        self.params = params or WandParams()
        self._source = source
        self._lut = lut
        self._on_result = on_result
        self._queue: list[RegionRequest] = []
        self._last: RegionRequest | None = None
        self._reader: WindowReader | None = None
        self._running = False
        self._deferred: Callable[[], object] | None = None
        self._tool: WandTool | None = None

    @property
    def busy(self) -> bool:
        return self._running or bool(self._queue)

    def request(self, tool: WandTool, req: RegionRequest) -> None:
        self._tool = tool
        self._queue.append(req)
        self._pump()

    def after_pending(self, fn: Callable[[], object]) -> bool:
        """Run ``fn`` once every request so far is answered; False = nothing pending
        (the caller runs it now)."""
        if not self.busy:
            return False
        self._deferred = fn
        return True

    def forget(self) -> None:
        """Drop queued requests and any deferred release (a new stroke, the tool changed
        or cancelled); the next stroke reads fresh pixels."""
        self._queue.clear()
        self._deferred = None
        self._tool = None
        self._last, self._reader = None, None

    def _pump(self) -> None:
        source = self._source()
        if self._running or not self._queue or source is None:
            return
        batch, self._queue = thin(self._queue, self._last), []
        self._last = batch[-1]
        if self._reader is None or self._reader.source is not source:
            self._reader = WindowReader(source, self._lut(), self.params.window_px)
        self._running = True
        painted = self._tool.painted if self._tool is not None else None
        self.lane.submit(
            compute_regions,
            self._reader,
            self.params,
            batch,
            painted,
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, region: BaseGeometry | None) -> None:
        self._running = False
        tool = self._tool
        if tool is not None and tool.busy:
            self._on_result(tool.add_region(region, merged=True))
        if self._queue:
            self._pump()
        elif self._deferred is not None:
            fn, self._deferred = self._deferred, None
            fn()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self._queue.clear()
        self._on_result(ToolResult(error=f"Wand: cannot read the slide here ({exc})."))
        if self._deferred is not None:
            fn, self._deferred = self._deferred, None
            fn()

    def shutdown(self) -> None:
        self.lane.shutdown()
