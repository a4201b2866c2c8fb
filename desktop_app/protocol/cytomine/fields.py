"""Field types of Cytomine request bodies and query strings, as lenient as Cytomine's clients.

The official client sends an id as a number, a numeric string or the referenced object
itself (``{"id": 3, ...}``), a flag as ``true`` or ``"true"``, and a list of ids as a
JSON list, a comma-separated string or one id.  Each type below accepts exactly that and
refuses the rest with a ``cytomine`` error whose message names the field ("project must
be an integer"); the server answers it as a 400 with that message, word for word
(``server/wire.py`` ``parse_body``).  Use them in ``Annotated`` with the model's field
names equal to the JSON names.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError

#: The largest id a column holds (PostgreSQL ``bigint``).
MAX_ID = 2**63 - 1
#: What a text field holds when its model says nothing more.
DEFAULT_MAX_LEN = 10000
#: The error type the server reports by its message alone.
ERROR_TYPE = "cytomine"


def refuse(message: str) -> PydanticCustomError:
    """A refusal whose message is the whole 400 answer."""
    return PydanticCustomError(ERROR_TYPE, message)


def _name(info: ValidationInfo) -> str:
    return info.field_name or "value"


def to_id(value: Any, name: str) -> int:
    """One id: an int, a numeric string, or an object carrying ``id``; 0 .. ``MAX_ID``."""
    if isinstance(value, bool):
        raise refuse(f"{name} must be an integer")
    if isinstance(value, dict) and "id" in value:
        value = value["id"]
    try:
        out = int(value)
    except (TypeError, ValueError) as exc:
        raise refuse(f"{name} must be an integer") from exc
    if out < 0 or out > MAX_ID:
        raise refuse(f"{name} out of range")
    return out


def _optional_id(value: Any, info: ValidationInfo) -> int | None:
    if value is None or value == "":
        return None
    return to_id(value, _name(info))


def _required_id(value: Any, info: ValidationInfo) -> int:
    if value is None or value == "":
        raise refuse(f"{_name(info)} is required")
    return to_id(value, _name(info))


def _id_list(value: Any, info: ValidationInfo) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [p for p in value.split(",") if p.strip()]
    if not isinstance(value, list):
        value = [value]
    name = _name(info)
    out = []
    for v in value:
        if v is None or v == "":
            raise refuse(f"{name} is required")
        out.append(to_id(v, name))
    return out


def _number(value: Any, info: ValidationInfo) -> float | None:
    if value is None or value == "":
        return None
    name = _name(info)
    if isinstance(value, bool):
        raise refuse(f"{name} must be a number")
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise refuse(f"{name} must be a number") from exc
    if not math.isfinite(out):
        raise refuse(f"{name} must be finite")
    return out


def to_text(value: Any, name: str, *, required: bool, max_len: int) -> str | None:
    """One text value: a string, or a number taken as its decimal text; at most
    ``max_len`` characters; ``required``: present and not blank."""
    if value is None:
        if required:
            raise refuse(f"{name} is required")
        return None
    if not isinstance(value, str | int | float):
        raise refuse(f"{name} must be a string")
    out = str(value)
    if required and not out.strip():
        raise refuse(f"{name} must not be empty")
    if len(out) > max_len:
        raise refuse(f"{name} is too long")
    return out


def text(
    max_len: int = DEFAULT_MAX_LEN, *, required: bool = False, name: str | None = None
) -> BeforeValidator:
    """A text field (``to_text``); ``name``: the one its refusals give, when not the
    field's own (``subject.code``, ``_id``)."""

    def check(value: Any, info: ValidationInfo) -> str | None:
        return to_text(value, name or _name(info), required=required, max_len=max_len)

    return BeforeValidator(check)


def flag(default: bool = False) -> BeforeValidator:
    """A flag: ``true``/``false``, or a string or number read as one ("true", "1",
    "yes", "on" are true); ``null`` is ``default``."""

    def check(value: Any) -> bool:
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1", "yes", "on")

    return BeforeValidator(check)


#: An optional id (absent, ``null`` and ``""`` are ``None``).
OptId = Annotated[int | None, BeforeValidator(_optional_id)]
#: A required id.
ReqId = Annotated[int, BeforeValidator(_required_id)]
#: A list of ids (``[1, 2]``, ``"1,2"`` or ``3``; absent or ``""``: empty).
IdList = Annotated[list[int], BeforeValidator(_id_list)]
#: An optional finite number.
Number = Annotated[float | None, BeforeValidator(_number)]
#: An optional text of at most ``DEFAULT_MAX_LEN`` characters.
Text = Annotated[str | None, text()]
#: A flag that is false unless set.
Flag = Annotated[bool, flag()]

__all__ = [
    "DEFAULT_MAX_LEN",
    "ERROR_TYPE",
    "MAX_ID",
    "Flag",
    "IdList",
    "Number",
    "OptId",
    "ReqId",
    "Text",
    "flag",
    "refuse",
    "text",
    "to_id",
    "to_text",
]
