"""The annotation workbench: layer, tools, panels and menus installed onto a window.

``install_annotation_workbench`` is the one entry point the composition root calls,
once per main window.  Everything is attached from the outside (an overlay on the
view, an event filter, dock widgets, a tool bar, menu actions), so the viewer and the
main window know nothing about annotations.  ``set_image`` re-targets the workbench
when another image is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow
from shapely.geometry.base import BaseGeometry

from desktop_app.core.tools import ToolMode, ToolResult
from desktop_app.services.annotations import AnnotationService
from desktop_app.slide.review_tiles import frame_bounds
from desktop_app.slide.source import SlideSource
from desktop_app.store.uow import Store
from desktop_app.ui import menus
from desktop_app.ui.annotations.commands import build_actions, set_history_labels
from desktop_app.ui.annotations.editor import Editor
from desktop_app.ui.annotations.geojson_transfer import GeoJsonTransfer
from desktop_app.ui.annotations.hover import HoverInfo
from desktop_app.ui.annotations.layer import AnnotationLayer
from desktop_app.ui.annotations.layer_hits import LayerHits
from desktop_app.ui.annotations.measurements_export import MeasurementsExport
from desktop_app.ui.annotations.object_menu import build_object_menu
from desktop_app.ui.annotations.prefs import ToolPrefs
from desktop_app.ui.annotations.selection import SelectionModel
from desktop_app.ui.annotations.session import AnnotationSession, ServiceFactory
from desktop_app.ui.annotations.tool_options import add_tool_options
from desktop_app.ui.annotations.tool_overlay import ToolOverlay
from desktop_app.ui.annotations.tools import ToolController
from desktop_app.ui.menus import MenuId
from desktop_app.ui.panels.annotation_list import AnnotationListPanel, RowCommands
from desktop_app.ui.panels.next_drawing import NextDrawingLabel
from desktop_app.ui.panels.properties_panel import PropertiesPanel
from desktop_app.ui.panels.statistics_panel import StatisticsPanel
from desktop_app.ui.panels.term_panel import TermPanel
from desktop_app.ui.viewer import SlideView

ImageForSource = Callable[[SlideSource], int | None]


class AnnotationWorkbench(QObject):
    """Owns the annotation session of one window and the parts installed on it."""

    def __init__(
        self,
        window: QMainWindow,
        view: SlideView,
        *,
        store: Store,
        service_factory: ServiceFactory,
        ontology_pk: int | None,
        user_pk: int,
        image_pk_for_source: ImageForSource | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.view = window, view
        self._image_for_source = image_pk_for_source
        self._source: SlideSource | None = None
        self.last_message = ""
        self.session = AnnotationSession(
            store, service_factory, user_pk=user_pk, fallback_ontology_pk=ontology_pk, parent=self
        )
        self.selection = SelectionModel(self)
        self.prefs = ToolPrefs(_prefs_path(store), self)
        self.layer = AnnotationLayer(self.session, view, self.selection)
        self.layer.display = replace(self.layer.display, point_px=self.prefs.point_size)
        view.add_overlay(self.layer)
        self.editor = Editor(self.session, self.selection, self.layer, self.status)
        self.tools = ToolController(
            view,
            LayerHits(self.layer),
            self.selection.pks,
            self._on_tool_result,
            self._on_key,
            prefs=self.prefs,
            pixel_size=self._pixel_size,
        )
        self.tool_overlay = ToolOverlay(view, self.tools)
        view.add_overlay(self.tool_overlay)
        self.measurements = MeasurementsExport(window, self.session, self.status)
        self.geojson = GeoJsonTransfer(window, self.session, self.status)
        self.actions = build_actions(
            window,
            set_tool=self.set_tool,
            undo=self.editor.undo,
            redo=self.editor.redo,
            delete=self.editor.delete,
            import_geojson=self.geojson.ask_import,
            export_geojson=self.geojson.ask_export,
            term_key=self.term_key,
        )
        self.tool_options = add_tool_options(self.actions.toolbar, self.prefs)
        self.object_actions = build_object_menu(
            window,
            shape_op=self.editor.shape_op,
            set_tool=self.set_tool,
            export_measurements=self.measurements.ask,
        )
        self.tools.mode_changed.connect(self._on_mode_changed)
        self.prefs.changed.connect(self._on_prefs)
        self.layer.display_changed.connect(self._remember_point_size)
        self.term_panel = TermPanel(self.session, self.layer, self.apply_term, window)
        self.list_panel = AnnotationListPanel(
            self.session,
            self.selection,
            self.zoom_to,
            window,
            RowCommands(
                copy=self.measurements.copy,
                export=self.measurements.ask,
                delete=self.editor.delete,
                set_term=self.apply_term,
            ),
        )
        self.properties_panel = PropertiesPanel(self.session, self.selection, window)
        self.statistics_panel = StatisticsPanel(self.session, window)
        self._add_docks()
        self.next_drawing = NextDrawingLabel(self.session)
        window.statusBar().addPermanentWidget(self.next_drawing)
        self.hover = HoverInfo(self.session, view, self.layer, lambda: self._tool_busy())
        self.session.message.connect(self.status)
        self.session.annotations_changed.connect(lambda _c: self._refresh_history())
        self.session.image_changed.connect(self._refresh_history)
        view.view_changed.connect(lambda *_: self._check_source())
        view.fully_loaded.connect(self._check_source)
        window.installEventFilter(self)

    # -- image --------------------------------------------------------------------------
    def set_image(self, image_pk: int | None) -> None:
        """Show and edit the annotations of ``image_pk`` (the slide now in the view)."""
        self.tools.cancel()
        self.selection.clear()
        self._source = self.view.source()
        self.session.set_image(image_pk)

    def _check_source(self) -> None:
        """Follow the view's slide when the composition root gave ``image_pk_for_source``."""
        source = self.view.source()
        if self._image_for_source is None or source is self._source:
            return
        self._source = source
        if source is None:
            self.set_image(None)
            return
        self.session.data_lane.submit(self._image_for_source, source, on_done=self.set_image)

    # -- commands -----------------------------------------------------------------------
    def set_tool(self, mode: ToolMode | None) -> None:
        self.tools.set_mode(mode)
        self.view.setFocus()

    def _on_tool_result(self, result: ToolResult) -> None:
        self.editor.apply(result)
        self.tool_overlay.on_result(result)
        if result.info and not result.error:
            self.status(result.info)

    def _on_mode_changed(self, mode: ToolMode | None) -> None:
        action = self.actions.tools.get(mode)
        if action is not None:
            action.setChecked(True)
        else:  # a menu-only tool (split): no toolbar button stays checked
            for act in self.actions.tools.values():
                act.setChecked(False)
        if mode is ToolMode.SPLIT:
            self.status("Split: draw a line across the selected polygon (double-click ends it)")

    def _on_prefs(self, name: str) -> None:
        if name == "point_size":
            self.layer.set_display(replace(self.layer.display, point_px=self.prefs.point_size))

    def _remember_point_size(self) -> None:
        self.prefs.point_size = round(self.layer.display.point_px)

    def _pixel_size(self) -> tuple[float, float] | None:
        service = self.session.service
        if service is None or not service.mpp_x:
            return None
        return float(service.mpp_x), float(service.mpp_y or service.mpp_x)

    def _tool_busy(self) -> bool:
        return self.tools.tool is not None and self.tools.tool.busy

    def term_key(self, digit: int, add: bool = False) -> None:
        """Key ``digit`` (``add``: with Shift): set, or add/remove, the key's term;
        0 clears.  The rule lives in :mod:`desktop_app.core.terms`."""
        shortcuts = self.session.shortcuts()
        term = shortcuts.term_for_key(digit)
        if term is None and not shortcuts.is_clear_key(digit):
            self.status(f"No term on key {digit}")
            return
        term_pk = None if term is None else term.id
        self.apply_term(term_pk if isinstance(term_pk, int) else None, add)

    def apply_term(self, term_pk: int | None, add: bool = False) -> None:
        """A term key or a click in the Terms dock (``add``: Shift held)."""
        if add and term_pk is not None:
            self.editor.toggle_term(term_pk)
        else:
            self.editor.set_term(term_pk)

    def _on_key(self, name: str) -> bool:
        if name in ("Delete", "Backspace") and self.selection.pks():
            self.editor.delete()
            return True
        if name == "Escape" and self.selection.pks():
            self.selection.clear()
            return True
        return False

    def zoom_to(self, pk: int) -> None:
        """Centre the view on an annotation, zoomed so it fills about two thirds of it."""
        geom = self.layer.geometry(pk)
        service = self.session.service
        if geom is not None:
            self._goto(geom)
        elif service is not None:
            self.session.data_lane.submit(service.geometry, pk, on_done=self._goto)

    def _goto(self, geom: BaseGeometry | None) -> None:
        if geom is None:
            return
        # the rule review mode prefetches the next annotations' tiles with
        self.view.goto(*frame_bounds(geom.bounds, self.view.width(), self.view.height()))

    def status(self, text: str) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, 6000)

    def _refresh_history(self) -> None:
        service = self._service_or_none()
        if service is None:
            set_history_labels(self.actions, None, None)
            return
        history = service.history
        self.session.read(
            lambda: (history.undo_label(), history.redo_label()),
            on_done=lambda labels: set_history_labels(self.actions, *labels),
            key="history",
        )

    def _service_or_none(self) -> AnnotationService | None:
        return self.session.service

    # -- GeoJSON ------------------------------------------------------------------------
    def import_geojson(self, path: Path) -> None:
        """Import a (QuPath) GeoJSON file onto the current image as one undoable action."""
        self.geojson.import_file(path)

    def export_geojson(self, path: Path) -> None:
        self.geojson.export_file(path)

    # -- lifetime -----------------------------------------------------------------------
    def _add_docks(self) -> None:
        view_menu = menus.menu(self.window, MenuId.VIEW)
        view_menu.addSeparator()
        docks: list[QDockWidget] = [
            self.term_panel,
            self.list_panel,
            self.properties_panel,
            self.statistics_panel,
        ]
        for dock in docks:
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            view_menu.addAction(dock.toggleViewAction())
        # Terms on top with room for a real ontology; the per-annotation views share
        # one tabbed dock below, so the slide keeps most of the window (as in QuPath).
        self.window.tabifyDockWidget(self.list_panel, self.properties_panel)
        self.window.tabifyDockWidget(self.properties_panel, self.statistics_panel)
        self.list_panel.raise_()
        self.window.resizeDocks([self.term_panel], [430], Qt.Orientation.Horizontal)
        self.window.resizeDocks(
            [self.term_panel, self.list_panel], [460, 400], Qt.Orientation.Vertical
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def close(self) -> None:
        """Stop the workers (the store stays open: the composition root owns it)."""
        for overlay in (self.layer, self.tool_overlay):
            if overlay in self.view.overlays():
                self.view.remove_overlay(overlay)
        self.tools.wand.shutdown()
        self.session.close()


def _prefs_path(store: Store) -> Path | None:
    """``ui-settings.ini`` beside the cache file (None for an in-memory cache)."""
    database = store.engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).with_name("ui-settings.ini")


def install_annotation_workbench(
    window: QMainWindow,
    view: SlideView,
    *,
    store: Store,
    service_factory: ServiceFactory,
    ontology_pk: int | None,
    user_pk: int,
    image_pk_for_source: ImageForSource | None = None,
) -> AnnotationWorkbench:
    """Install the annotation layer, tools, panels and menus on ``window``/``view``.

    ``service_factory(image_pk)`` builds the image's ``AnnotationService`` (called on a
    worker).  ``ontology_pk`` is used for a project that has no ontology yet (``None``:
    an empty one is created on first use).  Re-target with ``workbench.set_image(pk)``
    after a slide is opened, or pass ``image_pk_for_source(source) -> pk`` (called on a
    worker) to follow the view's slide automatically.
    """
    return AnnotationWorkbench(
        window,
        view,
        store=store,
        service_factory=service_factory,
        ontology_pk=ontology_pk,
        user_pk=user_pk,
        image_pk_for_source=image_pk_for_source,
    )
