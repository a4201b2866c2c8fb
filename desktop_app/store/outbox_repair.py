"""Repairing the outbox: the missing op of a stranded row queued, as its writer should have.

Kept apart from ``outbox`` (the invariant and its check), which the unit of work runs
before every commit: the repair writes through a unit of work, so it stands above both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from desktop_app.model.annotation import Annotation
from desktop_app.model.sync import OpKind
from desktop_app.store.outbox import OutboxProblem, check_outbox
from desktop_app.store.uow import UnitOfWork, entity_classes

#: Ops that queue a never-sent, live row again (``repair``); other rows need a person.
_REQUEUE = {
    "annotation": OpKind.CREATE,
    "annotation_term": OpKind.ADD_TERM,
    "ontology": OpKind.CREATE,
    "term": OpKind.CREATE,
    "relation_term": OpKind.CREATE,
}


def repair(uow: UnitOfWork) -> tuple[int, list[OutboxProblem]]:
    """Queue the missing op of every stranded row that was never sent and is still live.

    Such a row is a create whose op was never written (a cache filled by an import of a
    release whose importer wrote no op): queueing the create is exactly what its writer
    should have done.
    Returns (rows queued, problems left for a person).
    """
    report = check_outbox(uow.session)
    queued, left = 0, []
    for problem in report.problems:
        kind = _REQUEUE.get(problem.table)
        row = uow.session.get(entity_classes()[problem.table], problem.pk)
        never_sent = row is not None and row.server_id is None and row.base_json is None
        if (
            row is None
            or problem.kind != "no_operation"
            or kind is None
            or not never_sent
            or row.local_deleted
        ):
            left.append(problem)
            continue
        uow.log(kind, row, project_pk=_project_of(uow, row))
        queued += 1
    return queued, left


def _project_of(uow: UnitOfWork, row: Any) -> int | None:
    if isinstance(row, Annotation):
        return row.project_pk
    ann_pk = getattr(row, "annotation_pk", None)
    if ann_pk is None:
        return None  # ontology rows are logged without a project, as their editors do
    return uow.session.scalar(select(Annotation.project_pk).where(Annotation.pk == ann_pk))
