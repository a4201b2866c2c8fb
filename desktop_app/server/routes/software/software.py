"""Software and its parameters (global, admin-written) and software-project links.

Software is a server-wide catalogue like Cytomine's, so only admins add, change or
remove it; any user reads it.  Making a software available in a project is a project
admin's decision (Cytomine: project manager).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.security import Access
from desktop_app.model.software import Software, SoftwareParameter, SoftwareProject
from desktop_app.protocol.cytomine.project import ProjectQuery
from desktop_app.protocol.cytomine.software import (
    SoftwareBody,
    SoftwareParameterBody,
    SoftwareProjectBody,
)
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request
from desktop_app.server.rights import require_admin, require_project
from desktop_app.server.serial import CLS
from desktop_app.server.serial_processing import (
    CLS_SOFTWAREPROJECT,
    parameter_json,
    software_json,
    software_project_json,
)
from desktop_app.server.wire import body_doc, page, parse_body, request_json

router = APIRouter()
Json = dict[str, Any]
_TYPES = ("String", "Number", "Boolean", "Domain", "ListDomain", "Date", "List")


def _apply_software(
    db: Session, caller: Caller, s: Software, body: SoftwareBody, create: bool
) -> None:
    s.name = body.name
    s.software_user_repository = body.softwareUserRepository
    s.default_processing_server = body.defaultProcessingServer
    s.result_name = body.resultName
    s.execute_command = body.executeCommand
    s.pulling_command = body.pullingCommand
    s.software_version = body.softwareVersion
    s.source_path = body.sourcePath
    s.full_name = body.fullName
    s.description = body.description
    s.deprecated = body.deprecated
    s.executable = body.executable


def _apply_param(
    db: Session, caller: Caller, p: SoftwareParameter, body: SoftwareParameterBody, c: bool
) -> None:
    software = body.software
    if db.get(Software, software) is None:
        raise bad_request(f"Software {software} does not exist")
    p.software_pk = software
    p.name = body.name
    p.type = body.type or "String"
    if p.type not in _TYPES:
        raise bad_request(f"type must be one of {', '.join(_TYPES)}")
    p.default_value = body.default()
    p.required = body.required
    p.index = body.index or 0
    p.set_by_server = body.setByServer
    p.server_parameter = body.serverParameter
    p.uri = body.uri
    p.uri_print_attribute = body.uriPrintAttribut
    p.uri_sort_attribute = body.uriSortAttribut
    p.human_name = body.humanName
    p.value_key = body.valueKey
    p.command_line_flag = body.commandLineFlag
    if p.index > 2**31 - 1:
        raise bad_request("index out of range")


def _apply_link(
    db: Session, caller: Caller, sp: SoftwareProject, body: SoftwareProjectBody, c: bool
) -> None:
    software = body.software
    if db.get(Software, software) is None:
        raise bad_request(f"Software {software} does not exist")
    sp.software_pk = software
    sp.project_pk = body.project


SOFTWARE = crud.Resource(
    "software",
    CLS["software"],
    Software,
    software_json,
    _apply_software,
    lambda db, s: [],
    "Software",
    SoftwareBody,
)
PARAM = crud.Resource(
    "softwareparameter",
    CLS["softwareparameter"],
    SoftwareParameter,
    parameter_json,
    _apply_param,
    lambda db, p: [],
    "SoftwareParameter",
    SoftwareParameterBody,
)
LINK = crud.Resource(
    "softwareproject",
    CLS_SOFTWAREPROJECT,
    SoftwareProject,
    software_project_json,
    _apply_link,
    lambda db, sp: [sp.project_pk],
    "SoftwareProject",
    SoftwareProjectBody,
)


@router.get("/api/software.json")
def list_software(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    rows = db.scalars(select(Software).order_by(Software.pk))
    return page([software_json(db, s) for s in rows], request)


@router.post("/api/software.json", openapi_extra=body_doc(SoftwareBody))
def add_software(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_admin(caller)
    return crud.create(db, request, SOFTWARE, caller, payload)


def _admin_writes(res: crud.Resource) -> crud.Fetch:
    """Anyone signed in reads software and parameters; only admins change them."""

    def fetch(db: Session, caller: Caller, pk: int, level: Access) -> Any:
        if level is not Access.RO:
            require_admin(caller)
        return res.get(db, pk)

    return fetch


crud.item_routes(
    router,
    "/api/software/{software_id}.json",
    SOFTWARE,
    _admin_writes(SOFTWARE),
    param="software_id",
    names=("get_software", "edit_software", "delete_software"),
)


@router.get("/api/software/{software_id}/parameter.json")
def software_parameters(
    software_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    s = SOFTWARE.get(db, software_id)
    return page([parameter_json(db, p) for p in s.parameters], request)


@router.get("/api/softwareparameter.json")
@router.get("/api/software_parameter.json", include_in_schema=False)
def list_parameters(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    rows = db.scalars(select(SoftwareParameter).order_by(SoftwareParameter.pk))
    return page([parameter_json(db, p) for p in rows], request)


@router.post("/api/softwareparameter.json", openapi_extra=body_doc(SoftwareParameterBody))
@router.post("/api/software_parameter.json", include_in_schema=False)
def add_parameter(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    require_admin(caller)
    return crud.create(db, request, PARAM, caller, payload)


crud.item_routes(
    router,
    "/api/softwareparameter/{param_id}.json",
    PARAM,
    _admin_writes(PARAM),
    param="param_id",
    names=("get_parameter", "edit_parameter", "delete_parameter"),
)


@router.get("/api/project/{project_id}/software.json")
def project_software(
    project_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    require_project(db, caller, project_id)
    rows = db.scalars(
        select(Software)
        .join(SoftwareProject, SoftwareProject.software_pk == Software.pk)
        .where(SoftwareProject.project_pk == project_id)
        .order_by(Software.pk)
    )
    return page([software_json(db, s) for s in rows], request)


@router.post("/api/softwareproject.json", openapi_extra=body_doc(SoftwareProjectBody))
def add_software_project(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    project = parse_body(ProjectQuery, payload).project
    require_project(db, caller, project, Access.ADMIN)
    return crud.create(db, request, LINK, caller, payload)


@router.get("/api/softwareproject/{link_id}.json")
def get_software_project(
    link_id: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    row = LINK.get(db, link_id)
    require_project(db, caller, row.project_pk)
    return software_project_json(db, row)


@router.delete("/api/softwareproject/{link_id}.json")
def delete_software_project(
    link_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    row = LINK.get(db, link_id)
    require_project(db, caller, row.project_pk, Access.ADMIN)
    return crud.delete(db, request, LINK, caller, row)
