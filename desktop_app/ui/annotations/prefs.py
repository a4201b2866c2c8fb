"""Remembered tool settings (brush size, wand sensitivity, point size, counting).

Kept in an INI file beside the cache (``<data dir>/ui-settings.ini``) through
QSettings, so they survive a restart and every data dir — including a test's temporary
one — has its own. Without a file (an in-memory cache) they live for the session only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

BRUSH_DEFAULT = 24
BRUSH_MIN, BRUSH_MAX = 2, 400
POINT_DEFAULT = 6
POINT_MIN, POINT_MAX = 2, 40


class ToolPrefs(QObject):
    """``changed(name)`` after a setting changes."""

    changed = Signal(str)

    def __init__(self, path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = (
            QSettings(str(path), QSettings.Format.IniFormat) if path is not None else None
        )
        self._values: dict[str, float] = {}

    def _get(self, name: str, default: float) -> float:
        if name in self._values:
            return self._values[name]
        raw = self._settings.value(f"tools/{name}") if self._settings is not None else None
        try:
            value = float(raw) if raw is not None else default
        except (TypeError, ValueError):
            value = default
        self._values[name] = value
        return value

    def _set(self, name: str, value: float) -> None:
        if self._values.get(name) == value:
            return
        self._values[name] = value
        if self._settings is not None:
            self._settings.setValue(f"tools/{name}", value)
            self._settings.sync()
        self.changed.emit(name)

    @property
    def brush_diameter(self) -> int:
        """The brush's diameter in screen pixels."""
        return int(min(max(self._get("brush_diameter", BRUSH_DEFAULT), BRUSH_MIN), BRUSH_MAX))

    @brush_diameter.setter
    def brush_diameter(self, value: int) -> None:
        self._set("brush_diameter", int(min(max(value, BRUSH_MIN), BRUSH_MAX)))

    @property
    def wand_sensitivity(self) -> float:
        return self._get("wand_sensitivity", 2.0)

    @wand_sensitivity.setter
    def wand_sensitivity(self, value: float) -> None:
        self._set("wand_sensitivity", round(float(value), 4))

    @property
    def point_size(self) -> int:
        """Points are drawn this many screen pixels wide at every zoom."""
        return int(min(max(self._get("point_size", POINT_DEFAULT), POINT_MIN), POINT_MAX))

    @point_size.setter
    def point_size(self, value: int) -> None:
        self._set("point_size", int(min(max(value, POINT_MIN), POINT_MAX)))

    @property
    def counting(self) -> bool:
        return bool(self._get("counting", 0.0))

    @counting.setter
    def counting(self, on: bool) -> None:
        self._set("counting", 1.0 if on else 0.0)


def brush_step(diameter: int, steps: int) -> int:
    """``[``/``]`` and Ctrl+wheel: about 15 % per step, at least one pixel."""
    new = diameter * (1.15**steps)
    if steps > 0:
        new = max(new, diameter + 1)
    elif steps < 0:
        new = min(new, diameter - 1)
    return int(round(min(max(new, BRUSH_MIN), BRUSH_MAX)))
