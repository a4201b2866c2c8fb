"""Schemas of the SciTran answers the sync client reads (the note push for now).

As the Cytomine answers (``protocol/cytomine/answer_base.py``), each is a ``TypedDict``
validated by one pydantic ``TypeAdapter``: the client keeps the object as received, and
fields a schema does not name are kept (``extra="allow"``).  Keys are SciTran's JSON
names, ``_id`` included.  An ``_id`` is the server's numeric id as a string
(``NumericId``): the cache matches rows on that number, so an id that is not one is
refused by name rather than failing later in ``int()``.
``tests/server/test_scitran_answers.py`` holds the server's answers to exactly these
keys.
"""

from __future__ import annotations

from typing import Annotated, NotRequired

from pydantic import StringConstraints, TypeAdapter, with_config
from typing_extensions import TypedDict

from desktop_app.protocol.cytomine.answer_base import ANSWER_CONFIG

#: A SciTran ``_id`` our server gives (a row's pk, as a decimal string).
NumericId = Annotated[str, StringConstraints(pattern=r"^[0-9]+$")]


@with_config(ANSWER_CONFIG)
class NoteCreated(TypedDict):
    """``POST /api/{containers}/{id}/notes``: the new note's ``_id``."""

    _id: NumericId
    modified: NotRequired[int]


@with_config(ANSWER_CONFIG)
class NoteJson(TypedDict):
    """A note of a container's detail (``notes``) or ``GET …/notes/{id}``; ``user`` is
    its writer's login, ``created``/``modified`` ISO 8601 UTC."""

    _id: NumericId
    created: NotRequired[str | None]
    modified: NotRequired[str | None]
    user: NotRequired[str | None]
    text: str


@with_config(ANSWER_CONFIG)
class NotesOf(TypedDict):
    """What the note push reads of a container's detail: its notes (the rest of the
    container is kept, unread)."""

    notes: NotRequired[list[NoteJson]]


NOTE_CREATED = TypeAdapter(NoteCreated)
NOTE = TypeAdapter(NoteJson)
NOTES_OF = TypeAdapter(NotesOf)

__all__ = [
    "NOTES_OF",
    "NOTE",
    "NOTE_CREATED",
    "NoteCreated",
    "NoteJson",
    "NotesOf",
    "NumericId",
]
