"""Editing the term tree from the panel: buttons, dialogs, and the calls they make.

Each button opens a small dialog and then calls one method (``create``, ``rename``,
``recolor``, ``reparent``, ``delete``, ``import_json``, ``export_json``); the methods
run the ontology service on the writer lane and reload the terms when it is done, so
tests call them directly and the dialogs stay a thin layer on top.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QToolButton,
    QWidget,
)

from desktop_app.services import ontology_edit
from desktop_app.ui.annotations.session import AnnotationSession

DEFAULT_NEW_COLOR = "#42A5F5"
JSON_FILTER = "Ontology (*.json);;All files (*)"


class TermEditBar(QWidget):
    """Add / add child / rename / colour / move / delete / import / export."""

    def __init__(
        self,
        session: AnnotationSession,
        current_term: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._current = current_term
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QToolButton] = {}
        for key, text, slot in (
            ("add", "Add", lambda: self._ask_create(child=False)),
            ("child", "Child", lambda: self._ask_create(child=True)),
            ("rename", "Rename", self._ask_rename),
            ("color", "Colour", self._ask_color),
            ("move", "Move", self._ask_parent),
            ("delete", "Delete", self._ask_delete),
            ("import", "Import", self._ask_import),
            ("export", "Export", self._ask_export),
        ):
            button = QToolButton()
            button.setText(text)
            button.clicked.connect(lambda _c=False, s=slot: s())
            layout.addWidget(button)
            self.buttons[key] = button
        layout.addStretch(1)

    def set_enabled(self, admin: bool) -> None:
        """Editing needs admin access to the project; exporting does not."""
        for key, button in self.buttons.items():
            button.setEnabled(admin or key == "export")
            if not admin and key != "export":
                button.setToolTip("Only project administrators can edit the ontology")

    # -- operations (no dialogs) --------------------------------------------------------
    def _ontology(self) -> int | None:
        state = self._session.state
        return None if state is None else state.ontology_pk

    def _run(self, fn: Callable[..., object], *args: object, **kwargs: object) -> None:
        user = self._session.user_pk

        def call() -> object:
            return fn(self._session.store, *args, user_pk=user, **kwargs)

        self._session.write(call, on_done=lambda _r: self._session.reload_terms())

    def create_term(self, name: str, color: str, parent_pk: int | None = None) -> None:
        onto = self._ontology()
        if onto is not None:
            self._run(ontology_edit.create_term, onto, name, color, parent_pk=parent_pk)

    def rename(self, term_pk: int, name: str) -> None:
        self._run(ontology_edit.rename_term, term_pk, name)

    def recolor(self, term_pk: int, color: str) -> None:
        self._run(ontology_edit.recolor_term, term_pk, color)

    def reparent(self, term_pk: int, parent_pk: int | None) -> None:
        self._run(ontology_edit.reparent_term, term_pk, parent_pk)

    def delete(self, term_pk: int) -> None:
        self._run(ontology_edit.delete_term, term_pk)

    def import_json(self, path: Path) -> None:
        onto = self._ontology()
        if onto is None:
            return

        store, user = self._session.store, self._session.user_pk

        def merge() -> ontology_edit.OntologyImport:
            try:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ValueError(f"cannot read {Path(path).name}: {exc}") from exc
            return ontology_edit.import_ontology(store, onto, data, user_pk=user)

        def done(report: ontology_edit.OntologyImport) -> None:
            self._session.reload_terms()
            self._session.message.emit(
                f"Ontology import: {len(report.created)} new, {len(report.updated)} updated term(s)"
            )

        self._session.write(merge, on_done=done)

    def export_json(self, path: Path) -> None:
        onto = self._ontology()
        if onto is None:
            return

        def write() -> int:
            data = ontology_edit.export_ontology(self._session.store, onto)
            Path(path).write_text(json.dumps(data, indent=2), encoding="utf-8")
            return len(data["terms"])

        self._session.write(
            write, on_done=lambda n: self._session.message.emit(f"Exported {n} terms to {path}")
        )

    # -- dialogs ------------------------------------------------------------------------
    def _ask_create(self, *, child: bool) -> None:
        parent = self._current() if child else None
        if child and parent is None:
            self._session.message.emit("Select the parent term first.")
            return
        name, ok = QInputDialog.getText(self, "New term", "Name:")
        if ok and name.strip():
            color = QColorDialog.getColor(QColor(DEFAULT_NEW_COLOR), self, "Term colour")
            if color.isValid():
                self.create_term(name, color.name(), parent)

    def _ask_rename(self) -> None:
        pk = self._current()
        term = None if pk is None else self._session.term(pk)
        if term is None:
            return
        name, ok = QInputDialog.getText(self, "Rename term", "Name:", text=term.name)
        if ok and name.strip() and name != term.name:
            self.rename(term.pk, name)

    def _ask_color(self) -> None:
        pk = self._current()
        term = None if pk is None else self._session.term(pk)
        if term is None:
            return
        color = QColorDialog.getColor(QColor(term.color), self, f"Colour of {term.name}")
        if color.isValid():
            self.recolor(term.pk, color.name())

    def _ask_parent(self) -> None:
        pk = self._current()
        term = None if pk is None else self._session.term(pk)
        if term is None:
            return
        others = [t for t in self._session.terms if t.pk != term.pk]
        names = ["(top level)"] + [t.name for t in others]
        choice, ok = QInputDialog.getItem(
            self, "Move term", f"New parent of {term.name}:", names, 0, False
        )
        if ok:
            parent = next((t.pk for t in others if t.name == choice), None)
            self.reparent(term.pk, parent)

    def _ask_delete(self) -> None:
        pk = self._current()
        term = None if pk is None else self._session.term(pk)
        if term is None:
            return
        answer = QMessageBox.question(self, "Delete term", f"Delete the term {term.name!r}?")
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(term.pk)

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import ontology", "", JSON_FILTER)
        if path:
            self.import_json(Path(path))

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export ontology", "ontology.json", JSON_FILTER)
        if path:
            self.export_json(Path(path))
