"""A project's reject reasons, edited by a project admin on the server (docs/api.md 5.4c).

Reasons are project settings, not data an edit queues: the admin's change is sent at
once (``PUT /api/project/{id}/reviewreason.json``; the server refuses non-admins with
403) and, once accepted, written to the cache; other workstations pull it with their
next sync (``sync/pull/decisions.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop_app.model.project import Project
from desktop_app.protocol.review import ReasonList
from desktop_app.store.uow import Store
from desktop_app.sync.transport.http import CytomineClient, parse_answer


def put_reasons(
    store: Store,
    client: CytomineClient,
    project_pk: int,
    reasons: Sequence[tuple[str, str]] | None,
) -> ReasonList:
    """Replace the project's reasons with (code, label) pairs; None restores the defaults."""
    with store.read() as s:
        project = s.get(Project, project_pk)
        sid = project.server_id if project is not None else None
    if sid is None:
        raise ValueError("this project is not on a server yet: sync it first")
    body = None if reasons is None else [{"code": c, "label": label} for c, label in reasons]
    answer = parse_answer(
        ReasonList,
        client.put(f"/api/project/{sid}/reviewreason.json", {"collection": body}),
        "reason list",
    )
    with store.unit_of_work(undoable=False) as uow:
        row = uow.session.get(Project, project_pk)
        if row is not None:
            stored = [r.model_dump() for r in answer.collection]
            row.review_reasons = None if answer.default else stored
    return answer


__all__ = ["put_reasons"]
