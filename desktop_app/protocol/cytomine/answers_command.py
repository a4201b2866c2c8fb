"""Cytomine's command envelope (cytomine-api.md 2.5): the answer to a create, edit or
delete, ``{"<key>": {...}, "message", "command", "printMessage", "callback"}``.

One schema for every envelope, built for the key and the schema of the object it
carries (``command_schema``), so that the sync client reads an envelope the way it reads
any answer: a missing or renamed key is an ``AnswerError`` naming it, not a
``KeyError``.  The object under the key is the part the client works with, so it is
required; the command's other keys are named (a stock Cytomine sends them all, and
``tests/server/test_cytomine_answers.py`` holds the server to them) but not required.
"""

from __future__ import annotations

from typing import Any, NotRequired, cast

from pydantic import TypeAdapter, with_config
from typing_extensions import TypedDict

from desktop_app.protocol.cytomine.answer_base import ANSWER_CONFIG, DomainObject
from desktop_app.protocol.cytomine.answers_image import ImageInstanceJson
from desktop_app.protocol.cytomine.answers_project import OntologyJson, ProjectJson, TermJson


@with_config(ANSWER_CONFIG)
class RelationTermJson(DomainObject):
    """A parent relation between two terms (``relation``: the relation's id)."""

    relation: NotRequired[int | None]
    term1: int
    term2: int


def command_schema(key: str, inner: Any) -> Any:
    """The ``TypedDict`` of the envelope carrying an ``inner`` object under ``key``.

    Built at run time because the key is data; ``TypeAdapter`` and the server test read
    it like any written-out answer schema.  ``callback``: what the web UI calls back,
    the command's class name and the object's id as ``<key>ID``."""
    name = f"{key[:1].upper()}{key[1:]}Command"
    callback_fields: dict[str, Any] = {"method": NotRequired[str], f"{key}ID": NotRequired[str]}
    callback = TypedDict(f"{name}Callback", callback_fields)  # type: ignore[misc]  # a variable key
    fields: dict[str, Any] = {
        key: inner,
        "message": NotRequired[str],
        "command": NotRequired[int | None],
        "printMessage": NotRequired[bool],
        "callback": NotRequired[with_config(ANSWER_CONFIG)(callback)],
    }
    schema = TypedDict(name, fields)  # type: ignore[misc]  # the keys are variables
    return with_config(ANSWER_CONFIG)(schema)


def command_answer(key: str, inner: Any) -> TypeAdapter[dict[str, Any]]:
    """A ``TypeAdapter`` parsing the envelope of ``command_schema(key, inner)``."""
    return cast("TypeAdapter[dict[str, Any]]", TypeAdapter(command_schema(key, inner)))


#: The envelopes the sync client reads, by key: publishing a local project (ontology,
#: terms, parent relations, the project) and adding an image instance to a project.
COMMAND_SCHEMAS: dict[str, Any] = {
    "project": command_schema("project", ProjectJson),
    "ontology": command_schema("ontology", OntologyJson),
    "term": command_schema("term", TermJson),
    "relationterm": command_schema("relationterm", RelationTermJson),
    "imageinstance": command_schema("imageinstance", ImageInstanceJson),
}
#: Their ``TypeAdapter`` s.
COMMANDS: dict[str, TypeAdapter[dict[str, Any]]] = {
    key: cast("TypeAdapter[dict[str, Any]]", TypeAdapter(schema))
    for key, schema in COMMAND_SCHEMAS.items()
}
