"""Log in to a Cytomine-compatible server: URL + public key + private key.

The keys are checked against the server (``GET /api/user/current.json``) on a
:class:`Lane`, then stored with :mod:`desktop_app.sync.transport.credentials` (the
private key only in the OS keyring) and the cache's user is linked to the server user, exactly what
``workstation login`` does.  Failures are one line in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.store.uow import Store
from desktop_app.sync import AuthError, CytomineClient, Offline, SyncEngine
from desktop_app.sync.transport import credentials
from desktop_app.sync.transport.http import SyncHttpError
from desktop_app.ui.lanes import Lane, describe_error

ClientFactory = Callable[[str, str, str], CytomineClient]


def default_client(url: str, public: str, private: str) -> CytomineClient:
    return CytomineClient(url, public, private, timeout=15, connect_timeout=5)


def login(
    store: Store, data_dir: Path, url: str, public: str, private: str,
    client_factory: ClientFactory = default_client,
) -> tuple[SyncEngine, dict[str, Any]]:  # fmt: skip
    """Verify, store and link (runs on a worker); raises ValueError with a user message."""
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValueError("The server URL must start with http:// or https://")
    if not public.strip() or not private.strip():
        raise ValueError("Enter both the public and the private key")
    if not credentials.keyring_usable():
        raise ValueError(credentials.NO_KEYRING)
    client = client_factory(url, public.strip(), private.strip())
    try:
        user = client.current_user()
    except Offline:
        client.close()
        raise ValueError(f"Cannot reach {url}: check the address and the network") from None
    except AuthError:
        client.close()
        raise ValueError(
            "The server refused these keys: check the public and private key"
        ) from None
    except SyncHttpError as exc:
        client.close()
        raise ValueError(f"The server answered with an error: {exc}") from None
    try:
        credentials.save(
            data_dir, credentials.Credentials(url, public.strip(), private.strip()), user
        )
    except credentials.CredentialError as exc:
        client.close()
        raise ValueError(str(exc)) from None
    engine = SyncEngine(store, client)
    engine._link_me(user)  # what `workstation login` does: the cache's user is this server user
    return engine, user


class LoginDialog(QDialog):
    """``logged_in(engine, user)`` on success; the dialog then accepts itself."""

    logged_in = Signal(object, object)

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        *,
        server_url: str = "",
        public_key: str = "",
        client_factory: ClientFactory = default_client,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Log in to a Cytomine server")
        self._store, self._data_dir, self._client_factory = store, data_dir, client_factory
        self.url = QLineEdit(server_url)
        self.url.setPlaceholderText("https://cytomine.example.org")
        self.public_key = QLineEdit(public_key)
        self.private_key = QLineEdit()
        self.private_key.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("Server URL", self.url)
        form.addRow("Public key", self.public_key)
        form.addRow("Private key", self.private_key)
        self.error = QLabel()
        self.error.setStyleSheet("color: #C62828")
        self.error.setWordWrap(True)
        note = QLabel("The private key is stored only in the system keyring.")
        note.setStyleSheet("color: palette(mid)")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log in")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.lane = Lane("login", self, abandon_at_exit=True)
        self.busy = False
        self.setMinimumWidth(460)

    def submit(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.error.setText("Checking the keys with the server...")
        self.buttons.setEnabled(False)
        args = (
            self._store, self._data_dir, self.url.text(), self.public_key.text(),
            self.private_key.text(), self._client_factory,
        )  # fmt: skip
        self.lane.submit(
            login,
            *args,
            on_done=lambda result: self._on_result(*result),
            on_error=lambda exc: self._on_result(None, describe_error(exc)),
        )

    def _on_result(self, engine: SyncEngine | None, value: object) -> None:
        self.busy = False
        self.buttons.setEnabled(True)
        if engine is None:
            self.error.setText(str(value))
            return
        self.error.clear()
        self.private_key.clear()
        self.logged_in.emit(engine, value)
        self.accept()
