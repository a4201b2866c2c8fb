"""Request bodies and query strings of user activity: viewer positions, project
connections, image consultations, annotation actions, command history, and the
rendering options of annotation crops (cytomine-api.md 4.2, 4.3, 5.x)."""

from __future__ import annotations

from typing import Annotated

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import Flag, Number, OptId, ReqId, text

#: A short client-reported label (an OS, a browser, a mode, an action).
Short = Annotated[str | None, text(64)]


class PositionBody(CytomineBody):
    """``POST /api/imageinstance/{id}/position.json``: the four viewport corners (y up)
    or just ``x``/``y``; ``zoom`` required (the route says so)."""

    zoom: Number = None
    topLeftX: Number = None
    topLeftY: Number = None
    topRightX: Number = None
    topRightY: Number = None
    bottomRightX: Number = None
    bottomRightY: Number = None
    bottomLeftX: Number = None
    bottomLeftY: Number = None
    x: Number = None
    y: Number = None
    slice: OptId = None
    rotation: Number = None
    broadcast: Flag = False

    def corners(self) -> list[tuple[float | None, float | None]]:
        """The viewport corners, top-left first, clockwise."""
        return [
            (self.topLeftX, self.topLeftY),
            (self.topRightX, self.topRightY),
            (self.bottomRightX, self.bottomRightY),
            (self.bottomLeftX, self.bottomLeftY),
        ]


class ConnectionBody(CytomineBody):
    """``POST /api/project/{id}/userconnection.json``: what the client says it runs on."""

    os: Short = None
    browser: Short = None
    browserVersion: Short = None


class ConsultationBody(CytomineBody):
    """``POST /api/imageinstance/{id}/consultation.json``."""

    mode: Short = None


class AnnotationActionBody(CytomineBody):
    """``POST /api/annotation_action.json``: what the user did with the annotation."""

    annotationIdent: ReqId
    action: Annotated[str, text(64, required=True)]


class ActivityFilter(CytomineBody):
    """``?user=&afterThan=&beforeThan=`` (epoch ms) of the activity listings."""

    user: OptId = None
    afterThan: OptId = None
    beforeThan: OptId = None


class HistoryQuery(CytomineBody):
    """The command history's query string (dates in epoch ms)."""

    startDate: OptId = None
    endDate: OptId = None
    user: OptId = None
    max: OptId = None
    offset: OptId = None
    fullData: Flag = False


class CropQuery(CytomineBody):
    """How an annotation crop or mask is rendered: ``increaseArea`` (1 to 100) around
    it, at ``zoom`` (a power of two down) or at most ``maxSize`` pixels a side."""

    increaseArea: Number = None
    zoom: OptId = None
    maxSize: OptId = None


__all__ = [
    "ActivityFilter",
    "AnnotationActionBody",
    "ConnectionBody",
    "ConsultationBody",
    "CropQuery",
    "HistoryQuery",
    "PositionBody",
]
