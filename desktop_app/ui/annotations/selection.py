"""The selection: which annotations the user is working on, shared by every view.

A tiny model (QuPath's ``PathObjectSelectionModel``): the viewer, the list panel, the
term panel and the properties panel all read it and change it through its methods,
and follow it through ``changed``; none of them keeps its own copy.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal


class SelectionModel(QObject):
    """Ordered set of selected annotation keys; ``changed(tuple)`` after each change."""

    changed = Signal(tuple)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pks: tuple[int, ...] = ()

    def pks(self) -> tuple[int, ...]:
        return self._pks

    def __contains__(self, pk: object) -> bool:
        return pk in self._pks

    def set(self, pks: Iterable[int]) -> None:
        new = tuple(dict.fromkeys(int(p) for p in pks))
        if new != self._pks:
            self._pks = new
            self.changed.emit(new)

    def add(self, pks: Iterable[int]) -> None:
        self.set((*self._pks, *pks))

    def discard(self, pks: Iterable[int]) -> None:
        gone = set(pks)
        self.set(p for p in self._pks if p not in gone)

    def clear(self) -> None:
        self.set(())
