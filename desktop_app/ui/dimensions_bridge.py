"""The c/z/t sliders of the viewer wired to the cache's image groups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal


class DimensionsBridge:
    """c/z/t sliders for images of an ImageGroup: moving one opens the image at that place.

    Group look-ups run on the cache's writer thread; results reach the UI thread
    through queued Qt signals.
    """

    def __init__(self) -> None:
        class _Signals(QObject):
            found = Signal(object)  # GroupPosition | None
            path = Signal(object)  # Path

        self._signals = _Signals()
        self.found = self._signals.found
        self._group: int | None = None

    def attach(self, window: Any, client: Any) -> None:
        """``client``: the composition root's client (its ``writer`` and ``workspace``)."""

        def on_found(position: Any) -> None:
            self._group = None if position is None else position.group_pk
            if position is not None:
                window.dimensions.set_dimensions(*position.sizes)
                window.dimensions.set_position(*position.index)

        def on_index(c: int, z: int, t: int) -> None:
            group = self._group
            if group is not None:
                client.writer.submit(
                    lambda: self._signals.path.emit(client.workspace.image_in_group(group, c, z, t))
                )

        def on_path(path: Path | None) -> None:
            if path is not None:
                window.open_path(path, goto=window.view.current_view())

        self.found.connect(on_found)
        self._signals.path.connect(on_path)
        window.dimensions.index_changed.connect(on_index)
