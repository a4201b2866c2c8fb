"""The push's unit of work: one entity's request in one round, and its bookkeeping.

Kept apart from ``push.py`` so the per-entity planners (``plan_*.py``) and answer
handlers (``ack*.py``) can share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop_app.model.sync import CommandLog, OpKind, OpState

#: Ops whose outcome is unknown: re-sent alone, never coalesced with newer ones.
AMBIGUOUS = (OpState.INFLIGHT, OpState.NEEDS_RECONCILE)
#: Ops waiting for the user (conflict / refused): they block only their own entity.
PARKED = (OpState.CONFLICT, OpState.FAILED)
#: Actions that need no request (settled locally in ``push._settle_local``).
LOCAL_ACTIONS = ("drop", "noop", "unsupported")


@dataclass
class Unit:
    """The request for one entity in one round, and the ops its answer settles."""

    entity_type: str
    entity_pk: int
    ops: list[CommandLog]
    #: create | update | delete | add | remove | review | reject | unreview | unreject |
    #: prop_* | describe | attach | attach_delete | term_* | relation_* | drop | noop |
    #: unsupported
    action: str
    request: dict[str, Any] = field(default_factory=dict)
    op_id: str = ""


@dataclass
class PushStats:
    pushed: int = 0
    conflicts: int = 0
    failed: int = 0
    waiting: int = 0
    rounds: int = 0
    dropped: int = 0


def net(ops: list[CommandLog], alive_start: bool) -> tuple[bool, str | None]:
    """(alive at the end, last intended y-down location) of a run of ops on one entity."""
    alive, loc = alive_start, None
    for op in ops:
        if op.kind in (OpKind.CREATE, OpKind.ADD_TERM, OpKind.REVIEW_ACCEPT):
            alive = True
        elif op.kind in (OpKind.DELETE, OpKind.REMOVE_TERM):
            alive = False
        if op.kind is OpKind.UPDATE and isinstance(op.payload.get("location"), str):
            loc = op.payload["location"]
    return alive, loc
