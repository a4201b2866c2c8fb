"""Server settings, resolved once by the CLI and handed to ``create_app``.

A frozen dataclass rather than globals, so tests can start several servers with
different databases in one process and nothing leaks between them.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: JSON bodies above this are refused with 413 before any parsing (bulk creates of
#: ~10k annotations stay well below it).
DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024
#: Slide uploads are streamed to disk; this bounds one upload.
DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 * 1024 * 1024
#: A signed request whose ``date`` is further than this from the server clock is refused,
#: so a captured signature stops working after a quarter of an hour.
DEFAULT_MAX_DATE_SKEW_S = 15 * 60.0


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Everything the server needs to know at start-up."""

    database_url: str
    storage_dir: Path
    host: str = "127.0.0.1"
    port: int = 8080
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    server_id: str = "workstation-server"
    #: Seconds of clock skew tolerated on the ``date`` header; ``None`` disables the check
    #: (stock Cytomine does not check it; then a captured signature never expires).
    max_date_skew_s: float | None = DEFAULT_MAX_DATE_SKEW_S
    #: Accept only the string-to-sign layout that covers the path and query (Cytomine
    #: <= 5.2 and our sync client), so a signature cannot be replayed on another route.
    require_path_signature: bool = False
    #: Where the server secret lives (``secret.ServerSecret``); the CLI puts it in the
    #: data dir, ``None`` means inside the storage dir.  ``WORKSTATION_SERVER_SECRET`` overrides it.
    secret_file: str | None = None
    #: ``/docs``, ``/redoc`` and ``/openapi.json`` (public, no secrets in them).
    docs_enabled: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        """For worker processes: ``from_json`` rebuilds an equal settings object."""
        data: dict[str, Any] = asdict(self)
        data["storage_dir"] = str(self.storage_dir)
        return json.dumps(data)

    @classmethod
    def from_json(cls, raw: str) -> ServerSettings:
        data = json.loads(raw)
        data["storage_dir"] = Path(data["storage_dir"])
        return cls(**data)

    @property
    def upload_dir(self) -> Path:
        return self.storage_dir / "uploads"

    @property
    def attached_dir(self) -> Path:
        return self.storage_dir / "attached"

    @property
    def secret_path(self) -> Path:
        if self.secret_file:
            return Path(self.secret_file)
        return self.storage_dir / "server-secret.key"


def default_workers() -> int:
    """Worker processes when ``--workers`` is not given: one per core, at most 4.

    Each worker is a full Python process (its own GIL, engine pool and slide cache);
    SQLite in WAL mode with a busy timeout serialises their writers safely.
    """
    return max(
        1,
        min(
            4,
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1),
        ),
    )


def default_database_url(data_dir: Path) -> str:
    """The default database: a SQLite file next to the rest of the server's data."""
    return f"sqlite:///{(data_dir / 'server.sqlite').as_posix()}"
