"""Request bodies of image groups, their members and image sequences (Cytomine 3.x/5.x)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import OptId, ReqId, refuse, text, to_id

#: Largest channel / z / slice / time index (an ``int`` column).
MAX_INDEX = 2**31 - 1


def _index(value: Any, info: ValidationInfo) -> int:
    if value is None or value == "":
        return 0
    name = info.field_name or "index"
    out = to_id(value, name)
    if out > MAX_INDEX:
        raise refuse(f"{name} out of range")
    return out


#: A sequence position: an id-like number up to ``MAX_INDEX``; absent or ``null`` is 0.
Index = Annotated[int, BeforeValidator(_index)]


class ImageGroupBody(CytomineBody):
    """``POST /api/imagegroup.json`` (``project`` required), ``PUT`` (``project`` kept)."""

    name: Annotated[str, text(255, required=True)]
    project: OptId = None


class ImageGroupRef(CytomineBody):
    """The image group a body is about: read first, so that rights are checked before
    the rest of the body."""

    imageGroup: ReqId


class ImageSequenceBody(ImageGroupRef):
    """``POST /api/imagesequence.json``: ``image`` at a position of ``imageGroup``."""

    image: ReqId
    channel: Index = 0
    zStack: Index = 0
    slice: Index = 0
    time: Index = 0


class ImageGroupMemberBody(CytomineBody):
    """``POST /api/imagegroupimageinstance.json``: ``image`` in ``group``."""

    group: ReqId
    image: ReqId


class ImageGroupFilter(CytomineBody):
    """``?imageGroup=`` of the sequence listing."""

    imageGroup: OptId = None


__all__ = [
    "ImageGroupBody",
    "ImageGroupFilter",
    "ImageGroupRef",
    "ImageGroupMemberBody",
    "ImageSequenceBody",
]
