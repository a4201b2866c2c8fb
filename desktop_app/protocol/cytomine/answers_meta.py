"""Answer objects of what hangs on a domain object: properties, descriptions and
attached files (cytomine-api.md 3.7), as the bulk pull and the push read them."""

from __future__ import annotations

from typing import NotRequired

from pydantic import TypeAdapter, with_config

from desktop_app.protocol.cytomine.answer_base import ANSWER_CONFIG, DomainObject


@with_config(ANSWER_CONFIG)
class DomainItem(DomainObject):
    """The object it hangs on: its id and Cytomine class name."""

    domainIdent: int
    domainClassName: str


@with_config(ANSWER_CONFIG)
class PropertyJson(DomainItem):
    """A key/value property."""

    key: str
    value: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class DescriptionJson(DomainItem):
    """An object's description (at most one per object)."""

    data: NotRequired[str | None]


@with_config(ANSWER_CONFIG)
class AttachedFileJson(DomainItem):
    """A file attached to an object; its bytes are at ``url``."""

    filename: NotRequired[str | None]
    key: NotRequired[str | None]
    url: NotRequired[str | None]


PROPERTY = TypeAdapter(PropertyJson)
DESCRIPTION = TypeAdapter(DescriptionJson)
ATTACHED_FILE = TypeAdapter(AttachedFileJson)

__all__ = [
    "ATTACHED_FILE",
    "DESCRIPTION",
    "PROPERTY",
    "AttachedFileJson",
    "DescriptionJson",
    "DomainItem",
    "PropertyJson",
]
