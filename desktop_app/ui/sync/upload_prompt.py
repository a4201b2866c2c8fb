"""Sync now and local projects: ask once per project whether to upload it.

A project made in the cache (opened slides, the demo, an import) is not on the server,
so a plain sync leaves its edits waiting.  Before a *Sync now*, each local project the
user has not answered for yet gets one question -- upload it (project, terms, slides,
annotations) or keep it on this workstation.  The answer is remembered per project in
``ui-settings.ini`` beside the cache; *File > Upload local projects...* asks again for
every local project, whatever was answered before.  The upload itself runs in the
sync run (off the UI thread, with the status bar's progress and Cancel).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.sync.projects.local_upload import LocalProject

UPLOAD, KEEP_LOCAL = "upload", "local"


class UploadChoices:
    """The remembered answer per local project (cache pk): upload, keep local, or none."""

    def __init__(self, path: Path | None) -> None:
        self._settings = (
            QSettings(str(path), QSettings.Format.IniFormat) if path is not None else None
        )
        self._session: dict[int, str] = {}

    def get(self, project_pk: int) -> str | None:
        if project_pk in self._session:
            return self._session[project_pk]
        raw = self._settings.value(f"local-projects/{project_pk}") if self._settings else None
        return str(raw) if raw in (UPLOAD, KEEP_LOCAL) else None

    def set(self, project_pk: int, answer: str) -> None:
        self._session[project_pk] = answer
        if self._settings is not None:
            self._settings.setValue(f"local-projects/{project_pk}", answer)
            self._settings.sync()

    def uploads(self, projects: Sequence[LocalProject]) -> list[int]:
        """The projects among ``projects`` the user said to upload."""
        return [p.pk for p in projects if self.get(p.pk) == UPLOAD]


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB"


def question_text(project: LocalProject, server: str) -> str:
    what = [f"{project.images} slide(s) ({_size(project.slide_bytes)})"]
    what.append(f"{project.annotations} annotation(s)")
    return (
        f"The project \u201c{project.name}\u201d exists only on this workstation.\n\n"
        f"Upload it to {server or 'the server'}? This sends {' and '.join(what)}; "
        "the members you add there can then open and annotate it.\n\n"
        "Keep local: never asked again (File > Upload local projects... asks again)."
    )


class UploadPrompt(QObject):
    """Asks about each project in turn (window-modal, never a nested event loop);
    ``finished(pks_to_upload)`` once every question is answered."""

    finished = Signal(list)

    def __init__(self, parent: QWidget, choices: UploadChoices) -> None:
        super().__init__(parent)
        self._parent = parent
        self.choices = choices
        self.box: QMessageBox | None = None
        self._queue: list[LocalProject] = []
        self._all: list[LocalProject] = []
        self._server = ""

    @property
    def asking(self) -> bool:
        return self.box is not None

    def ask(self, projects: Sequence[LocalProject], server: str, *, again: bool = False) -> None:
        """Ask about the projects without a remembered answer (``again``: about all)."""
        self._all = list(projects)
        self._server = server
        self._queue = [p for p in projects if again or self.choices.get(p.pk) is None]
        self._next()

    def _next(self) -> None:
        if not self._queue:
            self.box = None
            self.finished.emit(self.choices.uploads(self._all))
            return
        project = self._queue[0]
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Upload local project?",
            question_text(project, self._server),
            parent=self._parent,
        )
        box.setObjectName("upload_question")
        self.upload_button = box.addButton("Upload", QMessageBox.ButtonRole.AcceptRole)
        self.keep_button = box.addButton("Keep local", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.upload_button)
        box.setEscapeButton(self.keep_button)
        box.finished.connect(lambda _r, b=box, p=project: self._answered(b, p))
        self.box = box
        box.open()

    def _answered(self, box: QMessageBox, project: LocalProject) -> None:
        if box is not self.box:
            return
        self.choices.set(
            project.pk, UPLOAD if box.clickedButton() is self.upload_button else KEEP_LOCAL
        )
        box.deleteLater()
        self._queue.pop(0)
        self._next()


__all__ = ["KEEP_LOCAL", "UPLOAD", "UploadChoices", "UploadPrompt", "question_text"]
