"""The wire schema of our sync extensions (docs/api.md "Sync extensions").

The server builds its answers through these models and the sync client parses them
through the same ones, so the two sides cannot drift: a field renamed, dropped or added
on one side fails validation on the other (``tests/server/test_wire_contract.py``
runs both against a real server).  Field names are the JSON names, camelCase included.
Answers forbid unknown fields (an unexpected field is a server the client does not
know); a push op too, so a misspelt field is refused, not silently ignored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt

from desktop_app.protocol.cytomine.answers_annotation import AnnotationJson
from desktop_app.protocol.cytomine.answers_meta import (
    AttachedFileJson,
    DescriptionJson,
    PropertyJson,
)
from desktop_app.protocol.cytomine.answers_project import TermJson

#: Most feed rows one page carries; a larger ``max`` is clamped to it.
MAX_FEED = 5000
#: Most ops one push may carry (more: 413).
MAX_OPS = 1000

#: What the server ever writes in a feed row's ``action``.
FeedAction = Literal["created", "updated", "deleted"]
#: The entities a push op can name, and what it can do to them.
OpEntity = Literal["annotation", "annotationterm", "property"]
OpAction = Literal["create", "update", "delete"]

#: A Cytomine resource as JSON (an annotation, property, description, file or term):
#: its shape is Cytomine's (cytomine-api.md), not ours.
CytomineJson = dict[str, Any]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedQuery(_Wire):
    """``?since=&max=`` of the feed and bulk routes: after ``since`` (exclusive), at most
    ``max`` rows (0 or absent: the route's default)."""

    since: NonNegativeInt = 0
    max: NonNegativeInt = 0

    def limit(self, default: int) -> int:
        return max(1, min(self.max or default, MAX_FEED))


class Change(_Wire):
    """One row of the change feed: which entity changed how, at which version."""

    seq: int
    entity: str
    id: int
    uid: str | None
    action: FeedAction
    updated: int


class ChangesPage(_Wire):
    """``GET /api/project/{id}/changes.json``."""

    changes: list[Change]
    cursor: int
    hasMore: bool


class Deleted(_Wire):
    """An entity that was deleted since the cursor: its server id and client uid."""

    id: int
    uid: str | None


class DeletedLink(Deleted):
    """A deleted annotation-term link, with its feed position."""

    seq: int


class BulkPage(_Wire):
    """``GET /api/project/{id}/annotations/bulk.json``: the current state of everything
    the feed touched after ``since``, and what was deleted; the rows are Cytomine's
    objects (``protocol/cytomine/answers_*``)."""

    annotations: list[AnnotationJson]
    deleted: list[Deleted]
    deletedAnnotationTerms: list[DeletedLink]
    properties: list[PropertyJson]
    deletedProperties: list[Deleted]
    descriptions: list[DescriptionJson]
    deletedDescriptions: list[Deleted]
    attachedFiles: list[AttachedFileJson]
    deletedAttachedFiles: list[Deleted]
    terms: list[TermJson]
    deletedTerms: list[Deleted]
    cursor: int
    hasMore: bool


class PushOp(_Wire):
    """One op of ``POST /api/sync/push.json``: a create/update/delete of one entity.

    ``uid`` is the create's idempotency key; ``baseUpdated`` the version an edit is based
    on (stale: 409); ``data`` the Cytomine JSON of the entity (or of the link).
    """

    opId: str | int | None = None
    entity: OpEntity
    action: OpAction
    id: int | None = Field(default=None, ge=0, le=2**63 - 1)
    uid: str | None = Field(default=None, max_length=36)
    baseUpdated: int | None = None
    data: CytomineJson | None = None


class PushRequest(_Wire):
    """The push body.  Ops stay raw here: each is validated on its own (``PushOp``), so
    one malformed op gets its own 400 result and never fails the others; more than
    ``MAX_OPS`` is the route's 413."""

    ops: list[Any]


class OpResult(_Wire):
    """What happened to one op: the HTTP status it would have had alone, and the body
    (the entity's JSON, or ``{"success": false, "errors": ...}``)."""

    opId: str | int | None
    status: int
    body: dict[str, Any]


class PushResults(_Wire):
    """The push answer: one result per op, in op order."""

    results: list[OpResult]


__all__ = [
    "MAX_FEED",
    "MAX_OPS",
    "BulkPage",
    "Change",
    "ChangesPage",
    "CytomineJson",
    "Deleted",
    "DeletedLink",
    "FeedAction",
    "FeedQuery",
    "OpAction",
    "OpEntity",
    "OpResult",
    "PushOp",
    "PushRequest",
    "PushResults",
]
