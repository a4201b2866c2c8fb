"""Bodies of a container's sub-resources, groups and users (SciTran's ``note``,
``file-update``, upload ``metadata``, ``group-new``/``group-update``, ``user-new``/
``user-update`` input schemas)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from desktop_app.protocol.scitran.base import SciTranBody
from desktop_app.protocol.scitran.fields import (
    LONG_TEXT,
    HttpsMap,
    HttpsUrl,
    Obj,
    StrictFlag,
    StrList,
    text,
)

#: A file's ``type`` or ``modality``.
FileWord = Annotated[str | None, text(64)]
Name = Annotated[str | None, text(255)]


class NoteBody(SciTranBody):
    """``POST …/notes``, ``PUT …/notes/{id}``: the text, required."""

    text: Annotated[str, text(LONG_TEXT, required=True)]


class FileUpdateBody(SciTranBody):
    """``PUT …/files/{name}``: the file entry's fields (each only if sent)."""

    type: FileWord = None
    modality: FileWord = None
    measurements: StrList = Field(default_factory=list)
    tags: StrList = Field(default_factory=list)


class FileMeta(FileUpdateBody):
    """One file's entry in an upload's ``metadata`` part."""

    info: Obj | None = None


class GroupBody(SciTranBody):
    """``POST|PUT /api/groups``: the chosen ``_id`` (create only), ``label``, ``tags``."""

    id: Annotated[str | None, text(255, name="_id")] = Field(default=None, alias="_id")
    label: Name = None
    tags: StrList = Field(default_factory=list)


class UserUpdateBody(SciTranBody):
    """``PUT /api/users/{_id}``: the fields this server keeps."""

    firstname: Name = None
    lastname: Name = None
    email: Name = None
    avatar: HttpsUrl = None
    avatars: HttpsMap = Field(default_factory=dict)
    disabled: StrictFlag = False


class UserNewBody(SciTranBody):
    """``POST /api/users`` (SciTran's ``user-new``: ``_id``, ``firstname``, ``lastname``)."""

    id: Annotated[str, text(255, required=True, name="_id")] = Field(alias="_id")
    firstname: Name = None
    lastname: Name = None
    email: Name = None


def required_missing(raw: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """The first of ``names`` absent or empty in ``raw`` (SciTran's "required")."""
    return next((n for n in names if raw.get(n) in (None, "")), None)
