"""SciTran field types: each refuses a value with the message SciTran's clients get.

A refusal is a ``PydanticCustomError`` of the ``cytomine`` type (the server's one error
type reported by its message alone), so a 400 says "tags must be a list of strings",
not pydantic's wording.  ``text(..., name=...)`` (the Cytomine bodies' text field,
re-exported) and ``obj(name)`` give the message a name other than the field's own
(``subject.code``, ``_id``).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo

from desktop_app.protocol.cytomine.fields import refuse, text, to_text

#: Longest ``text`` of a note or ``description`` of a container.
LONG_TEXT = 100000
#: Longest tag, label, name or other short string.
SHORT_TEXT = 255


def _name(info: ValidationInfo, name: str | None) -> str:
    return name or info.field_name or "value"


def to_str_list(value: Any, name: str) -> list[str]:
    """A list of strings of at most 255 characters, without repeats (order kept)."""
    if not isinstance(value, list) or not all(
        isinstance(t, str) and len(t) <= SHORT_TEXT for t in value
    ):
        raise refuse(f"{name} must be a list of strings")
    return list(dict.fromkeys(value))


def _str_list(value: Any, info: ValidationInfo) -> list[str]:
    return to_str_list(value, _name(info, None))


def _strict_flag(value: Any, info: ValidationInfo) -> bool:
    if not isinstance(value, bool):
        raise refuse(f"{_name(info, None)} must be true or false")
    return value


def obj(name: str | None = None) -> Any:
    """A JSON object (``info``, ``avatars``, ``subject``...)."""

    def check(value: Any, info: ValidationInfo) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise refuse(f"{_name(info, name)} must be an object")
        return value

    return BeforeValidator(check)


def to_https(value: Any, name: str) -> str | None:
    """An https URL (SciTran accepts avatars only over https), or ``None``."""
    url = to_text(value, name, required=False, max_len=2000)
    if url is not None and not url.startswith("https://"):
        raise refuse(f"{name} must be an https URL")
    return url


def _https(value: Any, info: ValidationInfo) -> str | None:
    return to_https(value, _name(info, None))


def _https_map(value: Any, info: ValidationInfo) -> dict[str, str | None]:
    if not isinstance(value, dict):
        raise refuse(f"{_name(info, None)} must be an object")
    return {str(k): to_https(v, f"{_name(info, None)}.{k}") for k, v in value.items()}


#: Optional short text.
Short = Annotated[str | None, text(SHORT_TEXT)]
#: A list of strings (``tags``, ``measurements``).
StrList = Annotated[list[str], BeforeValidator(_str_list)]
#: ``true`` or ``false`` and nothing else (``public``, ``archived``, ``disabled``).
StrictFlag = Annotated[bool, BeforeValidator(_strict_flag)]
#: A JSON object.
Obj = Annotated[dict[str, Any], obj()]
#: An https URL or ``null``.
HttpsUrl = Annotated[str | None, BeforeValidator(_https)]
#: ``{name: https URL}``.
HttpsMap = Annotated[dict[str, str | None], BeforeValidator(_https_map)]

__all__ = [
    "LONG_TEXT",
    "SHORT_TEXT",
    "HttpsMap",
    "HttpsUrl",
    "Obj",
    "Short",
    "StrList",
    "StrictFlag",
    "obj",
    "text",
    "to_https",
    "to_str_list",
]
