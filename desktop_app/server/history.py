"""Cytomine's command history: one ``command`` + ``command_history`` row per change.

Stock Cytomine clients (and our sync engine against a stock server) read
``/api/project/{id}/commandhistory.json`` as their change log, so we keep writing it
alongside our own change feed.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session

from desktop_app.model.history import Command, CommandHistory
from desktop_app.server.auth import Caller


class Domain(Protocol):
    """What a command names of its domain (``crud.Resource`` is one)."""

    @property
    def key(self) -> str: ...

    @property
    def cls(self) -> str: ...


_PAST = {"add": "added", "edit": "edited", "delete": "deleted"}
_PREFIX = {"add": "ADD", "edit": "EDIT", "delete": "DELETE"}
_COMMAND_CLASS = {
    "add": "be.cytomine.domain.command.AddCommand",
    "edit": "be.cytomine.domain.command.EditCommand",
    "delete": "be.cytomine.domain.command.DeleteCommand",
}


def log_command(
    db: Session,
    caller: Caller,
    verb: str,
    res: Domain,
    row: Any,
    obj: dict[str, Any],
    projects: list[int],
    *,
    previous: dict[str, Any] | None = None,
) -> int:
    """Write the command (with the object JSON as Cytomine's ``data``) and its history."""
    simple = res.cls.rsplit(".", 1)[-1]
    if verb == "edit":
        data: dict[str, Any] = {f"previous{simple}": previous, f"new{simple}": obj}
    else:
        data = obj
    project_pk = projects[0] if projects else None
    message = f"{simple} {row.pk} {_PAST[verb]}"
    cmd = Command(
        user_pk=caller.pk,
        project_pk=project_pk,
        command_class=_COMMAND_CLASS[verb],
        action_message=message,
        data=data,
        service_name=f"{res.key}Service",
    )
    db.add(cmd)
    db.flush()
    db.add(
        CommandHistory(
            command_pk=cmd.pk,
            user_pk=caller.pk,
            project_pk=project_pk,
            prefix_action=_PREFIX[verb],
            message=message,
        )
    )
    return cmd.pk
