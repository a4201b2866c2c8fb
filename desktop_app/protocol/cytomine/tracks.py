"""Request bodies of tracks and annotation groups (Cytomine 3.x tracks, 5.x groups)."""

from __future__ import annotations

from typing import Annotated

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import OptId, ReqId, text


class TrackBody(CytomineBody):
    """``POST /api/track.json``, ``PUT /api/track/{id}.json``."""

    image: ReqId
    name: Annotated[str, text(255, required=True)]
    color: Annotated[str | None, text(16)] = None


class AnnotationTrackBody(CytomineBody):
    """``POST /api/annotationtrack.json``: the annotation on the track."""

    annotationIdent: ReqId
    track: ReqId


class AnnotationGroupBody(CytomineBody):
    """``POST /api/annotationgroup.json``; ``project`` defaults to the image group's,
    ``type`` to ``SAME_OBJECT``."""

    imageGroup: ReqId
    project: OptId = None
    type: Annotated[str | None, text(32)] = None


class AnnotationLinkBody(CytomineBody):
    """``POST /api/annotationlink.json``: the annotation in the annotation group."""

    group: ReqId
    annotationIdent: ReqId


__all__ = ["AnnotationGroupBody", "AnnotationLinkBody", "AnnotationTrackBody", "TrackBody"]
