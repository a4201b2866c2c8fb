"""Bodies of SciTran's list edits: a tag, an ``info`` operation, a permission and a
project template (scitran/core's ``tag``, ``info_update``, ``permission`` and
``project-template`` input schemas).

These bodies are checked whole, not only as objects: a body that is not even an object
gets the same message as a malformed one (``value must be a tag …``), as the SciTran
routes answer; the server reads them with ``wire.parse_value``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, ConfigDict, Field, model_validator

from desktop_app.protocol.cytomine.fields import refuse
from desktop_app.protocol.scitran.base import SciTranBody

#: SciTran's longest tag.
MAX_TAG = 32
#: The access levels of a permission (``model.security.Access``; a test holds them equal).
ACCESS_LEVELS = ("ro", "rw", "admin")
#: The operations of an ``info`` update.
INFO_OPERATIONS = ("set", "replace", "delete")


def _tag(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_TAG:
        raise refuse(f"value must be a tag of 1 to {MAX_TAG} characters")
    return value


def _object_or_empty(data: Any) -> Any:
    """A body that is not an object is read as an empty one, so that the field rules
    give the message (the SciTran routes name the field, not the body)."""
    return data if isinstance(data, dict) else {}


class TagBody(SciTranBody):
    """``POST …/tags``, ``PUT …/tags/{value}``: ``{"value": tag}``.

    The fields defaulting to ``None`` and validated anyway are required (the validator
    gives the field's message, not pydantic's "Field required"); ``json_schema_extra``
    says so in the published schema."""

    model_config = ConfigDict(json_schema_extra={"required": ["value"]})

    value: Annotated[str, BeforeValidator(_tag)] = Field(
        default=None,
        validate_default=True,
        json_schema_extra={"minLength": 1, "maxLength": MAX_TAG},
    )

    @model_validator(mode="before")
    @classmethod
    def _any(cls, data: Any) -> Any:
        return _object_or_empty(data)


def _access(value: Any) -> str:
    if value not in ACCESS_LEVELS:
        raise refuse(f"access must be one of {', '.join(ACCESS_LEVELS)}")
    return str(value)


def _login(value: Any) -> str:
    if not isinstance(value, str):
        raise refuse("_id must be a user id (a login)")
    return value


Access = Annotated[str, BeforeValidator(_access)]
Login = Annotated[str, BeforeValidator(_login)]
#: As sent, or ``None`` when absent (a ``null`` sent is refused like any bad value).
OptAccess = Annotated[str | None, BeforeValidator(_access)]
OptLogin = Annotated[str | None, BeforeValidator(_login)]


class AccessBody(SciTranBody):
    """``PUT /api/groups/{id}/permissions/{_id}``: the new access (required, as
    ``TagBody.value``)."""

    model_config = ConfigDict(json_schema_extra={"required": ["access"]})

    access: Access = Field(
        default=None, validate_default=True, json_schema_extra={"enum": list(ACCESS_LEVELS)}
    )


class PermissionBody(AccessBody):
    """``POST …/permissions``: ``{"_id": login, "access"}`` (``uid``, the older name,
    too).  Whether the login must name an account is the server's rule."""

    model_config = ConfigDict(json_schema_extra={"required": ["_id", "access"]})

    id: Login = Field(
        default=None, validate_default=True, validation_alias=AliasChoices("_id", "uid")
    )


class PermissionEdit(SciTranBody):
    """``PUT …/permissions/{_id}``: SciTran's partial update (a new ``_id`` moves it)."""

    access: OptAccess = None
    id: OptLogin = Field(default=None, alias="_id")


class InfoUpdate(SciTranBody):
    """``POST …/info``: exactly one of ``{"set": {...}}``, ``{"replace": {...}}``,
    ``{"delete": [keys]}``."""

    set: dict[str, Any] | None = None
    replace: dict[str, Any] | None = None
    delete: list[str] | None = None

    @model_validator(mode="before")
    @classmethod
    def _one(cls, data: Any) -> Any:
        if not isinstance(data, dict) or len(data) != 1 or next(iter(data)) not in INFO_OPERATIONS:
            raise refuse(
                'Give exactly one of {"set": {...}}, {"replace": {...}}, {"delete": [...]}'
            )
        op, value = next(iter(data.items()))
        if op == "delete":
            if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
                raise refuse("delete takes a list of keys")
        elif not isinstance(value, dict):
            raise refuse(f"{op} takes an object")
        return data

    def applied(self, current: dict[str, Any] | None) -> dict[str, Any]:
        """The ``info`` object after this operation."""
        info = dict(current or {})
        if self.delete is not None:
            return {k: v for k, v in info.items() if k not in self.delete}
        if self.set is not None:
            return {**info, **self.set}
        return dict(self.replace or {})


def _minimums(items: Any, message: str) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("minimum"), int) for i in items
    ):
        raise refuse(message)
    return items


class TemplateBody(SciTranBody):
    """``POST /api/projects/{id}/template``: ``{"session": {field: regex},
    "acquisitions": [{"minimum": n, field: regex, "files": [{"minimum": n, …}]}]}``.
    The shape only: the server compiles the patterns."""

    session: dict[str, Any] = Field(default_factory=dict)
    acquisitions: list[dict[str, Any]] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not set(data) <= {"session", "acquisitions"}:
            raise refuse('A template is {"session": {...}, "acquisitions": [...]}')
        if not isinstance(data.get("session", {}), dict):
            raise refuse("template.session must be an object")
        acqs = _minimums(
            data.get("acquisitions", []),
            "template.acquisitions must be objects with an integer minimum",
        )
        for a in acqs:
            _minimums(a.get("files", []), "template files must be objects with an integer minimum")
        return data
