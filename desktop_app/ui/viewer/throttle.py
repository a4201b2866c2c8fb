"""A leading + trailing throttle on the UI thread (a Qt timer, no threads)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """``poke()`` calls ``fire`` at once, then at most once per ``interval_ms``: pokes
    in between are folded into one call at the end of the interval, so the last state
    is never lost (e.g. the user's recorded position after a pan stops)."""

    def __init__(self, interval_ms: int, fire: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._fire = fire
        self._dirty = False
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(self._on_timer)

    @property
    def idle(self) -> bool:
        """No interval running: the next ``poke()`` fires at once."""
        return not self._timer.isActive()

    def poke(self) -> None:
        if self._timer.isActive():
            self._dirty = True
            return
        self._fire()
        self._timer.start()

    def _on_timer(self) -> None:
        if self._dirty:
            self._dirty = False
            self._fire()
            self._timer.start()
