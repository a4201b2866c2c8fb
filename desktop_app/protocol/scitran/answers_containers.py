"""Schemas of the SciTran container details the hierarchy pull reads.

The pull (``sync/pull/scitran.py``) reads each container from its detail (``GET
/api/{containers}/{id}``), never from its list item (lists leave the † fields out), and
the groups from ``GET /api/groups``; these are the shapes of those answers.  As every
answer schema (``protocol/cytomine/answer_base.py``) they are ``TypedDict`` s with one
``TypeAdapter`` each, extra fields kept.  Keys the server sends only in some cases are
``NotRequired``: a subject's names and hashes (to admins of its project), a session's
template verdict (when its project has a template).  ``tests/server/
test_scitran_answers.py`` holds the server's details to exactly these keys.
"""

from __future__ import annotations

from typing import Any, NotRequired

from pydantic import TypeAdapter, with_config
from typing_extensions import TypedDict

from desktop_app.protocol.cytomine.answer_base import ANSWER_CONFIG
from desktop_app.protocol.scitran.answers import NoteJson, NumericId

#: ISO 8601 UTC, as SciTran writes ``created``/``modified``/``timestamp``.
Iso = str | None


@with_config(ANSWER_CONFIG)
class ListedId(TypedDict):
    """What the pull reads of a container list item: the id to read its detail by."""

    _id: NumericId


@with_config(ANSWER_CONFIG)
class PermissionJson(TypedDict):
    """One holder's access; ``_id`` is the login (``uid``: its older name)."""

    _id: str
    uid: NotRequired[str]
    access: str


@with_config(ANSWER_CONFIG)
class Stamped(TypedDict):
    """A SciTran object's ``_id`` and its stamps."""

    _id: NumericId
    created: NotRequired[Iso]
    modified: NotRequired[Iso]


@with_config(ANSWER_CONFIG)
class GroupJson(TypedDict):
    """A group of ``GET /api/groups``: ``_id`` is its code (a name, not a number)."""

    _id: str
    label: NotRequired[str | None]
    tags: NotRequired[list[str]]
    created: NotRequired[Iso]
    modified: NotRequired[Iso]
    permissions: NotRequired[list[PermissionJson]]


@with_config(ANSWER_CONFIG)
class FileOrigin(TypedDict):
    """Who or what made a file: ``type`` user, job, ...; a user's ``id`` is a login."""

    type: str | None
    id: str | None
    name: NotRequired[str | None]
    method: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class FileJson(Stamped):
    """A file of a container's detail; ``abstractimage`` is the slide it holds, if any."""

    name: str
    type: NotRequired[str | None]
    size: NotRequired[int | None]
    hash: NotRequired[str | None]
    modality: NotRequired[str | None]
    measurements: NotRequired[list[str]]
    origin: NotRequired[FileOrigin]
    tags: NotRequired[list[str]]
    abstractimage: NotRequired[int | None]
    info: NotRequired[dict[str, Any]]


@with_config(ANSWER_CONFIG)
class AnalysisRef(Stamped):
    """An analysis as its parent's detail lists it."""

    label: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class SubjectJson(TypedDict):
    """A session's subject; names and their hashes go to admins of its project only,
    ``names_hidden`` tells others that there are some."""

    _id: NumericId
    code: NotRequired[str | None]
    sex: NotRequired[str | None]
    race: NotRequired[str | None]
    ethnicity: NotRequired[str | None]
    age: NotRequired[int | None]
    names_hidden: NotRequired[bool]
    firstname_hash: NotRequired[str | None]
    lastname_hash: NotRequired[str | None]
    firstname: NotRequired[str | None]
    lastname: NotRequired[str | None]
    info: NotRequired[dict[str, Any]]


@with_config(ANSWER_CONFIG)
class ContainerJson(Stamped):
    """What every container's detail carries."""

    label: NotRequired[str | None]
    public: NotRequired[bool]
    archived: NotRequired[bool]
    tags: NotRequired[list[str]]
    notes: NotRequired[list[NoteJson]]
    files: NotRequired[list[FileJson]]
    permissions: NotRequired[list[PermissionJson]]
    analyses: NotRequired[list[AnalysisRef]]
    info: NotRequired[dict[str, Any]]


@with_config(ANSWER_CONFIG)
class ProjectJson(ContainerJson):
    group: NotRequired[str | None]
    description: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class SessionJson(ContainerJson):
    group: NotRequired[str | None]
    project: NumericId
    uid: NotRequired[str | None]
    timestamp: NotRequired[Iso]
    timezone: NotRequired[str | None]
    operator: NotRequired[str | None]
    subject: NotRequired[SubjectJson | None]
    project_has_template: NotRequired[bool]
    satisfies_template: NotRequired[bool]


@with_config(ANSWER_CONFIG)
class AcquisitionJson(ContainerJson):
    session: NumericId
    collections: NotRequired[list[NumericId]]
    uid: NotRequired[str | None]
    timestamp: NotRequired[Iso]
    timezone: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class ParentRef(TypedDict):
    """An analysis's container: its kind (``session``, ``acquisition``...) and id."""

    type: str
    id: NumericId


@with_config(ANSWER_CONFIG)
class AnalysisJson(ContainerJson):
    parent: ParentRef
    description: NotRequired[str | None]
    user: NotRequired[str | None]
    timestamp: NotRequired[Iso]
    version: NotRequired[str | None]
    job: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class CollectionJson(ContainerJson):
    curator: NotRequired[str | None]


LISTED_IDS = TypeAdapter(list[ListedId])
GROUPS = TypeAdapter(list[GroupJson])
#: A container's detail by its URL segment (the pull's ``KINDS``).
DETAILS: dict[str, TypeAdapter[Any]] = {
    "projects": TypeAdapter(ProjectJson),
    "sessions": TypeAdapter(SessionJson),
    "acquisitions": TypeAdapter(AcquisitionJson),
    "analyses": TypeAdapter(AnalysisJson),
    "collections": TypeAdapter(CollectionJson),
}
#: The schema of each detail, for the test holding the server to it.
DETAIL_SCHEMAS: dict[str, Any] = {
    "projects": ProjectJson,
    "sessions": SessionJson,
    "acquisitions": AcquisitionJson,
    "analyses": AnalysisJson,
    "collections": CollectionJson,
}

__all__ = [
    "DETAILS",
    "DETAIL_SCHEMAS",
    "GROUPS",
    "LISTED_IDS",
    "AcquisitionJson",
    "AnalysisJson",
    "AnalysisRef",
    "CollectionJson",
    "ContainerJson",
    "FileJson",
    "FileOrigin",
    "GroupJson",
    "ListedId",
    "ParentRef",
    "PermissionJson",
    "ProjectJson",
    "SessionJson",
    "SubjectJson",
]
