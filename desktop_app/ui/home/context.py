"""What the home's views are given by the composition root (no globals, no SQL here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.services.projects import ProjectCatalog
from desktop_app.services.scitran_notes import NoteService
from desktop_app.services.scitran_tree import ScitranTree
from desktop_app.services.workspace import Workspace
from desktop_app.slide.disk_cache import DiskTileCache
from desktop_app.store.uow import Store
from desktop_app.sync.transport import credentials
from desktop_app.sync.transport.http import CytomineClient
from desktop_app.sync.transport.login_info import LoginInfo, login_info


@dataclass
class HomeContext:
    """The cache, its read services, where files go, and how to reach the server.

    ``tiles`` is the app's disk tile cache of ``tiles_dir``, the very object its viewer
    streams through, so downloads and removals keep one byte budget with it."""

    store: Store
    data_dir: Path
    user_pk: int
    open_image: Callable[[int], object]
    open_path: Callable[[Path], object]
    tiles: DiskTileCache

    def __post_init__(self) -> None:
        self.catalog = ProjectCatalog(self.store, self.tiles_dir)
        self.tree = ScitranTree(self.store)
        self.notes = NoteService(self.store, self.user_pk)
        self.workspace = Workspace(self.store)

    @property
    def tiles_dir(self) -> Path:
        return self.data_dir / "tiles"

    @property
    def slides_dir(self) -> Path:
        return self.data_dir / "slides"

    @property
    def thumbs_dir(self) -> Path:
        return self.data_dir / "thumbnails"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "container_files"

    def login(self) -> LoginInfo | None:
        return login_info(self.data_dir)

    def client(self) -> CytomineClient:
        """A client from the stored login (no network); raises CredentialError."""
        creds = credentials.load(self.data_dir)
        return CytomineClient(creds.server_url, creds.public_key, creds.private_key)
