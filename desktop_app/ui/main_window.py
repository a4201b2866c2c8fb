"""The main window shell: the viewer in the middle, menus, docks and a status bar.

It owns no application state beyond "which slide is open": the slide opener, the
recent-files list and the "a slide was opened" hook are passed in by the composition
root (``desktop_app.app``), so the window never reaches for settings, a database or a
global.  Failures to open a slide become a message box with the slide layer's one-line
message; the window stays usable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.slide.source import SlideSource
from desktop_app.ui import menus
from desktop_app.ui.actions import WindowActions, build_actions, fill_recent_menu
from desktop_app.ui.docks import AdjustmentsDock, AssociatedImagesDock
from desktop_app.ui.fit import FRAME_ALLOWANCE, PREFERRED_SIZE, available_geometry, fitted_rect
from desktop_app.ui.help import HelpMenu
from desktop_app.ui.menus import MenuId
from desktop_app.ui.slide_opener import OpenImageFn, OpenSlideFn, SlideOpener
from desktop_app.ui.viewer import DimensionsBar, SlideView, navigation
from desktop_app.ui.viewer.units import format_length_um

SLIDE_FILTER = (
    "Slides (*.svs *.tif *.tiff *.ndpi *.vms *.vmu *.scn *.mrxs *.svslide *.bif *.dcm);;"
    "All files (*)"
)


class MainWindow(QMainWindow):
    """Viewer shell.  ``open_path`` is the one way a slide gets opened."""

    def __init__(
        self,
        view: SlideView,
        open_slide: OpenSlideFn,
        *,
        open_image: OpenImageFn | None = None,
        recent_files: Callable[[], list[Path]] | None = None,
        on_open: Callable[[Path], object] | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Slide workstation")
        self.view = view
        self._recent_files = recent_files or (lambda: [])
        self._on_open = on_open
        self._pending_goto: tuple[float, float, float] | None = None
        self._opener = SlideOpener(open_slide, self, open_image=open_image)
        self._opener.opened.connect(self._on_opened)
        self._opener.failed.connect(self._on_failed)
        self.dimensions = DimensionsBar()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(view, 1)
        layout.addWidget(self.dimensions)
        self.setCentralWidget(central)
        self.adjustments_dock = AdjustmentsDock(self)
        self.adjustments_dock.adjustments_changed.connect(view.set_adjustments)
        self.associated_dock = AssociatedImagesDock(self)
        for dock in (self.adjustments_dock, self.associated_dock):
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.hide()
        self.actions_ = build_actions(self, view, open_dialog=self.open_dialog, quit_app=self.close)
        self._add_dock_toggles(self.actions_)
        self.help_menu = HelpMenu(self)
        self._position = QLabel()
        self._magnification = QLabel()
        self.statusBar().addPermanentWidget(self._position)
        self.statusBar().addPermanentWidget(self._magnification)
        view.cursor_moved.connect(self._on_cursor_moved)
        view.view_changed.connect(self._on_view_changed)
        self.refresh_recent()
        self.statusBar().showMessage("Open a slide with File > Open slide... (Ctrl+O)")

    # -- opening ------------------------------------------------------------------------
    def open_dialog(self) -> None:
        recent = self._recent_files()
        start = str(recent[0].parent) if recent else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open slide", start, SLIDE_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path, goto: tuple[float, float, float] | None = None) -> None:
        """Open ``path`` off the UI thread; then go to ``goto`` (x, y, downsample) or fit."""
        self._pending_goto = goto
        self.statusBar().showMessage(f"Opening {path.name}...")
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._opener.open(path)

    def open_image(
        self, image_pk: int, goto: tuple[float, float, float] | None = None, name: str = ""
    ) -> None:
        """Open a cached image by pk, off the UI thread: from its file, or streamed from
        the server (the composition root passes ``ImageOpener.open`` as ``open_image``)."""
        self._pending_goto = goto
        label = Path(name or f"image {image_pk}")
        self.statusBar().showMessage(f"Opening {label.name}...")
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._opener.open_image(image_pk, label)

    def _on_opened(self, path: Path, source: SlideSource) -> None:
        QApplication.restoreOverrideCursor()
        old = self.view.source()
        self.view.set_source(source)
        if old is not None:
            old.close()
        self.view.minimap.setVisible(self.actions_.minimap.isChecked())
        if self._pending_goto is not None:
            self.view.goto(*self._pending_goto)
        info = source.info
        name = str(getattr(source, "name", "") or path.name)  # a streamed image's name
        self.setWindowTitle(f"{name} - Slide workstation")
        self.associated_dock.set_images(info.associated_images, source.associated_image)
        self.dimensions.set_dimensions(1, 1, 1)
        self.statusBar().showMessage(
            f"{name}: {info.width:,} x {info.height:,} px, {info.level_count} levels", 5000
        )
        if self._on_open is not None:
            self._on_open(path)
        self.refresh_recent()

    def _on_failed(self, path: Path, message: str) -> None:
        QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"Could not open {path.name}", 5000)
        QMessageBox.critical(self, "Cannot open slide", message)

    def refresh_recent(self) -> None:
        fill_recent_menu(self.actions_.recent_menu, self._recent_files(), self.open_path)

    # -- status bar ---------------------------------------------------------------------
    def _on_cursor_moved(self, x: float, y: float) -> None:
        source = self.view.source()
        if source is None:
            return
        text = f"x {x:,.0f}  y {y:,.0f} px"
        mpp = source.info.mpp_x or source.info.mpp_y
        if mpp:
            text += f"  ({format_length_um(x * mpp)}, {format_length_um(y * mpp)})"
        self._position.setText(text)

    def _on_view_changed(self, _x: float, _y: float, downsample: float) -> None:
        source = self.view.source()
        if source is None:
            self._magnification.clear()
            return
        mag = navigation.magnification(source.info, downsample)
        text = f"{mag:.2f}x" if mag else "magnification unknown"
        self._magnification.setText(f"{text}  (1:{downsample:.2f})")

    # -- misc ---------------------------------------------------------------------------
    def fit_to_screen(self, available: QRect | None = None) -> None:
        """Take ``PREFERRED_SIZE``, or as much of the screen's available area as there is
        (``available``: that area, default the window's screen), centred on it."""
        area = available if available is not None else available_geometry(self)
        frame = (
            self.frameGeometry().size() - self.geometry().size()
            if self.isVisible()
            else FRAME_ALLOWANCE
        )
        rect = fitted_rect(PREFERRED_SIZE, self.minimumSizeHint(), area, frame)
        self.resize(rect.size())
        self.move(rect.topLeft())

    def _add_dock_toggles(self, actions: WindowActions) -> None:
        view_menu = menus.menu(self, MenuId.VIEW)
        for key, dock in (
            ("adjustments", self.adjustments_dock),
            ("associated", self.associated_dock),
        ):
            toggle = dock.toggleViewAction()
            if key == "adjustments":
                toggle.setShortcut("Ctrl+Shift+A")
            view_menu.addAction(toggle)
            actions.docks[key] = toggle

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        source = self.view.source()
        self.view.close_source()
        if source is not None:
            source.close()
        super().closeEvent(event)
