"""Answer objects of projects, ontologies, terms and users (cytomine-api.md 3.1-3.5):
what a checkout reads, with the image instances of ``answers_image``."""

from __future__ import annotations

from typing import Any, NotRequired

from pydantic import TypeAdapter, with_config
from typing_extensions import TypedDict

from desktop_app.protocol.cytomine.answer_base import (
    ANSWER_CONFIG,
    CytomineObject,
    DomainObject,
)


@with_config(ANSWER_CONFIG)
class ProjectJson(DomainObject):
    """A project, with its counts and flags."""

    name: str
    ontology: NotRequired[int | None]
    ontologyName: NotRequired[str | None]
    blindMode: NotRequired[bool]
    areImagesDownloadable: NotRequired[bool]
    numberOfSlides: NotRequired[int]
    numberOfImages: NotRequired[int]
    numberOfAnnotations: NotRequired[int]
    numberOfJobAnnotations: NotRequired[int]
    numberOfReviewedAnnotations: NotRequired[int]
    isClosed: NotRequired[bool]
    isReadOnly: NotRequired[bool]
    isRestricted: NotRequired[bool]
    hideUsersLayers: NotRequired[bool]
    hideAdminsLayers: NotRequired[bool]
    mode: NotRequired[str]


@with_config(ANSWER_CONFIG)
class TermJson(DomainObject):
    """A term of an ontology; ``parent``: its parent term, if any."""

    name: str
    comment: NotRequired[str | None]
    ontology: NotRequired[int]
    color: NotRequired[str | None]
    parent: NotRequired[int | None]


@with_config(ANSWER_CONFIG)
class TreeAttr(TypedDict):
    """A tree node's own id and class (the web UI's ontology tree)."""

    id: int
    type: str


@with_config(ANSWER_CONFIG)
class ProjectRef(TypedDict):
    """A project an ontology is used by."""

    id: int
    name: str


@with_config(ANSWER_CONFIG)
class OntologyJson(DomainObject):
    """An ontology, with its terms as a tree (``children``; a checkout reads the flat
    term list instead, ``GET /api/ontology/{id}/term.json``)."""

    name: str
    user: NotRequired[int | None]
    title: NotRequired[str]
    data: NotRequired[str]
    attr: NotRequired[TreeAttr]
    isFolder: NotRequired[bool]
    key: NotRequired[int]
    hideCheckbox: NotRequired[bool]
    state: NotRequired[str]
    projects: NotRequired[list[ProjectRef]]
    children: NotRequired[list[dict[str, Any]]]


@with_config(ANSWER_CONFIG)
class UserJson(CytomineObject):
    """A user as another user sees them (``email`` null but for themselves and admins)."""

    username: str
    name: NotRequired[str | None]
    fullName: NotRequired[str | None]
    firstname: NotRequired[str | None]
    lastname: NotRequired[str | None]
    email: NotRequired[str | None]
    origin: NotRequired[str | None]
    algo: NotRequired[bool]
    language: NotRequired[str | None]
    isDeveloper: NotRequired[bool]
    enabled: NotRequired[bool]
    color: NotRequired[str | None]
    user: NotRequired[bool | int | None]


@with_config(ANSWER_CONFIG)
class MemberJson(UserJson):
    """A project member (``GET /api/project/{id}/user.json``, ``admin.json``):
    ``access`` (ro/rw/admin) is our extension; a stock Cytomine member is rw."""

    access: NotRequired[str]


@with_config(ANSWER_CONFIG)
class CurrentUserJson(UserJson):
    """``GET /api/user/current.json``: the caller, with their keys and roles."""

    publicKey: NotRequired[str | None]
    privateKey: NotRequired[str | None]
    passwordExpired: NotRequired[bool]
    admin: NotRequired[bool]
    guest: NotRequired[bool]
    adminByNow: NotRequired[bool]
    userByNow: NotRequired[bool]
    guestByNow: NotRequired[bool]
    isSwitched: NotRequired[bool]


@with_config(ANSWER_CONFIG)
class PingJson(TypedDict):
    """``GET /server/ping`` (no auth): ``serverID`` tells a restored server apart."""

    alive: NotRequired[bool]
    serverID: NotRequired[str | None]
    serverURL: NotRequired[str | None]
    version: NotRequired[str | None]


PROJECT = TypeAdapter(ProjectJson)
PROJECTS = TypeAdapter(list[ProjectJson])
ONTOLOGY = TypeAdapter(OntologyJson)
TERM = TypeAdapter(TermJson)
TERMS = TypeAdapter(list[TermJson])
MEMBERS = TypeAdapter(list[MemberJson])
USERS = TypeAdapter(list[UserJson])
CURRENT_USER = TypeAdapter(CurrentUserJson)
PING = TypeAdapter(PingJson)

__all__ = [
    "CURRENT_USER",
    "MEMBERS",
    "ONTOLOGY",
    "PING",
    "PROJECT",
    "PROJECTS",
    "TERM",
    "TERMS",
    "USERS",
    "CurrentUserJson",
    "MemberJson",
    "OntologyJson",
    "PingJson",
    "ProjectJson",
    "ProjectRef",
    "TermJson",
    "TreeAttr",
    "UserJson",
]
