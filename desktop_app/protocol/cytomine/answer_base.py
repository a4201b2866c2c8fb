"""What every Cytomine answer object shares, and how the sync client parses one.

Answer objects are ``TypedDict`` s validated by one pydantic ``TypeAdapter`` each, not
``BaseModel`` s, for two reasons the sync client has:

* it stores the server's object as received (``base_json``, the base a later edit or
  conflict is compared with), and a validated ``TypedDict`` *is* that object: fields
  the schema does not name are kept (``extra="allow"``), nothing is re-serialised;
* a pull reads 100,000 annotations: validating them as ``TypedDict`` s costs a quarter
  of what model instances plus ``model_dump`` cost (benchmarks/sync_bench.py).

Keys are the JSON names (``class`` included, hence the functional ``TypedDict`` form).
The keys a client cannot work without are required; the others are ``NotRequired``,
as a stock Cytomine or a listing without some column groups leaves them out.  The
server's serializers are held to exactly these keys by ``tests/server/
test_cytomine_answers.py``: a key the server sends that the schema does not name, or
a key the schema names that the server never sends, fails there by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NotRequired, TypeVar

from pydantic import ConfigDict, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict

#: Cytomine's ``created``/``updated``: epoch ms, a string in objects, a number in
#: listing rows.
Stamp = int | str | None

#: Answers keep the fields their schema does not name (stock Cytomine sends more).
ANSWER_CONFIG = ConfigDict(extra="allow")

T = TypeVar("T")

#: ``class``, ``id``, ``created``, ``updated`` (cytomine-api.md 2.2).
CytomineObject = TypedDict(
    "CytomineObject",
    {
        "class": NotRequired[str],
        "id": int,
        "created": NotRequired[Stamp],
        "updated": NotRequired[Stamp],
    },
)
with_config(ANSWER_CONFIG)(CytomineObject)


@with_config(ANSWER_CONFIG)
class DomainObject(CytomineObject):
    """A row of a Cytomine domain: the common fields, ``deleted`` and our ``uid``."""

    deleted: NotRequired[Stamp]
    uid: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class ListPage(TypedDict):
    """Cytomine's list envelope (cytomine-api.md 2.4); items are parsed by their own
    schema."""

    collection: list[Any]
    offset: NotRequired[int]
    perPage: NotRequired[int]
    size: NotRequired[int]
    totalPages: NotRequired[int]


#: Parses a list envelope (its items: through their own schema).
LIST_PAGE = TypeAdapter(ListPage)


def version_of(obj: Mapping[str, Any]) -> int | None:
    """The server's version token: ``updated``, else ``created`` (epoch ms)."""
    raw = obj.get("updated") or obj.get("created")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def wire_keys(schema: Any) -> frozenset[str]:
    """Every key a ``TypedDict`` schema names, required or not."""
    return frozenset(schema.__required_keys__ | schema.__optional_keys__)


class AnswerError(ValueError):
    """An answer that does not fit its schema; the message names the first field."""


def unexpected(exc: ValidationError, what: str) -> str:
    """The message of an answer that does not fit: the first field at fault and why
    (one wording for the ``TypedDict`` answers and the sync extensions' models)."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "the body"
    return f"the server sent an unexpected {what}: {where}: {err['msg']}"


def parse(adapter: TypeAdapter[T], obj: Any, what: str) -> T:
    """``obj`` through ``adapter``, or an ``AnswerError`` naming the field at fault."""
    try:
        return adapter.validate_python(obj)
    except ValidationError as exc:
        raise AnswerError(unexpected(exc, what)) from exc


__all__ = [
    "ANSWER_CONFIG",
    "LIST_PAGE",
    "AnswerError",
    "CytomineObject",
    "DomainObject",
    "ListPage",
    "Stamp",
    "parse",
    "unexpected",
    "version_of",
    "wire_keys",
]
