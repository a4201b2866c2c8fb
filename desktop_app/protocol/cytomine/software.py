"""Request bodies of software, their parameters, jobs and job templates (cytomine-api.md
3.6).  Ids a create needs (``software``, ``project``, ``job``) are optional here because
an edit keeps them; the route requires them on create."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from desktop_app.protocol.cytomine.base import CytomineBody
from desktop_app.protocol.cytomine.fields import (
    Flag,
    Number,
    OptId,
    ReqId,
    Text,
    flag,
    refuse,
    text,
)

#: A short label of a software or parameter.
Label = Annotated[str | None, text(255)]


class SoftwareBody(CytomineBody):
    """``POST /api/software.json``, ``PUT /api/software/{id}.json``."""

    name: Annotated[str, text(255, required=True)]
    softwareUserRepository: Label = None
    defaultProcessingServer: Label = None
    resultName: Label = None
    executeCommand: Text = None
    pullingCommand: Text = None
    softwareVersion: Annotated[str | None, text(64)] = None
    sourcePath: Text = None
    fullName: Annotated[str | None, text(512)] = None
    description: Annotated[str | None, text(100_000)] = None
    deprecated: Flag = False
    executable: Annotated[bool, flag(True)] = True


class SoftwareParameterBody(CytomineBody):
    """``POST /api/softwareparameter.json``; the default value is ``defaultParamValue``
    (or, in older clients, ``defaultValue``); ``type`` defaults to ``String``."""

    software: ReqId
    name: Annotated[str, text(255, required=True)]
    type: Annotated[str | None, text(32)] = None
    defaultParamValue: Text = None
    defaultValue: Text = None
    required: Flag = False
    index: OptId = None
    setByServer: Flag = False
    serverParameter: Flag = False
    uri: Label = None
    uriPrintAttribut: Label = None
    uriSortAttribut: Label = None
    humanName: Label = None
    valueKey: Label = None
    commandLineFlag: Label = None

    def default(self) -> str | None:
        """The default value, under whichever name the client sent it."""
        return self.defaultParamValue if self.sent("defaultParamValue") else self.defaultValue


class SoftwareProjectBody(CytomineBody):
    """``POST /api/softwareproject.json``: the software available in the project."""

    software: ReqId
    project: ReqId


class JobParamItem(CytomineBody):
    """One of a job's ``params``: a value for one of its software's parameters."""

    softwareParameter: ReqId
    value: Text = None


_PARAMS_SHAPE = "params must be a list of {softwareParameter, value}"


def _params(value: Any) -> Any:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise refuse(_PARAMS_SHAPE)
    return value


class JobBody(CytomineBody):
    """``POST /api/job.json``, ``PUT /api/job/{id}.json``."""

    software: OptId = None
    project: OptId = None
    params: Annotated[list[JobParamItem], BeforeValidator(_params)] = []
    status: OptId = None
    progress: OptId = None
    statusComment: Text = None
    processingServer: Label = None
    rate: Number = None
    dataDeleted: Flag = False
    favorite: Flag = False


class JobParameterBody(CytomineBody):
    """``POST /api/jobparameter.json`` (``job`` and ``softwareParameter`` required),
    ``PUT`` (only ``value`` changes)."""

    job: OptId = None
    softwareParameter: OptId = None
    value: Text = None


class JobTemplateBody(CytomineBody):
    """``POST /api/jobtemplate.json`` (``software`` and ``project`` required), ``PUT``."""

    name: Annotated[str, text(255, required=True)]
    software: OptId = None
    project: OptId = None


class JobFilter(CytomineBody):
    """``?project=&software=`` of the job listing."""

    project: OptId = None
    software: OptId = None


class JobQuery(CytomineBody):
    """``?job=`` of the job parameter listing."""

    job: ReqId


__all__ = [
    "JobBody",
    "JobFilter",
    "JobParamItem",
    "JobParameterBody",
    "JobQuery",
    "JobTemplateBody",
    "SoftwareBody",
    "SoftwareParameterBody",
    "SoftwareProjectBody",
]
