"""Composition root: the only place that builds and wires the application's parts.

``run_gui`` starts the desktop window; ``screenshot`` renders one view of a slide to a
PNG without any window chrome (used by ``workstation open --screenshot``).  Both check
for a display first, because Qt aborts the process -- with a core dump and no useful
message -- when it cannot connect to one.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.config import Settings
from desktop_app.ui.environment import (
    NO_DISPLAY_MESSAGE,
    UI_SWITCH_INTERVAL_S,
    configure_qt_environment,
    display_available,
)

if TYPE_CHECKING:
    # Qt and the slide cache are imported where used: a headless command never loads Qt.
    from PySide6.QtWidgets import QApplication

    from desktop_app.slide.source import SlideInfo, SlideSource


def _application(identity: bool = True) -> QApplication:
    """The QApplication; ``identity`` sets the window icon and desktop id (a window's
    needs: a screenshot has no window and skips loading the icon stack, ~60 ms)."""
    # loaded when a window is made: importing this module (display checks) stays free of Qt
    from PySide6.QtWidgets import QApplication

    configure_qt_environment()
    # Tile workers hold the GIL between decodes; Python's default 5 ms switch interval
    # lets them stall the UI thread for several ms after each Qt call that releases it.
    # viewer_bench --busy 1 --tour-seconds 30 --only latency,throughput --switch-interval
    # at load 1.3-2.2: 5 ms gave max 24.0 / 12.6 ms (idle / busy phase, one stall over
    # 16 ms), 0.5 ms gave max 12.0 / 10.4 ms (none); p99 4.5 / 5.8 vs 4.3 / 5.6 ms and
    # panning throughput (2.65 / 2.47 vs 2.50 / 2.37 of raw) within run-to-run noise.
    sys.setswitchinterval(UI_SWITCH_INTERVAL_S)

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0] if sys.argv else "workstation"])
    app.setApplicationName("Slide workstation")
    if identity:
        _set_identity(app)
    return app


def _set_identity(app: Any) -> None:
    """The window icon, and the desktop entry's id (Wayland matches windows by it)."""
    # loaded when a window is made: importing this module (display checks) stays free of Qt
    from desktop_app.assets import APP_ID
    from desktop_app.ui.annotations.icons import app_icon

    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())


class _Client:
    """The desktop side wired together: cache, services, and one writer thread.

    Store writes that the UI triggers in passing (registering an opened slide,
    recording the position) go through ``writer`` so the UI thread never waits on disk.
    """

    def __init__(self, settings: Settings) -> None:
        # loaded when a window is made: importing this module (display checks) stays free of Qt
        from concurrent.futures import ThreadPoolExecutor

        from desktop_app.services.workspace import Workspace
        from desktop_app.slide.disk_cache import DiskTileCache
        from desktop_app.store.engine import open_cache
        from desktop_app.store.uow import Store
        from desktop_app.sync.slides.image_open import ImageOpener

        self.settings = settings
        self.store = Store(open_cache(settings.cache_path))
        self.workspace = Workspace(self.store)
        # The app's one cache of its tile folder: the viewer's streamed images, their
        # review prefetch and the home's downloads all write through it (one budget).
        self.tiles = DiskTileCache(settings.tiles_dir)
        self.images = ImageOpener(self.store, settings.data_dir, tiles=self.tiles)
        self.user_pk = self.workspace.local_user().pk
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cache-writer")
        self.image_pk: int | None = None
        self.closed = False

    def register(self, path: Path, info: SlideInfo) -> int:
        # loaded when a window is made: importing this module (display checks) stays free of Qt
        from desktop_app.services.workspace import LOCAL_PROJECT

        existing = self.workspace.find_image(str(path))
        if existing is not None:
            return existing
        project = self.workspace.local_project(LOCAL_PROJECT)
        return self.workspace.register_slide(path, info, project_pk=project.pk).pk

    def record_position(self, x: float, y: float, ds: float, size: tuple[int, int]) -> None:
        # loaded when a window is made: importing this module (display checks) stays free of Qt
        from desktop_app.services.activity import record_position

        image_pk = self.image_pk
        if image_pk is not None and not self.closed:  # a last move may arrive after close
            self.writer.submit(
                record_position,
                self.store,
                image_pk=image_pk,
                user_pk=self.user_pk,
                x=x,
                y=y,
                downsample=ds,
                view_size=size,
            )

    def close(self) -> None:
        self.closed = True
        self.writer.shutdown(wait=True)
        self.store.close()


@dataclass
class Gui:
    """The assembled desktop window and its parts (tests drive them through ``build_gui``)."""

    app: Any
    client: _Client
    window: Any
    view: Any
    workbench: Any
    sync_ui: Any
    home: Any
    review: Any

    def close(self) -> None:
        self.window.close()
        self.view.close_source()
        self.client.close()


def build_gui(settings: Settings, *, show_home: bool = True) -> Gui:
    """Build and show the main window with every part wired (no event loop yet).

    Raises ``CacheError``/``SchemaTooNewError`` for a cache this version cannot use.
    """
    # loaded when a window is made: importing this module (display checks) stays free of Qt
    from desktop_app.slide.cache import TileCache
    from desktop_app.slide.openslide_source import open_slide
    from desktop_app.ui.dimensions_bridge import DimensionsBridge
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.viewer import SlideView

    client = _Client(settings)
    app = _application()
    view = SlideView(TileCache(settings.tile_cache_bytes))

    from desktop_app.services.annotations import AnnotationService
    from desktop_app.ui.review import install_review_mode
    from desktop_app.ui.review.adjudication_dock import install_adjudication_dock
    from desktop_app.ui.review.agreement_dock import install_agreement_dock
    from desktop_app.ui.sync import install_sync_ui
    from desktop_app.ui.workbench import install_annotation_workbench

    dims = DimensionsBridge()

    def image_for(source: SlideSource) -> int:
        """Runs on a workbench worker: registering a slide touches the disk.  A source
        opened from the cache (``ImageSource``) already knows its image."""
        known = getattr(source, "image_pk", None)
        if known is not None:
            client.image_pk = int(known)
        else:
            # A file source (the only other kind) has a path; SlideSource does not say so.
            client.image_pk = client.register(Path(source.path), source.info)  # type: ignore[attr-defined]
        dims.found.emit(client.workspace.group_position(client.image_pk))
        return client.image_pk

    opened_hooks: list[Callable[[Path], object]] = []
    window = MainWindow(
        view,
        open_slide,
        open_image=client.images.open,
        recent_files=client.workspace.recent_files,
        on_open=lambda path: [hook(path) for hook in opened_hooks],
    )
    dims.attach(window, client)
    workbench = install_annotation_workbench(
        window,
        view,
        store=client.store,
        service_factory=lambda pk: AnnotationService(client.store, pk, client.user_pk),
        ontology_pk=None,
        user_pk=client.user_pk,
        image_pk_for_source=image_for,
    )
    sync_ui = install_sync_ui(
        window, view, store=client.store, data_dir=settings.data_dir, workbench=workbench
    )
    review = install_review_mode(window, workbench, store=client.store, user_pk=client.user_pk)
    agreement = install_agreement_dock(window, workbench.session, store=client.store)
    review.decided.connect(lambda _pk, _status: agreement.reload())
    adjudication = install_adjudication_dock(
        window, workbench.session, store=client.store, user_pk=client.user_pk
    )
    review.decided.connect(lambda _pk, _status: adjudication.reload())

    def adjudicated(_pk: int) -> None:
        agreement.reload()
        review.reload()

    adjudication.adjudicated.connect(adjudicated)
    home = _install_home(window, client, show=show_home)  # last: it hides the viewer's docks
    opened_hooks.append(lambda _path: home.show_viewer())
    sync_ui.runner.finished.connect(lambda _report: home.refresh())
    sync_ui.runner.finished.connect(lambda _report: agreement.reload())  # others' decisions
    view.position_changed.connect(
        lambda x, y, ds: client.record_position(x, y, ds, (view.width(), view.height()))
    )
    window.fit_to_screen()
    window.show()
    return Gui(app, client, window, view, workbench, sync_ui, home, review)


def run_gui(
    settings: Settings,
    *,
    slide_path: str | None = None,
    image_pk: int | None = None,
    goto: tuple[float, float, float] | None = None,
) -> int:
    """Show the main window, optionally opening ``slide_path`` (a file) or ``image_pk``
    (a cached image: its file, or streamed from the server) at ``goto``; exit code."""
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    # loaded when a window is made: importing this module (display checks) stays free of Qt
    from desktop_app.store.engine import CacheError, SchemaTooNewError

    try:
        gui = build_gui(settings, show_home=not slide_path and image_pk is None)
    except (CacheError, SchemaTooNewError) as exc:
        print(f"workstation: {exc}", file=sys.stderr)
        return 1
    # Everything built so far lives as long as the window: moving it out of the
    # collector's generations keeps full GC passes off the UI thread (viewer_bench's
    # instrumented tour: gen-2 passes 15-17 ms without, 2-3 ms with; performance.md).
    gc.collect()
    gc.freeze()
    if slide_path:
        gui.window.open_path(Path(slide_path), goto=goto)
    elif image_pk is not None:
        gui.window.open_image(image_pk, goto=goto)
    try:
        return int(gui.app.exec())
    finally:
        gui.view.close_source()
        gui.client.close()


def _install_home(window: Any, client: _Client, *, show: bool) -> Any:
    """The projects home in front of the viewer (shown at start when no slide is given)."""
    # loaded when a window is made: importing this module (display checks) stays free of Qt
    from desktop_app.ui.home import install_home

    return install_home(
        window,
        store=client.store,
        data_dir=client.settings.data_dir,
        user_pk=client.user_pk,
        open_image=window.open_image,
        open_path=window.open_path,
        tiles=client.tiles,
        show=show,
    )


def screenshot(
    settings: Settings,
    target: str | Path | int,
    goto: tuple[float, float, float] | None,
    size: tuple[int, int],
    out_png: str | Path,
) -> int:
    """Render ``target`` (a slide file, or the pk of a cached image, streamed from the
    server when it has no file here) at ``goto`` (default: fitted) to a ``size`` PNG.

    Waits until every visible tile is loaded at the resolution wanted for the
    downsample, so the PNG is final, never a half-loaded view.  Errors are one line on
    stderr and a non-zero return.
    """
    if not display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # loaded when a window is made: importing this module (display checks) stays free of Qt
    from desktop_app.slide.cache import TileCache
    from desktop_app.slide.openslide_source import open_slide
    from desktop_app.slide.source import SlideError
    from desktop_app.ui.screenshot import cached_annotations, render_png

    store = _open_cache(settings)
    try:
        if isinstance(target, int):
            if store is None:
                print(f"workstation: no cached image {target}", file=sys.stderr)
                return 1
            from desktop_app.sync.slides.image_open import ImageOpener

            image_pk: int | None = target
            opener = ImageOpener(store, settings.data_dir)
        else:
            image_pk = _known_image(store, Path(target))
        try:
            source = opener.open(target) if isinstance(target, int) else open_slide(Path(target))
        except SlideError as exc:
            print(f"workstation: {exc}", file=sys.stderr)
            return 1
        try:
            overlay = cached_annotations(store, image_pk) if store and image_pk else None
            cache = TileCache(settings.tile_cache_bytes)
            _application(identity=False)
            return render_png(source, cache, goto, size, out_png, overlay)
        finally:
            source.close()
    finally:
        if store is not None:
            store.close()


def _open_cache(settings: Settings) -> Any:
    """The local cache when there is one (a screenshot of a plain file needs none)."""
    if not settings.cache_path.exists():
        return None
    # loaded when a window is made: importing this module (display checks) stays free of Qt
    from desktop_app.store.engine import open_cache
    from desktop_app.store.uow import Store

    return Store(open_cache(settings.cache_path))


def _known_image(store: Any, slide_path: Path) -> int | None:
    if store is None:
        return None
    # loaded when a window is made: importing this module (display checks) stays free of Qt
    from desktop_app.services.workspace import Workspace

    return Workspace(store).find_image(str(slide_path))
