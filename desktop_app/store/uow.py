"""Unit of work: one user action = one transaction = its rows + its command-log entries.

The session lifecycle belongs to the caller (SQLAlchemy's own advice): a service opens
a ``UnitOfWork`` per user action, repositories take its session, and the command-log
rows are appended through :meth:`UnitOfWork.log` inside the same transaction.  Either
the edit and its outbox entry are both committed, or neither is.

The unit of work also enforces that rule for every writer: it records the outbox rows
each flush wrote (and the key ranges the bulk paths declare with :meth:`UnitOfWork.wrote`)
and, before committing, refuses a transaction that leaves one of them ``pending``
without an open outbox operation (``store/outbox.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, event, insert, update
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.model import Base
from desktop_app.model.base import SyncState, new_uid, new_uids, utcnow
from desktop_app.model.sync import CommandLog, OpKind, OpState, UndoEntry, UndoState
from desktop_app.store.engine import make_engine
from desktop_app.store.outbox import OUTBOX_TABLES, OutboxInvariantError, stranded_rows


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (the UI keeps them as values)."""
    return sessionmaker(engine, expire_on_commit=False, future=True)


class UnitOfWork:
    """A transaction scope for one user action.

    ``label`` names the action on the undo stack; an action with a label becomes one
    undo step.  ``scope`` separates undo stacks (e.g. one per image).  Sync steps use
    ``undoable=False``: server changes applied by a pull are not the user's to undo.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        label: str = "",
        scope: str = "",
        user_pk: int | None = None,
        undoable: bool = True,
    ) -> None:
        self._sessions = sessions
        self.label = label
        self.scope = scope
        self.user_pk = user_pk
        self.undoable = undoable
        self.action_uid = new_uid()
        self.ops: list[CommandLog] = []
        self._session: Session | None = None
        self._touched: dict[str, set[int]] = {}
        self._ranges: list[tuple[str, int, int]] = []

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._sessions()
        event.listen(self._session, "after_flush", self._track)
        self._session.begin()
        return self

    def _track(self, session: Session, _context: Any) -> None:
        """Remember the outbox rows each flush inserted or changed (checked at commit)."""
        for obj in (*session.new, *session.dirty):
            table = getattr(obj, "__tablename__", None)
            if table in OUTBOX_TABLES and obj.pk is not None:
                self._touched.setdefault(table, set()).add(obj.pk)

    def wrote(self, table: str, first_pk: int, last_pk: int) -> None:
        """Declare rows written around the ORM (bulk ``executemany``) for the commit check."""
        if table in OUTBOX_TABLES and last_pk >= first_pk:
            self._ranges.append((table, first_pk, last_pk))

    def log_many(
        self,
        kind: OpKind,
        table: str,
        rows: Sequence[tuple[int, str]],
        *,
        project_pk: int | None,
        payloads: Sequence[dict[str, Any]] | None = None,
        inverses: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        """One op per (pk, uid) row of ``table`` written in bulk (Core ``executemany``),
        declared to the commit check like every bulk write."""
        if not rows:
            return
        now = utcnow()
        self.session.execute(
            insert(CommandLog),
            [
                {
                    "op_uid": op_uid,
                    "action_uid": self.action_uid,
                    "project_pk": project_pk,
                    "entity_type": table,
                    "entity_pk": pk,
                    "entity_uid": uid,
                    "kind": kind,
                    "payload": payloads[i] if payloads is not None else {},
                    "inverse": inverses[i] if inverses is not None else {},
                    "state": OpState.PENDING,
                    "user_pk": self.user_pk,
                    "created": now,
                }
                for i, (op_uid, (pk, uid)) in enumerate(zip(new_uids(len(rows)), rows, strict=True))
            ],
        )
        pks = [pk for pk, _uid in rows]
        self.wrote(table, min(pks), max(pks))

    def _check_outbox(self) -> None:
        """Refuse to commit a row that waits for the server with no op to carry it."""
        self.session.flush()
        problems = stranded_rows(self.session, self._touched, self._ranges)
        if problems:
            first = problems[0]
            raise OutboxInvariantError(
                f"{len(problems)} pending row(s) without an outbox operation, e.g. "
                f"{first.table} {first.pk} ({first.uid}); nothing was saved"
            )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if exc_type is not None:
                session.rollback()
                return
            self._check_outbox()
            if self.ops and self.undoable:
                self._push_undo_entry()
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            event.remove(session, "after_flush", self._track)
            session.close()
            self._session = None

    def log(
        self,
        kind: OpKind,
        entity: Any,
        *,
        payload: dict[str, Any] | None = None,
        inverse: dict[str, Any] | None = None,
        project_pk: int | None = None,
    ) -> CommandLog:
        """Append one operation on ``entity`` (a mapped, flushed row) to the command log.

        Marks the row pending and records which fields changed, so a later pull does
        not overwrite them (sync-design 5.5 step 3).
        """
        if entity.pk is None:
            self.session.flush()
        changed = sorted((payload or {}).keys())
        if hasattr(entity, "dirty_fields"):
            entity.dirty_fields = sorted(set(entity.dirty_fields or []) | set(changed))
            entity.sync_state = SyncState.PENDING
        op = CommandLog(
            op_uid=new_uid(),
            action_uid=self.action_uid,
            project_pk=project_pk,
            entity_type=type(entity).__table__.name,
            entity_pk=entity.pk,
            entity_uid=entity.uid,
            kind=kind,
            payload=payload or {},
            inverse=inverse or {},
            base_server_updated=getattr(entity, "server_updated", None),
            base_json=getattr(entity, "base_json", None),
            state=OpState.PENDING,
            user_pk=self.user_pk,
        )
        self.session.add(op)
        self.ops.append(op)
        return op

    def _push_undo_entry(self) -> None:
        """A new action makes every undone action of the same scope unreachable (redo)."""
        self.session.execute(
            update(UndoEntry)
            .where(UndoEntry.scope == self.scope, UndoEntry.state == UndoState.UNDONE)
            .values(state=UndoState.DISCARDED)
        )
        self.session.add(
            UndoEntry(action_uid=self.action_uid, label=self.label or "Edit", scope=self.scope)
        )


class Store:
    """The cache's entry point: builds units of work on one engine.

    Built once by the composition root and passed to the services that need it.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.writer_engine = make_engine(Path(str(engine.url.database)), writer=True)
        self.sessions = session_factory(self.writer_engine)
        self.read_sessions = session_factory(engine)

    def unit_of_work(self, **kwargs: Any) -> UnitOfWork:
        return UnitOfWork(self.sessions, **kwargs)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read-only session (no command log, nothing committed)."""
        session = self.read_sessions()
        try:
            yield session
        finally:
            session.close()  # close, not rollback: rows read stay usable as values

    def close(self) -> None:
        self.writer_engine.dispose()
        self.engine.dispose()


def entity_classes() -> dict[str, type[Any]]:
    """Table name → mapped base class, for replaying command-log operations."""
    out: dict[str, type[Any]] = {}
    for mapper in Base.registry.mappers:
        if mapper.inherits is None and hasattr(mapper.class_, "__table__"):
            out[mapper.class_.__table__.name] = mapper.class_
    return out
