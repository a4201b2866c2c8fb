"""The outbox invariant, checked: a row waiting for the server has an operation to carry it.

Every change the server must hear about is a row marked ``sync_state = 'pending'`` AND
an open operation in ``command_log`` (the outbox) naming that row, written in the same
transaction.  A pending row without an open operation is stranded: no sync ever sends
it and nothing reports it (an import whose term links had no ops was exactly that).
An unfinished operation on a row that is missing or already settled is the mirror
image: the engine would send something the cache no longer means.

Two checks share the rule:

* :func:`stranded_rows` looks only at the rows one transaction touched; the
  :class:`~desktop_app.store.uow.UnitOfWork` runs it before every commit, so no
  writer (service, bulk import, review, conflict resolution, restore, pull) can
  commit a stranded row.
* :func:`check_outbox` looks at the whole cache (both directions); the sync tests run
  it after every test and ``workstation doctor`` runs it on a user's cache.

Images are not in the outbox: a local slide travels by upload (``sync/slide_upload``)
and counts as sent once it has a server id, so image tables are outside this rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Exists, Table, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from desktop_app.model import Base
from desktop_app.model.base import SyncState
from desktop_app.model.sync import CommandLog, OpState

#: Tables whose row changes reach the server through ``command_log``.
OUTBOX_TABLES = (
    "annotation",
    "annotation_term",
    "property",
    "description",
    "attached_file",
    "ontology",
    "term",
    "relation_term",
    "note",  # SciTran notes (sent by sync/push/notes.py)
    "review_decision",  # per-reader review decisions (issue 13)
)
#: Operations the engine still has to deliver.
UNFINISHED = (OpState.PENDING, OpState.INFLIGHT, OpState.NEEDS_RECONCILE)
#: Operations that still stand for an undelivered change: unfinished, or parked for the
#: user (a conflict or a refusal shown as a sync issue) — either keeps the row's intent.
OPEN = (*UNFINISHED, OpState.BLOCKED, OpState.CONFLICT, OpState.FAILED)
#: Row states that may carry unfinished operations (the change is not settled yet).
UNSETTLED = (SyncState.PENDING, SyncState.CONFLICT, SyncState.ORPHANED)


class OutboxInvariantError(RuntimeError):
    """A transaction tried to commit a pending row without its outbox operation.

    A programming error (a writer that forgot ``UnitOfWork.log``); the transaction is
    rolled back so the cache never holds a change no sync would send.
    """


@dataclass(frozen=True, slots=True)
class OutboxProblem:
    """One break of the invariant, on one row."""

    kind: str  # "no_operation" | "missing_row" | "settled_row"
    table: str
    pk: int
    uid: str | None
    detail: str


@dataclass
class OutboxReport:
    """What :func:`check_outbox` found: problems, plus counts for context."""

    problems: list[OutboxProblem] = field(default_factory=list)
    pending_rows: int = 0
    open_operations: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _has_open_op(table: Table) -> Exists:
    """SQL: an open op names this row (``entity_uid`` is indexed; the type makes it exact)."""
    log = CommandLog.__table__.c
    return exists().where(
        log.entity_uid == table.c.uid,
        log.entity_type == table.name,
        log.state.in_([s.value for s in OPEN]),
    )


def stranded_rows(
    session: Session,
    touched: Mapping[str, Iterable[int]],
    ranges: Iterable[tuple[str, int, int]] = (),
) -> list[OutboxProblem]:
    """Pending rows among ``touched`` (table → pks) and ``ranges`` (table, first pk, last
    pk) that have no open outbox operation.  Cheap: only those rows are read."""
    out: list[OutboxProblem] = []
    pending = SyncState.PENDING.value
    for name, pks in touched.items():
        if name not in OUTBOX_TABLES:
            continue
        table, keys = _table(name), sorted(set(pks))
        for i in range(0, len(keys), 900):
            query = select(table.c.pk, table.c.uid).where(
                table.c.pk.in_(keys[i : i + 900]),
                table.c.sync_state == pending,
                not_(_has_open_op(table)),
            )
            out += [_no_op(name, r.pk, r.uid) for r in session.execute(query)]
    for name, first, last in ranges:
        table = _table(name)
        query = select(table.c.pk, table.c.uid).where(
            table.c.pk.between(first, last),
            table.c.sync_state == pending,
            not_(_has_open_op(table)),
        )
        out += [_no_op(name, r.pk, r.uid) for r in session.execute(query)]
    return out


def _no_op(table: str, pk: int, uid: str | None) -> OutboxProblem:
    return OutboxProblem(
        "no_operation", table, int(pk), uid, "waits for the server but no sync would send it"
    )


def check_outbox(session: Session) -> OutboxReport:
    """The whole cache against the invariant, both ways.

    1. Every row of an outbox table in state ``pending`` has an open operation.
    2. Every unfinished operation names a row that exists and is not settled
       (``synced`` or ``local``): otherwise the engine would send a change nobody means.
    """
    report = OutboxReport()
    log = CommandLog.__table__.c
    pending = SyncState.PENDING.value
    unfinished = [s.value for s in UNFINISHED]
    unsettled = [s.value for s in UNSETTLED]
    for name in OUTBOX_TABLES:
        table = _table(name)
        report.pending_rows += int(
            session.scalar(
                select(func.count()).select_from(table).where(table.c.sync_state == pending)
            )
            or 0
        )
        query = select(table.c.pk, table.c.uid).where(
            table.c.sync_state == pending, not_(_has_open_op(table))
        )
        report.problems += [_no_op(name, r.pk, r.uid) for r in session.execute(query)]
        orphans = (
            select(log.entity_pk, log.entity_uid, log.kind, table.c.pk.label("row"))
            .select_from(
                CommandLog.__table__.outerjoin(
                    table, and_(table.c.pk == log.entity_pk, table.c.uid == log.entity_uid)
                )
            )
            .where(
                log.entity_type == name,
                log.state.in_(unfinished),
                or_(table.c.pk.is_(None), table.c.sync_state.not_in(unsettled)),
            )
            .order_by(log.seq)
        )
        for r in session.execute(orphans):
            if r.row is None:
                problem = OutboxProblem(
                    "missing_row",
                    name,
                    int(r.entity_pk),
                    r.entity_uid,
                    f"a {r.kind} waits to be sent for a row that is gone",
                )
            else:
                problem = OutboxProblem(
                    "settled_row",
                    name,
                    int(r.entity_pk),
                    r.entity_uid,
                    f"a {r.kind} waits to be sent for a row already in step with the server",
                )
            report.problems.append(problem)
    report.open_operations = int(
        session.scalar(select(func.count()).where(log.state.in_(unfinished))) or 0
    )
    return report


__all__ = [
    "OPEN",
    "OUTBOX_TABLES",
    "UNFINISHED",
    "OutboxInvariantError",
    "OutboxProblem",
    "OutboxReport",
    "check_outbox",
    "stranded_rows",
]
