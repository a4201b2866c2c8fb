"""Request bodies of projects (cytomine-api.md 3.1)."""

from __future__ import annotations

from typing import Annotated

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import Flag, OptId, ReqId, text


class ProjectBody(CytomineBody):
    """``POST /api/project.json``, ``PUT /api/project/{id}.json``: a full replace, so an
    absent flag is false; ``isReadOnly`` wins over ``isRestricted``."""

    name: Annotated[str, text(255, required=True)]
    ontology: OptId = None
    blindMode: Flag = False
    areImagesDownloadable: Flag = False
    hideUsersLayers: Flag = False
    hideAdminsLayers: Flag = False
    isClosed: Flag = False
    isReadOnly: Flag = False
    isRestricted: Flag = False


class ProjectQuery(CytomineBody):
    """``?project=`` of the listings that need it."""

    project: ReqId


class ProjectFilter(CytomineBody):
    """``?project=`` of the listings it narrows."""

    project: OptId = None


__all__ = ["ProjectBody", "ProjectFilter", "ProjectQuery"]
