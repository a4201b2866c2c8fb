"""The fetched SciTran hierarchy and what every part of applying it shares.

``TreeBundle`` is what one pull fetched; ``ApplyBase`` holds one apply's session and
the map from server ids to the local pks assigned so far, which the container upserts
(``scitran_apply``) and the note and file upserts (``scitran_attach``) both fill/read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.base import SyncState
from desktop_app.model.project import Project
from desktop_app.model.scitran import Acquisition, Analysis, Collection, ContainerType
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.security import User
from desktop_app.sync.local import user_pk_for

Json = dict[str, Any]


@dataclass
class TreeBundle:
    """Everything fetched from the server for one pull (applied atomically)."""

    me: int | None
    #: my SciTran user id: my login (permissions name their holders by login)
    me_login: str | None = None
    groups: list[Json] = field(default_factory=list)
    projects: list[Json] = field(default_factory=list)
    sessions: list[Json] = field(default_factory=list)
    acquisitions: list[Json] = field(default_factory=list)
    analyses: list[Json] = field(default_factory=list)
    collections: list[Json] = field(default_factory=list)
    #: login (SciTran's user id) -> server user id, for note authors and curators
    users: dict[str, int] = field(default_factory=dict)


MODELS: dict[ContainerType, Any] = {
    ContainerType.PROJECT: Project,
    ContainerType.SESSION: ScSession,
    ContainerType.ACQUISITION: Acquisition,
    ContainerType.ANALYSIS: Analysis,
    ContainerType.COLLECTION: Collection,
}


def sid(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def enum_of(cls: Any, raw: Any) -> Any:
    try:
        return None if raw is None else cls(raw)
    except ValueError:
        return None


def ts(raw: Any) -> datetime | None:
    if not isinstance(raw, str) or not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def synced(row: Any, obj: Json) -> None:
    row.server_id = sid(obj.get("_id"))
    row.sync_state = SyncState.SYNCED
    row.dirty_fields = []


def container_fields(row: Any, obj: Json) -> None:
    row.public = bool(obj.get("public", False))
    row.archived = bool(obj.get("archived", False))
    row.tags = [str(t) for t in obj.get("tags") or []]
    if isinstance(obj.get("info"), dict):
        row.info = obj["info"]


class ApplyBase:
    """One pull's state; ``pks[type][server id]`` maps what was applied to local pks."""

    def __init__(self, s: Session, bundle: TreeBundle) -> None:
        self.s = s
        self.bundle = bundle
        self.pks: dict[ContainerType, dict[int, int]] = {t: {} for t in ContainerType}
        self.me = None if bundle.me is None else user_pk_for(s, bundle.me, None)

    def row(self, cls: Any, obj: Json) -> Any:
        """The cached row of ``obj`` (matched on ``server_id``), else ``None``."""
        server_id = sid(obj.get("_id"))
        if server_id is None:
            return None
        return self.s.scalar(select(cls).where(cls.server_id == server_id))

    def user(self, raw: Any) -> int | None:
        """The local user of a SciTran user id (a login): through the server's user list,
        else the cached user of that name; ``None`` when neither knows it."""
        if not isinstance(raw, str) or not raw:
            return None
        server_id = self.bundle.users.get(raw)
        if server_id is not None:
            return user_pk_for(self.s, server_id, raw)
        return self.s.scalar(select(User.pk).where(User.username == raw))
