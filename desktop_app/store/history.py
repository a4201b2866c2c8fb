"""Undo and redo, replayed from the command log so they survive a restart.

Undo does not rewind history: it appends the inverse operations as new command-log
rows (so the sync outbox sees them like any edit) and flips the action's undo entry
to ``undone``.  Redo appends the original operations again.  A new action discards
the redo stack of its scope (see ``UnitOfWork``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from desktop_app.model.sync import CommandLog, OpKind, UndoEntry, UndoState
from desktop_app.store.edits import apply_values
from desktop_app.store.uow import Store, UnitOfWork, entity_classes

#: What undoing an operation of each kind does.
INVERSE_KIND = {
    OpKind.CREATE: OpKind.DELETE,
    OpKind.DELETE: OpKind.CREATE,
    OpKind.UPDATE: OpKind.UPDATE,
    OpKind.ADD_TERM: OpKind.REMOVE_TERM,
    OpKind.REMOVE_TERM: OpKind.ADD_TERM,
    OpKind.PUT_PROPERTY: OpKind.PUT_PROPERTY,
    OpKind.DELETE_PROPERTY: OpKind.PUT_PROPERTY,
    OpKind.REVIEW_ACCEPT: OpKind.DELETE,
    OpKind.REVIEW_REJECT: OpKind.DELETE,
}

#: Kinds whose effect is the row's existence (a tombstone flip), not field values.
_REMOVING = {OpKind.DELETE, OpKind.REMOVE_TERM, OpKind.DELETE_PROPERTY}
_ADDING = {OpKind.CREATE, OpKind.ADD_TERM, OpKind.REVIEW_ACCEPT, OpKind.REVIEW_REJECT}


class History:
    """The persistent undo/redo stacks of one scope (e.g. one image)."""

    def __init__(self, store: Store, scope: str = "") -> None:
        self._store = store
        self.scope = scope

    def _top(self, state: UndoState, newest: bool) -> UndoEntry | None:
        order = UndoEntry.pk.desc() if newest else UndoEntry.pk.asc()
        with self._store.read() as session:
            return session.scalar(
                select(UndoEntry)
                .where(UndoEntry.scope == self.scope, UndoEntry.state == state)
                .order_by(order)
                .limit(1)
            )

    def undo_label(self) -> str | None:
        entry = self._top(UndoState.DONE, newest=True)
        return entry.label if entry else None

    def redo_label(self) -> str | None:
        entry = self._top(UndoState.UNDONE, newest=False)
        return entry.label if entry else None

    def undo(self) -> str | None:
        """Undo the newest action of the scope; returns its label (None if nothing to undo)."""
        entry = self._top(UndoState.DONE, newest=True)
        if entry is None:
            return None
        with self._store.unit_of_work(undoable=False, scope=self.scope) as uow:
            ops = _ops_of(uow, entry.action_uid, reverse=True)
            for op in ops:
                _replay(uow, op, INVERSE_KIND[op.kind], op.inverse, op.payload)
            _set_state(uow, entry.action_uid, UndoState.UNDONE)
        return entry.label

    def redo(self) -> str | None:
        """Redo the oldest undone action; returns its label (None if nothing to redo)."""
        entry = self._top(UndoState.UNDONE, newest=False)
        if entry is None:
            return None
        with self._store.unit_of_work(undoable=False, scope=self.scope) as uow:
            for op in _ops_of(uow, entry.action_uid, reverse=False):
                _replay(uow, op, op.kind, op.payload, op.inverse)
            _set_state(uow, entry.action_uid, UndoState.DONE)
        return entry.label


def _ops_of(uow: UnitOfWork, action_uid: str, *, reverse: bool) -> list[CommandLog]:
    order = CommandLog.seq.desc() if reverse else CommandLog.seq.asc()
    return list(
        uow.session.scalars(
            select(CommandLog).where(CommandLog.action_uid == action_uid).order_by(order)
        )
    )


def _set_state(uow: UnitOfWork, action_uid: str, state: UndoState) -> None:
    entry = uow.session.scalar(select(UndoEntry).where(UndoEntry.action_uid == action_uid))
    if entry is not None:
        entry.state = state


def _replay(
    uow: UnitOfWork,
    op: CommandLog,
    kind: OpKind,
    values: dict[str, Any],
    previous: dict[str, Any],
) -> None:
    cls = entity_classes()[op.entity_type]
    entity = uow.session.get(cls, op.entity_pk)
    if entity is None:  # purged after the server acknowledged a delete: nothing to flip
        return
    if kind is OpKind.PUT_PROPERTY and values.get("local_deleted"):
        kind = OpKind.DELETE_PROPERTY  # undoing the creation of a property deletes it
    if kind in _REMOVING:
        entity.local_deleted = True
    elif kind in _ADDING:
        entity.local_deleted = False
    if values:
        apply_values(entity, values)
    uow.log(kind, entity, payload=values, inverse=previous, project_pk=op.project_pk)
