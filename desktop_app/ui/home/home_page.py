"""The home page: Projects, Images (of the chosen project) and SciTran tabs.

Every read runs on the ``home`` lane (latest wins per key, so a quick succession of
refreshes shows the last one); transfers run as :class:`TransferJob`s with a progress
dialog.  Server-side actions live in :mod:`home_actions`; this class wires the tabs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from desktop_app.services.projects import ImageRow, ProjectRow
from desktop_app.services.scitran_tree import Node
from desktop_app.sync.slides.thumbnails import Thumbnails
from desktop_app.ui.home.context import HomeContext
from desktop_app.ui.home.home_actions import HomeActions
from desktop_app.ui.home.images_tab import ImagesTab
from desktop_app.ui.home.models import PreparedProjects, ProjectsModel
from desktop_app.ui.home.projects_tab import ProjectsTab
from desktop_app.ui.home.thumbnails import ThumbnailLoader
from desktop_app.ui.home.tree_tab import TreeTab
from desktop_app.ui.lanes import Lane


class HomePage(QWidget):
    """``image_opened(image_pk)`` after a double-click or "next unreviewed" opened one."""

    image_opened = Signal(int)
    loaded = Signal()  # the project list arrived (tests and the benchmark wait on it)
    #: Set by ``install_home``: switch the window to this page / back to the viewer,
    #: and the menu action that does the former.
    show_home: Callable[[], None]
    show_viewer: Callable[[], None]
    home_action: QAction

    def __init__(self, ctx: HomeContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lane = Lane("home", self)
        self.lane.failed.connect(self.show_message)
        client_factory = ctx.client if ctx.login() is not None else None
        self.thumbnails = ThumbnailLoader(Thumbnails(ctx.thumbs_dir, client_factory), parent=self)
        self.tabs = QTabWidget()
        self.projects = ProjectsTab()
        self.images = ImagesTab(self.thumbnails)
        self.tree = TreeTab()
        self.tabs.addTab(self.projects, "Projects")
        self.tabs.addTab(self.images, "Images")
        self.tabs.addTab(self.tree, "SciTran")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.project_rows: list[ProjectRow] = []
        self.current_project: ProjectRow | None = None
        self._tree_stale = True
        self.tabs.currentChanged.connect(self._on_tab)

        self.actions_ = HomeActions(self, self)
        self.projects.open_requested.connect(self.open_project)
        self.images.open_requested.connect(self.open_image)
        self.images.next_unreviewed_requested.connect(self.open_next_unreviewed)

    # --- loading ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the projects and the tree (and the open project's images)."""
        login = self.ctx.login()
        me = login.user_id if login else None
        self.lane.submit(self._read_projects, me, on_done=self._projects_loaded, key="projects")
        if self.tabs.currentWidget() is self.tree:
            self.reload_tree()
        else:
            self._tree_stale = True  # read when its tab is shown: the list comes first
        if self.current_project is not None:
            self.reload_images()

    def reload_tree(self) -> None:
        self._tree_stale = False
        self.lane.submit(self.ctx.tree.nodes, on_done=self._tree_loaded, key="tree")

    def _on_tab(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.tree and self._tree_stale:
            self.reload_tree()

    def _read_projects(self, me: int | None) -> PreparedProjects:
        """On the lane: the query and the table's texts and sort keys."""
        return ProjectsModel.prepare(self.ctx.catalog.projects(me))

    def _projects_loaded(self, prepared: PreparedProjects) -> None:
        rows = prepared.rows
        self.project_rows = rows
        self.projects.set_rows(prepared)
        if self.current_project is not None:
            fresh = [r for r in rows if r.pk == self.current_project.pk]
            self.current_project = fresh[0] if fresh else None
        self.loaded.emit()

    def _tree_loaded(self, nodes: list[Node]) -> None:
        self.tree.set_nodes(nodes)

    def open_project(self, project_pk: int) -> None:
        rows = [r for r in self.project_rows if r.pk == project_pk]
        if not rows:
            return
        self.current_project = rows[0]
        self.tabs.setCurrentWidget(self.images)
        self.reload_images()

    def reload_images(self) -> None:
        project = self.current_project
        if project is None:
            return
        self.lane.submit(
            self.ctx.catalog.images,
            project.pk,
            on_done=partial(self._images_loaded, project),
            key="images",
        )

    def _images_loaded(self, project: ProjectRow, rows: list[ImageRow]) -> None:
        if self.current_project is not None and self.current_project.pk == project.pk:
            self.images.set_project(project, rows)

    # --- opening ------------------------------------------------------------------------
    def open_image(self, image_pk: int) -> None:
        self.ctx.open_image(image_pk)
        self.image_opened.emit(image_pk)

    def open_next_unreviewed(self, after_pk: int) -> None:
        project = self.current_project
        if project is None:
            return
        self.lane.submit(
            self.ctx.catalog.next_unreviewed,
            project.pk,
            after_pk or None,
            on_done=self._next_found,
        )

    def _next_found(self, image_pk: int | None) -> None:
        if image_pk is None:
            self.show_message("Every image of this project is reviewed.")
            return
        self.images.select(image_pk)
        self.open_image(image_pk)

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def shutdown(self) -> None:
        self.actions_.shutdown()
        self.thumbnails.shutdown()
        self.lane.shutdown()
