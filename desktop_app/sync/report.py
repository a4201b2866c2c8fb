"""What a sync run reports, and the status the GUI shows between runs.

Kept apart from the engine so the GUI and the CLI can format reports without
importing the machinery that produces them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class SyncReport:
    """What one run did and what is left; ``ok`` means "everything is in sync"."""

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    failed: int = 0
    pending: int = 0
    waiting: int = 0
    error: str | None = None
    error_kind: str | None = None  # offline | auth | server | malformed | cancelled
    seconds: float = 0.0
    requests: int = 0
    writes: int = 0
    uploaded: int = 0
    upload_errors: list[str] = field(default_factory=list)
    publish_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not (
            self.pending or self.conflicts or self.failed or self.publish_errors
        )

    def reason(self) -> str:
        """One line for the CLI and the status bar."""
        if self.error is not None:
            return f"{self.error_kind}: {self.error}"
        parts = []
        if self.conflicts:
            parts.append(f"{self.conflicts} conflict(s) to resolve")
        if self.failed:
            parts.append(f"{self.failed} change(s) refused by the server")
        for msg in self.upload_errors:
            parts.append(f"upload failed: {msg}")
        for msg in self.publish_errors:
            parts.append(f"not created on the server: {msg}")
        if self.pending:
            extra = (
                f" ({self.waiting} waiting for images not on the server)" if self.waiting else ""
            )
            parts.append(f"{self.pending} change(s) not sent yet{extra}")
        return "; ".join(parts) or "in sync"

    def as_json(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "failed": self.failed,
            "pending": self.pending,
            "uploaded": self.uploaded,
            "upload_errors": list(self.upload_errors),
            "publish_errors": list(self.publish_errors),
            "ok": self.ok,
            "error": self.error,
        }


@dataclass
class SyncStatus:
    """What the status bar shows."""

    online: bool | None = None
    pending: int = 0
    conflicts: int = 0
    last_sync: datetime | None = None
    last_error: str | None = None
    running: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
