"""Wire schema of the readers' decisions and reason codes (docs/api.md 5.4c).

The server builds these answers through the models and the sync client parses them
through the same ones, as for the other sync extensions (``protocol/sync_ext.py``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import IdList, OptId, ReqId, Text, text

#: Longest comment a decision carries.
MAX_COMMENT = 4000


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ReviewReason(_Wire):
    """One reject reason: a stable ``code`` (what a decision stores) and its label."""

    code: str = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1, max_length=255)


class ReasonList(_Wire):
    """``GET|PUT /api/project/{id}/reviewreason.json``; ``default``: the built-in list."""

    collection: list[ReviewReason]
    size: int
    default: bool


class ReviewDecisionJson(_Wire):
    """One reader's (or adjudicator's) decision on one annotation."""

    cls: str = Field(alias="class")
    id: int
    uid: str
    created: str | None
    updated: str | None
    annotation: int
    project: int
    image: int
    reviewer: int
    reviewerName: str | None
    role: Literal["reader", "adjudicator"]
    decision: Literal["accepted", "rejected"]
    reason: str | None
    comment: str | None
    terms: list[int]
    decidedAt: int | None


class DecisionTarget(CytomineBody):
    """The annotation a decision is about: read first, so that rights are checked
    before the rest of the body."""

    annotation: ReqId


class DecisionRequest(DecisionTarget):
    """``POST /api/reviewdecision.json``: the sync client builds it, the server parses
    it.  Ids are as lenient as Cytomine's; a field the server does not know is refused,
    so a name changed on one side fails on the other.  ``role`` defaults to reader;
    ``reason`` is one of the project's codes; ``decidedAt`` is epoch ms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    uid: Text = None
    decision: str | None = None
    role: str = "reader"
    terms: IdList = []
    reason: Annotated[str | None, text(64)] = None
    comment: Annotated[str | None, text(MAX_COMMENT)] = None
    decidedAt: OptId = None


class ReasonItem(CytomineBody):
    """One reason of ``PUT /api/project/{id}/reviewreason.json`` as sent (trimmed by
    the server before it is stored as a ``ReviewReason``)."""

    code: Annotated[str, text(64, required=True)]
    label: Annotated[str, text(255, required=True)]


class DecisionQuery(CytomineBody):
    """``?image=&annotation=`` of the decision listing."""

    image: OptId = None
    annotation: OptId = None


class DecisionList(_Wire):
    """``GET /api/project/{id}/reviewdecision.json``: what the caller may see."""

    collection: list[ReviewDecisionJson]
    size: int
    blinded: bool


class DecisionCreated(_Wire):
    """``POST /api/reviewdecision.json``: the row, and whether this request made it."""

    reviewdecision: ReviewDecisionJson
    created: bool


class DecisionDeleted(_Wire):
    """``DELETE /api/reviewdecision/{id}.json``."""

    reviewdecision: ReviewDecisionJson
    deleted: bool


__all__ = [
    "MAX_COMMENT",
    "DecisionCreated",
    "DecisionDeleted",
    "DecisionList",
    "DecisionQuery",
    "DecisionRequest",
    "DecisionTarget",
    "ReasonItem",
    "ReasonList",
    "ReviewDecisionJson",
    "ReviewReason",
]
