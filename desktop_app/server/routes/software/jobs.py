"""Jobs, job parameters and job templates; each job gets its own UserJob identity.

Creating a job makes an ``algo`` ``sec_user`` with fresh HMAC keys and a ``user_job``
row pointing at the launcher: requests signed with those keys authenticate as the job,
act with the launcher's project rights (auth.load_caller) and create AlgoAnnotations.
Only the launcher and admins can read the job's keys (``/api/userJob/{id}.json``).
Deleting a job disables its identity, so leaked job keys stop working.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from desktop_app.model.security import Access, User, UserJob
from desktop_app.model.software import (
    Job,
    JobParameter,
    JobStatus,
    JobTemplate,
    Software,
    SoftwareParameter,
)
from desktop_app.protocol.cytomine.project import ProjectQuery
from desktop_app.protocol.cytomine.software import (
    JobBody,
    JobFilter,
    JobParameterBody,
    JobParamItem,
    JobQuery,
    JobTemplateBody,
)
from desktop_app.server import crud
from desktop_app.server.auth import Caller, current_caller
from desktop_app.server.db import get_db
from desktop_app.server.errors import bad_request, forbidden, not_found
from desktop_app.server.rights import require_project, visible_project_pks
from desktop_app.server.secret import secret_of
from desktop_app.server.serial import CLS
from desktop_app.server.serial_processing import (
    job_json,
    job_parameter_json,
    job_template_json,
    user_job_json,
)
from desktop_app.server.wire import body_doc, page, parse_body, query_model, request_json

router = APIRouter()
Json = dict[str, Any]


def _software(db: Session, body: JobBody | JobTemplateBody) -> int:
    pk = body.software
    if pk is None:
        raise bad_request("software is required")
    if db.get(Software, pk) is None:
        raise bad_request(f"Software {pk} does not exist")
    return pk


def _params(db: Session, software_pk: int, items: list[JobParamItem]) -> list[JobParameter]:
    """``params: [{softwareParameter, value}]`` checked against the software's parameters."""
    out = []
    for item in items:
        sp_pk = item.softwareParameter
        sp = db.get(SoftwareParameter, sp_pk)
        if sp is None or sp.software_pk != software_pk:
            raise bad_request(f"Software parameter {sp_pk} is not one of software {software_pk}")
        out.append(JobParameter(software_parameter_pk=sp.pk, value=item.value))
    return out


def _project(body: JobBody | JobTemplateBody) -> int:
    if body.project is None:
        raise bad_request("project is required")
    return body.project


def _apply_job(db: Session, caller: Caller, j: Job, body: JobBody, create: bool) -> None:
    if create:
        j.software_pk = _software(db, body)
        j.project_pk = _project(body)
        j.user_pk = caller.rights_pk
        j.number = 1 + (
            db.scalar(
                select(func.max(Job.number)).where(
                    Job.software_pk == j.software_pk, Job.project_pk == j.project_pk
                )
            )
            or 0
        )
        set_committed_value(j, "parameters", [])
        j.parameters = _params(db, j.software_pk, body.params)
    status = body.status
    try:
        j.status = JobStatus(status or 0)
    except ValueError as exc:
        raise bad_request("status must be an integer from 0 to 8") from exc
    progress = body.progress or 0
    if progress > 100:
        raise bad_request("progress must be between 0 and 100")
    j.progress = progress
    j.status_comment = body.statusComment
    j.processing_server = body.processingServer
    j.rate = body.rate
    j.data_deleted = body.dataDeleted
    j.favorite = body.favorite


def _apply_jp(
    db: Session, caller: Caller, jp: JobParameter, body: JobParameterBody, create: bool
) -> None:
    if create:
        if body.job is None:
            raise bad_request("job is required")
        job = db.get(Job, body.job)
        if job is None:
            raise bad_request("job does not exist")
        if body.softwareParameter is None:
            raise bad_request("softwareParameter is required")
        jp.job_pk = job.pk
        item = JobParamItem(softwareParameter=body.softwareParameter, value=body.value)
        (jp_row,) = _params(db, job.software_pk, [item])
        jp.software_parameter_pk = jp_row.software_parameter_pk
    jp.value = body.value


def _apply_template(
    db: Session, caller: Caller, t: JobTemplate, body: JobTemplateBody, c: bool
) -> None:
    t.name = body.name
    if c:
        t.software_pk = _software(db, body)
        t.project_pk = _project(body)


def _job_project(db: Session, jp: JobParameter) -> list[int]:
    if jp.job_pk is not None:
        job = db.get(Job, jp.job_pk)
        return [job.project_pk] if job and job.project_pk else []
    t = db.get(JobTemplate, jp.job_template_pk)
    return [t.project_pk] if t else []


JOB = crud.Resource(
    "job",
    CLS["job"],
    Job,
    job_json,
    _apply_job,
    lambda db, j: [j.project_pk] if j.project_pk else [],
    "Job",
    JobBody,
)
JP = crud.Resource(
    "jobparameter",
    CLS["jobparameter"],
    JobParameter,
    job_parameter_json,
    _apply_jp,
    _job_project,
    "JobParameter",
    JobParameterBody,
)
TEMPLATE = crud.Resource(
    "jobtemplate",
    CLS["jobtemplate"],
    JobTemplate,
    job_template_json,
    _apply_template,
    lambda db, t: [t.project_pk],
    "JobTemplate",
    JobTemplateBody,
)


def _body_project(db: Session, caller: Caller, body: Any, level: Access) -> Json:
    """``body`` once its ``project`` (required) grants ``level``."""
    require_project(db, caller, parse_body(ProjectQuery, body).project, level)
    return dict(body)


def _job(db: Session, caller: Caller, pk: int, level: Access = Access.RO) -> Job:
    job = JOB.get(db, pk)
    if job.project_pk is None:
        if not caller.is_admin:
            raise forbidden("Only administrators may see jobs outside projects")
    else:
        require_project(db, caller, job.project_pk, level)
    return job


@router.get("/api/job.json")
def list_jobs(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    """Filters ``project``, ``software``; only jobs of projects the caller reads."""
    q = select(Job).order_by(Job.created.desc(), Job.pk.desc())
    visible = visible_project_pks(db, caller)
    if visible is not None:
        q = q.where(Job.project_pk.in_(visible))
    f = query_model(JobFilter, request)
    if f.project is not None:
        q = q.where(Job.project_pk == f.project)
    if f.software is not None:
        q = q.where(Job.software_pk == f.software)
    return page([job_json(db, j) for j in db.scalars(q)], request)


@router.post("/api/job.json", openapi_extra=body_doc(JobBody))
def add_job(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    """Create the job and its UserJob identity (its keys: ``/api/userJob/{id}.json``)."""
    body = _body_project(db, caller, payload, Access.RW)
    out = crud.create(db, request, JOB, caller, body)
    job_pk = out["job"]["id"]
    if out["job"]["userJob"] is None:
        identity = User(
            username=f"job{job_pk}-{uuid.uuid4().hex[:8]}",
            algo=True,
            public_key=str(uuid.uuid4()),
            private_key=secret_of(db).seal(str(uuid.uuid4())),
            origin="job",
            firstname=out["job"]["name"],
            lastname="",
        )
        db.add(identity)
        db.flush()
        db.add(UserJob(user_pk=identity.pk, job_pk=job_pk, parent_user_pk=caller.rights_pk))
        db.commit()
        out["job"]["userJob"] = identity.pk
    return out


crud.item_routes(
    router, "/api/job/{job_id}.json", JOB, _job, param="job_id", names=("get_job", "edit_job", None)
)


@router.delete("/api/job/{job_id}.json")
def delete_job(
    job_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    job = _job(db, caller, job_id, Access.RW)
    uj = db.scalar(select(UserJob).where(UserJob.job_pk == job.pk))
    if uj is not None:
        identity = db.get(User, uj.user_pk)
        if identity is not None:
            identity.enabled = False
    db.execute(sql_delete(JobParameter).where(JobParameter.job_pk == job.pk))
    set_committed_value(job, "parameters", [])
    return crud.delete(db, request, JOB, caller, job)


@router.get("/api/job/{job_id}/parameter.json")
def job_parameters(
    job_id: int,
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    return page(job_json(db, _job(db, caller, job_id))["jobParameters"], request)


@router.get("/api/userJob/{user_job_id}.json")
@router.get("/api/userjob/{user_job_id}.json", include_in_schema=False)
def get_user_job(
    user_job_id: int, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    uj = db.get(UserJob, user_job_id)
    if uj is None:
        raise not_found("UserJob", user_job_id)
    _job(db, caller, uj.job_pk)
    keys = caller.is_admin or caller.pk in (uj.parent_user_pk, uj.user_pk)
    return user_job_json(db, uj, keys)


@router.get("/api/jobparameter.json")
def list_job_parameters(
    request: Request, db: Session = Depends(get_db), caller: Caller = Depends(current_caller)
) -> Json:
    """``job=`` is required: parameters are only meaningful per job."""
    job = query_model(JobQuery, request).job
    return job_parameters(job, request, db, caller)


@router.post("/api/jobparameter.json", openapi_extra=body_doc(JobParameterBody))
def add_job_parameter(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    _job(db, caller, parse_body(JobQuery, payload).job, Access.RW)
    return crud.create(db, request, JP, caller, payload)


def _jp(db: Session, caller: Caller, pk: int, level: Access) -> JobParameter:
    jp = JP.get(db, pk)
    for project in _job_project(db, jp):
        require_project(db, caller, project, level)
    return jp


crud.item_routes(
    router,
    "/api/jobparameter/{jp_id}.json",
    JP,
    _jp,
    param="jp_id",
    names=("get_job_parameter", "edit_job_parameter", "delete_job_parameter"),
)


@router.get("/api/jobtemplate.json")
@router.get("/api/project/{project_id}/jobtemplate.json")
def list_templates(
    request: Request,
    project_id: int | None = None,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
) -> Json:
    project = project_id or query_model(ProjectQuery, request).project
    require_project(db, caller, project)
    rows = db.scalars(
        select(JobTemplate).where(JobTemplate.project_pk == project).order_by(JobTemplate.pk)
    )
    return page([job_template_json(db, t) for t in rows], request)


@router.post("/api/jobtemplate.json", openapi_extra=body_doc(JobTemplateBody))
def add_template(
    request: Request,
    db: Session = Depends(get_db),
    caller: Caller = Depends(current_caller),
    payload: Any = Depends(request_json),
) -> Json:
    body = _body_project(db, caller, payload, Access.RW)
    return crud.create(db, request, TEMPLATE, caller, body)


def _template(db: Session, caller: Caller, pk: int, level: Access) -> JobTemplate:
    t = TEMPLATE.get(db, pk)
    require_project(db, caller, t.project_pk, level)
    return t


crud.item_routes(
    router,
    "/api/jobtemplate/{template_id}.json",
    TEMPLATE,
    _template,
    param="template_id",
    names=("get_template", "edit_template", "delete_template"),
)
