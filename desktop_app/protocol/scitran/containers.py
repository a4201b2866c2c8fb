"""Container bodies: projects, sessions (with their subject), acquisitions, analyses and
collections (SciTran's ``project``, ``session``, ``acquisition``, ``analysis`` and
``collection`` input schemas).

A PUT is SciTran's partial update: the server changes only what a body ``sent``.  Ids of
other containers (``project``, ``session``, ``job``, a parent's or a node's ``id``) are
kept as sent: the server resolves them, and an id naming nothing is its 404, not a 400.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, model_validator

from desktop_app.protocol.cytomine.fields import refuse
from desktop_app.protocol.scitran.base import SciTranBody
from desktop_app.protocol.scitran.fields import (
    LONG_TEXT,
    Obj,
    Short,
    StrictFlag,
    StrList,
    obj,
    text,
)

#: SciTran's subject enumerations (the values of ``model.scitran`` ``Sex``, ``Race``,
#: ``Ethnicity``; a test holds them equal).
SEXES = ("female", "male", "other", "unknown")
RACES = (
    "American Indian or Alaska Native",
    "Asian",
    "Native Hawaiian or Other Pacific Islander",
    "Black or African American",
    "White",
    "More Than One Race",
    "Unknown or Not Reported",
)
ETHNICITIES = ("Not Hispanic or Latino", "Hispanic or Latino", "Unknown or Not Reported")
#: The largest age (seconds) a column holds.
MAX_AGE = 2**62


def to_timestamp(value: Any, name: str) -> datetime | None:
    """ISO 8601 (naive = UTC) or epoch milliseconds; ``null`` and ``""`` are none."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value / 1000, UTC)
        if isinstance(value, str):
            out = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return out if out.tzinfo else out.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise refuse(f"{name} must be an ISO 8601 timestamp")


def _timestamp(value: Any, info: ValidationInfo) -> datetime | None:
    return to_timestamp(value, info.field_name or "timestamp")


def one_of(values: tuple[str, ...], name: str) -> BeforeValidator:
    """One of ``values`` or ``null``."""

    def check(value: Any) -> str | None:
        if value is None:
            return None
        if value not in values:
            raise refuse(f"{name} must be one of {'|'.join(values)}")
        return str(value)

    return BeforeValidator(check)


def _age(value: Any) -> int | None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > MAX_AGE
    ):
        raise refuse("subject.age must be a non-negative integer (seconds)")
    return value


Timestamp = Annotated[datetime | None, BeforeValidator(_timestamp)]
#: An id as sent (the server resolves it).
Ref = Any


class ContainerBody(SciTranBody):
    """What every container carries."""

    label: Short = None
    public: StrictFlag = False
    archived: StrictFlag = False
    tags: StrList = Field(default_factory=list)
    info: Obj = Field(default_factory=dict)


class ProjectBody(ContainerBody):
    group: Ref = None
    description: Annotated[str | None, text(LONG_TEXT)] = None


class NewProjectBody(ProjectBody):
    """A new project needs its label."""

    label: Annotated[str, text(255, required=True)]


class TimedBody(ContainerBody):
    """Sessions and acquisitions: SciTran's data-derived ``uid`` and acquisition time."""

    uid: Short = None
    timestamp: Timestamp = None
    timezone: Annotated[str | None, text(64)] = None


class SubjectBody(SciTranBody):
    """A session's subject; names are stored by the server's rules (hashes it computes)."""

    code: Annotated[str | None, text(255, name="subject.code")] = None
    sex: Annotated[str | None, one_of(SEXES, "subject.sex")] = None
    race: Annotated[str | None, one_of(RACES, "subject.race")] = None
    ethnicity: Annotated[str | None, one_of(ETHNICITIES, "subject.ethnicity")] = None
    age: Annotated[int | None, BeforeValidator(_age)] = None
    info: Annotated[dict[str, Any], obj("subject.info")] = Field(default_factory=dict)
    firstname: Annotated[str | None, text(255, name="subject.firstname")] = None
    lastname: Annotated[str | None, text(255, name="subject.lastname")] = None

    @model_validator(mode="before")
    @classmethod
    def _no_hashes(cls, data: Any) -> Any:
        """SciTran's subject-input refuses hashes: the server computes them (keyed)."""
        if isinstance(data, dict):
            hashes = sorted(k for k in ("firstname_hash", "lastname_hash") if k in data)
            if hashes:
                raise refuse(f"Additional properties are not allowed: {', '.join(hashes)}")
        return data


def _subject(value: Any) -> Any:
    if value is not None and not isinstance(value, dict):
        raise refuse("subject must be an object")
    return value


class SessionBody(TimedBody):
    project: Ref = None
    operator: Short = None
    subject: Annotated[SubjectBody | None, BeforeValidator(_subject)] = None


class AcquisitionBody(TimedBody):
    session: Ref = None


def _parent(value: Any) -> Any:
    if not isinstance(value, dict):
        raise refuse('parent must be {"type": <container type>, "id": <id>}')
    return value


class AnalysisBody(ContainerBody):
    parent: Annotated[dict[str, Any] | None, BeforeValidator(_parent)] = None
    description: Annotated[str | None, text(LONG_TEXT)] = None
    version: Annotated[str | None, text(64)] = None
    job: Ref = None


class Node(SciTranBody):
    level: Literal["session", "acquisition"]
    id: Ref = Field(default=None, alias="_id")


class Contents(SciTranBody):
    operation: Literal["add", "remove"]
    nodes: list[Node]


def _contents(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("operation") not in ("add", "remove"):
        raise refuse('contents must be {"operation": "add"|"remove", "nodes": [...]}')
    nodes = value.get("nodes")
    if not isinstance(nodes, list):
        raise refuse("contents.nodes must be a list")
    for node in nodes:
        if not isinstance(node, dict) or node.get("level") not in ("session", "acquisition"):
            raise refuse('each node must be {"level": "session"|"acquisition", "_id": ...}')
    return value


class CollectionBody(ContainerBody):
    contents: Annotated[Contents | None, BeforeValidator(_contents)] = None
