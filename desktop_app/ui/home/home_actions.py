"""The home's actions that write or transfer: offline copies, projects, members, images,
SciTran files and notes.  Each runs off the UI thread (the home lane or a transfer
job) and refreshes the home when done; failures become one line in its status."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_app.model.security import Access
from desktop_app.services.attachments import human_size, image_target, list_files
from desktop_app.services.ontology import create_ontology
from desktop_app.services.projects import ProjectRow
from desktop_app.services.scitran_tree import Node
from desktop_app.slide.openslide_source import open_slide
from desktop_app.sync.projects import admin as project_admin
from desktop_app.sync.slides import offline as offline_checkout
from desktop_app.sync.transport.http import Offline
from desktop_app.ui.home.context import HomeContext
from desktop_app.ui.home.dialogs import (
    MembersDialog,
    NewProjectDialog,
    NoteDialog,
    PropertiesDialog,
)
from desktop_app.ui.home.images_tab import ImagesTab
from desktop_app.ui.home.jobs import TransferJob
from desktop_app.ui.home.projects_tab import ProjectsTab
from desktop_app.ui.home.tree_tab import TreeTab
from desktop_app.ui.lanes import Lane
from desktop_app.ui.main_window import SLIDE_FILTER

SLIDE_SUFFIXES = {".svs", ".tif", ".tiff", ".ndpi", ".vms", ".vmu", ".scn", ".mrxs", ".bif"}


class HomeView(Protocol):
    """What the actions use of the home page (``HomePage`` is one): its tabs, its lane,
    the project rows shown, and a refresh and a message when an action is done."""

    ctx: HomeContext
    images: ImagesTab
    projects: ProjectsTab
    tree: TreeTab
    lane: Lane
    project_rows: list[ProjectRow]
    image_opened: Any  # Signal(int)

    def refresh(self) -> None: ...

    def open_image(self, image_pk: int) -> None: ...

    def show_message(self, text: str) -> None: ...


class HomeActions:
    """``page`` is what the actions read and refresh; ``parent`` owns their dialogs."""

    def __init__(self, page: HomeView, parent: QWidget) -> None:
        self.page = page
        self.parent = parent
        self.ctx = page.ctx
        self.jobs: list[TransferJob] = []
        page.images.offline_requested.connect(self.make_offline)
        page.images.remove_offline_requested.connect(self.remove_offline)
        page.images.properties_requested.connect(self.properties)
        page.projects.new_requested.connect(self.new_project)
        page.projects.members_requested.connect(self.members)
        page.projects.add_image_requested.connect(self.add_image)
        page.tree.file_requested.connect(self.open_file)
        page.tree.note_add_requested.connect(self.add_note)
        page.tree.note_edit_requested.connect(self.edit_note)
        page.tree.note_delete_requested.connect(self.delete_note)

    # --- helpers ------------------------------------------------------------------------
    def _submit(self, fn: Callable[..., Any], *args: Any, then: Callable[[Any], object]) -> None:
        self.page.lane.submit(fn, *args, on_done=then)

    def _done(self, message: str | None = None) -> Callable[[Any], None]:
        """A completion callback: show ``message`` (else the result, itself a message),
        then refresh the page."""

        def done(result: Any) -> None:
            self.page.show_message(message if message is not None else str(result))
            self.page.refresh()

        return done

    def _job(self, title: str, label: str, work: Any, done: Callable[[Any], object]) -> TransferJob:
        job = TransferJob(title, label, work, self.parent)
        job.finished.connect(done)
        job.failed.connect(lambda msg: self.page.show_message(f"{title}: {msg}"))
        job.cancelled.connect(lambda: self.page.show_message(f"{title}: cancelled (resumable)"))
        self.jobs.append(job)
        return job.start()

    def _with_client(self, fn: Callable[..., Any], *args: Any) -> Any:
        client = self.ctx.client()
        try:
            return fn(client, *args)
        finally:
            client.close()

    # --- offline copies -----------------------------------------------------------------
    def make_offline(self, image_pk: int, mode: str, magnification: float) -> None:
        mag = magnification or None

        def plan(client: Any) -> list[offline_checkout.OfflineItem]:
            return offline_checkout.plan(
                self.ctx.store, client, [image_pk], mode=mode, magnification=mag
            )

        self._submit(self._with_client, plan, then=self._confirm_offline)

    def _confirm_offline(self, items: list[offline_checkout.OfflineItem]) -> None:
        if not items:
            self.page.show_message("This image is not on the server: nothing to download.")
            return
        item = items[0]
        size = (
            f"{'' if item.exact else 'about '}{human_size(item.bytes_estimate)}"
            if item.bytes_estimate
            else "size unknown"
        )
        what = (
            "the slide file"
            if item.mode == "file"
            else f"{item.tiles:,} tiles down to {item.magnification:g}x"
        )
        answer = QMessageBox.question(
            self.parent, "Make available offline", f"Download {what} of {item.name} ({size})?"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def work(progress: Any, cancel: threading.Event) -> Any:
            return self._with_client(
                lambda client: offline_checkout.make_offline(
                    self.ctx.store,
                    client,
                    item,
                    slides_dir=self.ctx.slides_dir,
                    tiles=self.ctx.tiles,
                    progress=progress,
                    cancel=cancel,
                )
            )

        self._job(
            "Make available offline",
            f"Downloading {item.name} ({size})",
            work,
            self._done(f"{item.name} is available offline."),
        )

    def remove_offline(self, image_pk: int) -> None:
        answer = QMessageBox.question(
            self.parent,
            "Remove the offline copy",
            "Remove the downloaded copy of this image? It stays on the server.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        login = self.ctx.login()
        self._submit(
            lambda: offline_checkout.remove_offline(
                self.ctx.store,
                image_pk,
                slides_dir=self.ctx.slides_dir,
                tiles=self.ctx.tiles,
                base_url=login.server_url if login else None,
            ),
            then=lambda _r: self.page.refresh(),
        )

    def properties(self, image_pk: int) -> None:
        def facts() -> tuple[Any, str | None, list[Any]]:
            return (
                self.ctx.catalog.image(image_pk),
                self.ctx.catalog.description(image_pk),
                list_files(self.ctx.store, image_target(image_pk)),
            )

        self._submit(facts, then=self._show_properties)

    def _show_properties(self, facts: tuple[Any, str | None, list[Any]]) -> None:
        row, description, files = facts
        if row is None:
            return
        items = [
            ("Name", row.name),
            ("Server id", row.server_id or "local only"),
            ("Size", f"{row.width:,} × {row.height:,} px"),
            ("µm/px", f"{row.mpp:.4f}" if row.mpp else "unknown"),
            ("Magnification", f"{row.magnification:g}x" if row.magnification else "unknown"),
            ("Annotations", f"{row.annotations} ({row.reviewed} reviewed)"),
            ("Offline", row.offline_label),
            ("File", row.path or "-"),
        ]
        body = "".join(
            f"<tr><td><b>{k}</b></td><td>{html.escape(str(v))}</td></tr>" for k, v in items
        )
        names = "".join(f"<li>{html.escape(f.filename)}</li>" for f in files) or "<li>none</li>"
        desc = description or "<i>no description</i>"
        PropertiesDialog(
            row.name,
            f"<table>{body}</table><h4>Description</h4>{desc}"
            f"<h4>Attached files</h4><ul>{names}</ul>",
            self.parent,
        ).exec()

    # --- projects, members, images ---------------------------------------------------------
    def new_project(self) -> None:
        dialog = NewProjectDialog(self.ctx.catalog.ontologies(), self.parent)
        if not dialog.exec():
            return
        spec = dialog.value()
        if spec is None:
            return

        def create() -> str:
            onto = spec.ontology_pk
            if spec.new_ontology:
                onto = create_ontology(self.ctx.store, spec.new_ontology, [], self.ctx.user_pk)
            project = self.ctx.workspace.local_project(spec.name, ontology_pk=onto)
            if self.ctx.login() is None:
                return f"{spec.name} created locally (log in and sync to share it)."
            try:
                self._with_client(
                    lambda client: project_admin.publish(self.ctx.store, client, project.pk)
                )
            except Offline:
                return f"{spec.name} created locally; Sync now offers to upload it."
            return f"{spec.name} created on the server."

        self._submit(create, then=self._done())

    def members(self, project_pk: int) -> None:
        rows = [r for r in self.page.project_rows if r.pk == project_pk]
        dialog = MembersDialog(rows[0].name if rows else "project", self.parent)

        def load_members() -> None:
            members = self.ctx.catalog.members(project_pk)
            dialog.set_members([(m.server_id, m.username, m.role) for m in members])

        def show_users(users: list[Any]) -> None:
            dialog.set_users([(u.id, f"{u.username} {u.name}".strip()) for u in users])
            dialog.status.setText("Members change on the server at once.")

        def saved(_result: object) -> None:
            load_members()
            dialog.status.setText("Saved.")
            self.page.refresh()

        load_members()
        self._submit(self._with_client, project_admin.server_users, then=show_users)

        def change(fn: Callable[..., Any], *args: Any) -> None:
            dialog.status.setText("Saving...")
            self._submit(
                lambda: self._with_client(lambda client: fn(self.ctx.store, client, *args)),
                then=saved,
            )

        def add() -> None:
            user = dialog.user.currentData()
            if user is not None:
                role = Access(dialog.role.currentText())
                change(project_admin.set_member, project_pk, int(user), role)

        def remove() -> None:
            member = dialog.selected_member()
            if member is not None:
                change(project_admin.remove_member, project_pk, member)

        dialog.add_button.clicked.connect(add)
        for box, field, setter in (
            (dialog.downloadable, "downloadable", project_admin.set_images_downloadable),
            (dialog.blind, "blind", project_admin.set_blind_mode),
        ):  # project settings: on the server at once (project admins only)
            box.setChecked(bool(rows and getattr(rows[0], field)))
            box.toggled.connect(lambda on, fn=setter: change(fn, project_pk, on))
        dialog.remove_button.clicked.connect(remove)
        dialog.exec()

    def add_image(self, project_pk: int) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, "Add a slide to the project", "", SLIDE_FILTER
        )
        if not path:
            return
        row = [r for r in self.page.project_rows if r.pk == project_pk]
        on_server = bool(row) and row[0].server_id is not None

        def register() -> int:
            with open_slide(Path(path)) as source:
                info = source.info
            return self.ctx.workspace.register_slide(Path(path), info, project_pk=project_pk).pk

        def registered(image_pk: int) -> None:
            self.page.refresh()
            if not on_server or self.ctx.login() is None:
                self.page.show_message(
                    f"{Path(path).name} added; it is uploaded with the next sync."
                )
                return

            def work(progress: Any, cancel: threading.Event) -> Any:
                return self._with_client(
                    lambda client: project_admin.upload_image(
                        self.ctx.store,
                        client,
                        image_pk,
                        project_pk,
                        progress=progress,
                        cancel=cancel,
                    )
                )

            self._job(
                "Upload",
                f"Uploading {Path(path).name}",
                work,
                self._done(f"{Path(path).name} uploaded."),
            )

        self._submit(register, then=registered)

    # --- SciTran files and notes ----------------------------------------------------------
    def open_file(self, node: Node, name: str) -> None:
        f = next((f for f in node["files"] if f["name"] == name), None)
        if f is None:
            return
        if f.get("image") is not None:
            self.page.open_image(int(f["image"]))
            return
        slide = Path(name).suffix.lower() in SLIDE_SUFFIXES

        def work(progress: Any, cancel: threading.Event) -> Path:
            return self._with_client(
                lambda client: project_admin.download_container_file(
                    client,
                    node,
                    name,
                    self.ctx.files_dir,
                    slide=slide,
                    progress=progress,
                    cancel=cancel,
                )
            )

        def opened(path: Path) -> None:
            if slide:
                self.ctx.open_path(path)
                self.page.image_opened.emit(0)
            else:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        self._job("Download", f"Downloading {name}", work, opened)

    def add_note(self, node: Node) -> None:
        dialog = NoteDialog(f"Note on {node.get('label') or node['type']}", parent=self.parent)
        if dialog.exec():
            self._submit(
                self.ctx.notes.add,
                node["type"],
                node["uid"],
                dialog.text(),
                then=lambda _uid: self.page.refresh(),
            )

    def edit_note(self, node: Node, note: dict[str, Any]) -> None:
        dialog = NoteDialog("Edit note", note.get("text") or "", parent=self.parent)
        if dialog.exec():
            self._submit(
                self.ctx.notes.edit, note["uid"], dialog.text(), then=lambda _r: self.page.refresh()
            )

    def delete_note(self, node: Node, note: dict[str, Any]) -> None:
        """Asked first: a deleted note leaves the server with the next sync."""
        text = str(note.get("text") or "")
        quoted = text if len(text) <= 80 else text[:77] + "..."
        answer = QMessageBox.question(
            self.parent,
            "Delete note",
            f"Delete this note on {node.get('label') or node['type']}?\n\n\u201c{quoted}\u201d\n\n"
            "It is removed from the server with the next sync.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._submit(self.ctx.notes.delete, note["uid"], then=lambda _r: self.page.refresh())

    def shutdown(self) -> None:
        for job in self.jobs:
            job.shutdown(5)
