"""Notes on SciTran containers, written offline first.

A note added or edited in the tree is a cache row plus its outbox operation, in one
unit of work (the store's rule: no pending row without its op); ``sync`` sends it
(:mod:`desktop_app.sync.push.notes`).  Notes hang on containers by their local pk.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import Acquisition, Analysis, Collection, ContainerType, Note
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.sync import OpKind
from desktop_app.store.edits import EditError
from desktop_app.store.uow import Store

_MODELS: dict[ContainerType, type[Project | ScSession | Acquisition | Analysis | Collection]] = {
    ContainerType.PROJECT: Project,
    ContainerType.SESSION: ScSession,
    ContainerType.ACQUISITION: Acquisition,
    ContainerType.ANALYSIS: Analysis,
    ContainerType.COLLECTION: Collection,
}


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise EditError("a note needs some text")
    if len(text) > 100_000:
        raise EditError("a note is limited to 100,000 characters")
    return text


class NoteService:
    """Add, edit and delete notes as the cache's user (not on the annotation undo stack)."""

    def __init__(self, store: Store, user_pk: int) -> None:
        self._store = store
        self._user_pk = user_pk

    def _container_uid(self, kind: str, uid: str) -> tuple[ContainerType, int]:
        try:
            ctype = ContainerType(kind)
        except ValueError:
            raise EditError(f"notes cannot be attached to a {kind}") from None
        cls = _MODELS[ctype]
        with self._store.read() as s:
            pk = s.scalar(select(cls.pk).where(cls.uid == uid))
        if pk is None:
            raise EditError(f"unknown {kind} {uid}")
        return ctype, int(pk)

    def add(self, kind: str, container_uid: str, text: str) -> str:
        """A new note on the container (by its type and uid); returns the note's uid."""
        ctype, pk = self._container_uid(kind, container_uid)
        body = _text(text)
        with self._store.unit_of_work(undoable=False, user_pk=self._user_pk) as uow:
            note = Note(container_type=ctype, container_pk=pk, user_pk=self._user_pk, text=body)
            uow.session.add(note)
            uow.session.flush()
            uow.log(OpKind.CREATE, note, payload={"text": body})
            return note.uid

    def edit(self, note_uid: str, text: str) -> None:
        body = _text(text)
        with self._store.unit_of_work(undoable=False, user_pk=self._user_pk) as uow:
            note = self._note(uow.session, note_uid)
            if note.text == body:
                return
            old = note.text
            note.text = body
            uow.log(OpKind.UPDATE, note, payload={"text": body}, inverse={"text": old})

    def delete(self, note_uid: str) -> None:
        with self._store.unit_of_work(undoable=False, user_pk=self._user_pk) as uow:
            note = self._note(uow.session, note_uid)
            note.local_deleted = True
            uow.log(OpKind.DELETE, note)

    def _note(self, s: Session, uid: str) -> Note:
        note = s.scalar(select(Note).where(Note.uid == uid))
        if note is None or note.local_deleted:
            raise EditError("this note no longer exists")
        if note.user_pk != self._user_pk:
            raise EditError("only the note's author can change it")
        return note
