"""Events, results and the base class shared by every drawing/editing tool.

A tool is a small state machine that never sees a Qt object: the viewer converts each
``QMouseEvent`` to a :class:`PointerEvent` in level-0 image pixels (y down) and forwards
it; the tool answers with a :class:`ToolResult` carrying the preview to draw and, when a
gesture is finished, a :class:`ToolOutput` describing the edit. The UI turns outputs into
commands (undo, cache, outbox); tools never mutate anything themselves, which is what
makes them testable with synthetic event sequences (napari/QuPath pattern).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from shapely.geometry.base import BaseGeometry

from desktop_app.core.geometry import GeometryError, validate

Pk = Hashable
"""Annotation key as the UI knows it (the cache's local integer key in practice)."""

Rect = tuple[float, float, float, float]
"""``(minx, miny, maxx, maxy)`` in level-0 pixels."""


class PointerKind(enum.StrEnum):
    PRESS = "press"
    MOVE = "move"
    RELEASE = "release"
    DOUBLE_CLICK = "double_click"


class Button(enum.StrEnum):
    NONE = "none"
    LEFT = "left"
    RIGHT = "right"
    MIDDLE = "middle"


class Mod(enum.Flag):
    """Keyboard modifiers held during a pointer event (maps 1:1 onto Qt's)."""

    NONE = 0
    SHIFT = enum.auto()
    CTRL = enum.auto()
    ALT = enum.auto()


@dataclass(frozen=True, slots=True)
class PointerEvent:
    """One pointer event in level-0 image pixels.

    ``downsample`` is level-0 pixels per *screen* pixel at the time of the event; tools
    use it to turn screen-space tolerances (click slop, hit radius, simplification) into
    image space, so behaviour feels identical at every zoom level.
    """

    kind: PointerKind
    x: float
    y: float
    button: Button = Button.LEFT
    modifiers: Mod = Mod.NONE
    downsample: float = 1.0

    @property
    def shift(self) -> bool:
        return bool(self.modifiers & Mod.SHIFT)

    @property
    def ctrl(self) -> bool:
        return bool(self.modifiers & Mod.CTRL)

    @property
    def alt(self) -> bool:
        return bool(self.modifiers & Mod.ALT)


@dataclass(frozen=True, slots=True)
class KeyEvent:
    """A key press; ``key`` is one of "Enter", "Escape", "Backspace", "Delete" (others ignored)."""

    key: str
    modifiers: Mod = Mod.NONE


# --- outputs ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Create:
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class Select:
    """Replace the selection with ``pks`` (``add=False``) or add them to it (``add=True``)."""

    pks: tuple[Pk, ...]
    add: bool = False


@dataclass(frozen=True, slots=True)
class Move:
    pks: tuple[Pk, ...]
    dx: float
    dy: float


@dataclass(frozen=True, slots=True)
class EditVertices:
    pk: Pk
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class Delete:
    pks: tuple[Pk, ...]


@dataclass(frozen=True, slots=True)
class Correct:
    pk: Pk
    new_geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class Split:
    """Cut the polygonal annotation ``pk`` along ``line`` into its pieces."""

    pk: Pk
    line: BaseGeometry


@dataclass(frozen=True, slots=True)
class CountPoint:
    """Add a point to the counting multi-point of the active term (created when missing)."""

    x: float
    y: float


ToolOutput = Create | Select | Move | EditVertices | Delete | Correct | Split | CountPoint


@dataclass(frozen=True, slots=True)
class RegionRequest:
    """A tool asks for the wand region at level-0 (x, y), seen at ``downsample``.

    Region growing reads pixels and costs milliseconds, so the tool never computes it:
    the UI does, off the UI thread, and hands the geometry back with
    ``WandTool.add_region`` (tests do it synchronously, see ``testing.run_wand``).
    """

    x: float
    y: float
    downsample: float
    sensitivity: float


@dataclass(frozen=True, slots=True)
class ToolResult:
    """What the UI does after forwarding an event.

    ``preview`` is the *complete* current overlay (``None`` = draw nothing), not a delta.
    ``output`` is set once, when a gesture finishes. ``error`` is a user-facing message
    (e.g. a refused geometry) to show in the status bar; it is never raised. ``consumed``
    is false when the tool ignored the event, so the view may use it (e.g. to pan).
    ``request`` asks the UI for a wand region; ``info`` is a measurement to show (the
    ruler's length) beside the preview and in the status bar.
    """

    preview: BaseGeometry | None = None
    output: ToolOutput | None = None
    error: str | None = None
    consumed: bool = True
    request: RegionRequest | None = None
    info: str | None = None


IGNORED = ToolResult(consumed=False)


# --- collaborators -------------------------------------------------------------------


@runtime_checkable
class HitTester(Protocol):
    """Read access to the annotations in view; the UI backs it with the cache's R*Tree."""

    def hit(self, x: float, y: float, tolerance: float) -> Pk | None:
        """The topmost/smallest annotation within ``tolerance`` level-0 px of (x, y)."""
        ...

    def in_rect(self, rect: Rect) -> Sequence[Pk]:
        """Annotations intersecting the rectangle."""
        ...

    def geometry(self, pk: Pk) -> BaseGeometry | None: ...


class NoHits:
    """A HitTester over nothing, for drawing tools and empty layers."""

    def hit(self, x: float, y: float, tolerance: float) -> Pk | None:
        return None

    def in_rect(self, rect: Rect) -> list[Pk]:
        return []

    def geometry(self, pk: Pk) -> BaseGeometry | None:
        return None


@dataclass(frozen=True, slots=True)
class ToolSettings:
    """Screen-pixel tolerances (multiplied by the event's downsample when used)."""

    min_drag_screen_px: float = 3.0
    hit_tolerance_screen_px: float = 5.0
    handle_tolerance_screen_px: float = 6.0
    simplify_screen_px: float = 1.0
    close_polygon_screen_px: float = 8.0
    min_stroke_points: int = 3
    max_vertices: int = 2000
    circle_segments: int = 64
    brush_radius_screen_px: float = 12.0
    wand_sensitivity: float = 2.0


def _no_selection() -> tuple[Pk, ...]:
    return ()


def _no_pixel_size() -> tuple[float, float] | None:
    return None


@dataclass(slots=True)
class ToolContext:
    """What a tool may read from the outside world: hit-testing and the current selection."""

    hits: HitTester = field(default_factory=NoHits)
    selection: Callable[[], tuple[Pk, ...]] = _no_selection
    settings: ToolSettings = field(default_factory=ToolSettings)
    pixel_size: Callable[[], tuple[float, float] | None] = _no_pixel_size
    """µm per level-0 pixel (x, y) of the current image, None when unknown (ruler)."""


# --- the protocol and a do-nothing base ----------------------------------------------


class Tool(Protocol):
    def press(self, ev: PointerEvent) -> ToolResult: ...
    def move(self, ev: PointerEvent) -> ToolResult: ...
    def release(self, ev: PointerEvent) -> ToolResult: ...
    def double_click(self, ev: PointerEvent) -> ToolResult: ...
    def key(self, ev: KeyEvent) -> ToolResult: ...
    def cancel(self) -> ToolResult: ...

    @property
    def busy(self) -> bool: ...


class BaseTool:
    """Default handlers ignore everything; subclasses override only what they use."""

    def __init__(self, ctx: ToolContext | None = None) -> None:
        self.ctx = ctx or ToolContext()

    @property
    def settings(self) -> ToolSettings:
        return self.ctx.settings

    @property
    def busy(self) -> bool:
        """True in the middle of a gesture (the UI should cancel before switching tools)."""
        return False

    def preview(self) -> BaseGeometry | None:
        return None

    def info(self) -> str | None:
        """A measurement to show with the preview (the ruler's length)."""
        return None

    def result(self, output: ToolOutput | None = None, error: str | None = None) -> ToolResult:
        return ToolResult(preview=self.preview(), output=output, error=error, info=self.info())

    def press(self, ev: PointerEvent) -> ToolResult:
        return IGNORED

    def move(self, ev: PointerEvent) -> ToolResult:
        return IGNORED

    def release(self, ev: PointerEvent) -> ToolResult:
        return IGNORED

    def double_click(self, ev: PointerEvent) -> ToolResult:
        return IGNORED

    def key(self, ev: KeyEvent) -> ToolResult:
        if ev.key == "Escape" and self.busy:
            return self.cancel()
        return IGNORED

    def cancel(self) -> ToolResult:
        self.reset()
        return ToolResult()

    def reset(self) -> None:
        """Forget any gesture in progress."""

    def min_drag(self, ev: PointerEvent) -> float:
        return self.settings.min_drag_screen_px * ev.downsample

    def finish(
        self, make_output: Callable[[BaseGeometry], ToolOutput], geom: BaseGeometry
    ) -> ToolResult:
        """Validate ``geom`` and wrap it; a refused geometry becomes an error message."""
        try:
            valid = validate(geom)
        except GeometryError as exc:
            return self.result(error=str(exc))
        return self.result(output=make_output(valid))


def distance(ax: float, ay: float, bx: float, by: float) -> float:
    return math.hypot(bx - ax, by - ay)


def dispatch(tool: Tool, event: PointerEvent | KeyEvent) -> ToolResult:
    """Route an event to the matching handler; convenient for the view and for tests."""
    if isinstance(event, KeyEvent):
        return tool.key(event)
    handler = {
        PointerKind.PRESS: tool.press,
        PointerKind.MOVE: tool.move,
        PointerKind.RELEASE: tool.release,
        PointerKind.DOUBLE_CLICK: tool.double_click,
    }[event.kind]
    return handler(event)
