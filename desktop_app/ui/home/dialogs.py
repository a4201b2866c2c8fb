"""Small dialogs of the home: new project, members, image properties, note text."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

NEW_ONTOLOGY = "New ontology..."


@dataclass(frozen=True, slots=True)
class NewProject:
    name: str
    ontology_pk: int | None  # an existing ontology
    new_ontology: str | None  # or the name of one to create


class NewProjectDialog(QDialog):
    """Name + ontology (an existing one, or a new one by name)."""

    def __init__(self, ontologies: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.name = QLineEdit()
        self.ontology = QComboBox()
        self.ontology.addItem("(no ontology)", None)
        for pk, name in ontologies:
            self.ontology.addItem(name, pk)
        self.ontology.addItem(NEW_ONTOLOGY, -1)
        self.new_name = QLineEdit(placeholderText="name of the new ontology")
        self.new_name.setEnabled(False)
        self.ontology.currentIndexChanged.connect(
            lambda _i: self.new_name.setEnabled(self.ontology.currentData() == -1)
        )
        self.message = QLabel()
        self.message.setStyleSheet("color: #C62828")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Ontology", self.ontology)
        form.addRow("", self.new_name)
        form.addRow(
            QLabel(
                "The project is created in the local cache at once and on the server\n"
                "now if it can be reached (else Sync now offers to upload it)."
            )
        )
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if self.value() is not None:
            self.accept()

    def value(self) -> NewProject | None:
        name = self.name.text().strip()
        if not name:
            self.message.setText("Give the project a name.")
            return None
        data = self.ontology.currentData()
        if data == -1:
            onto = self.new_name.text().strip()
            if not onto:
                self.message.setText("Give the new ontology a name.")
                return None
            return NewProject(name, None, onto)
        return NewProject(name, data, None)


class MembersDialog(QDialog):
    """The project's members with their role; add (user + role) and remove."""

    ROLES = ("ro", "rw", "admin")

    def __init__(self, project: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Members of {project}")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["User", "Role"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.user = QComboBox()
        self.user.setEditable(False)
        self.role = QComboBox()
        self.role.addItems(self.ROLES)
        self.role.setCurrentText("rw")
        self.add_button = QPushButton("Add / set role")
        self.remove_button = QPushButton("Remove selected")
        self.status = QLabel("Loading the server's users...")
        # The server's areImagesDownloadable and blindMode: project settings, kept with
        # its members because all are the project admin's and change on the server at once.
        self.downloadable = QCheckBox("Members may download the slide files")
        self.downloadable.setToolTip(
            "Unchecked, the files stay on the server: members keep tiles for offline work"
        )
        self.blind = QCheckBox("Blinded review")
        self.blind.setToolTip(
            "Readers who are not project admins see only their own terms and decisions;"
            " adjudication sets the final one"
        )
        row = QHBoxLayout()
        row.addWidget(self.user, 1)
        row.addWidget(self.role)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remove_button)
        layout.addLayout(row)
        layout.addWidget(self.downloadable)
        layout.addWidget(self.blind)
        layout.addWidget(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(460, 420)

    def set_members(self, members: list[tuple[int | None, str, str]]) -> None:
        """(server user id, username, role) rows."""
        self.table.setRowCount(len(members))
        for n, (sid, name, role) in enumerate(members):
            item = QTableWidgetItem(name)
            item.setData(256, sid)
            self.table.setItem(n, 0, item)
            self.table.setItem(n, 1, QTableWidgetItem(role))

    def set_users(self, users: list[tuple[int, str]]) -> None:
        self.user.clear()
        for sid, label in users:
            self.user.addItem(label, sid)

    def selected_member(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        value = item.data(256) if item is not None else None
        return int(value) if value is not None else None


class PropertiesDialog(QDialog):
    """Read-only facts about an image: size, calibration, offline state, description,
    attached files."""

    def __init__(self, title: str, html_body: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser()
        self.browser.setHtml(html_body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(520, 460)


class NoteDialog(QDialog):
    def __init__(self, title: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.editor = QPlainTextEdit(text)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Notes are saved at once and sent with the next sync."))
        layout.addWidget(self.editor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.editor.toPlainText()
