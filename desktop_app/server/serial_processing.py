"""JSON of the GR ``processing`` domains: software, parameters, jobs, templates.

Field names are Cytomine GR's (cytomine-api.md 3.8), including its spellings
(``uriPrintAttribut``, status ``NOTLAUNCH``), so PY30-era clients parse them unchanged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.model.security import User, UserJob
from desktop_app.model.software import (
    Job,
    JobParameter,
    JobStatus,
    JobTemplate,
    Software,
    SoftwareParameter,
    SoftwareProject,
)
from desktop_app.server.secret import user_keys
from desktop_app.server.serial import CLS, base

Json = dict[str, Any]
CLS_SOFTWAREPROJECT = "be.cytomine.processing.SoftwareProject"
CLS_USERJOB = "be.cytomine.security.UserJob"
_COUNT_KEYS = {
    JobStatus.NOTLAUNCHED: "numberOfNotLaunch",
    JobStatus.INQUEUE: "numberOfInQueue",
    JobStatus.RUNNING: "numberOfRunning",
    JobStatus.SUCCESS: "numberOfSuccess",
    JobStatus.FAILED: "numberOfFailed",
    JobStatus.INDETERMINATE: "numberOfIndeterminate",
    JobStatus.WAIT: "numberOfWait",
    JobStatus.KILLED: "numberOfKilled",
}


def parameter_json(db: Session, p: SoftwareParameter) -> Json:
    out = base("softwareparameter", p)
    out.update(
        {
            "name": p.name,
            "type": p.type,
            "defaultParamValue": p.default_value,
            "required": p.required,
            "software": p.software_pk,
            "index": p.index,
            "uri": p.uri,
            "uriPrintAttribut": p.uri_print_attribute,
            "uriSortAttribut": p.uri_sort_attribute,
            "setByServer": p.set_by_server,
            "serverParameter": p.server_parameter,
            "humanName": p.human_name,
            "valueKey": p.value_key,
            "commandLineFlag": p.command_line_flag,
        }
    )
    return out


def software_json(db: Session, s: Software) -> Json:
    counts = dict(
        db.execute(
            select(Job.status, func.count()).where(Job.software_pk == s.pk).group_by(Job.status)
        ).all()
    )
    out = base("software", s)
    out.update(
        {
            "name": s.name,
            "softwareUserRepository": s.software_user_repository,
            "defaultProcessingServer": s.default_processing_server,
            "resultName": s.result_name,
            "executeCommand": s.execute_command,
            "pullingCommand": s.pulling_command,
            "deprecated": s.deprecated,
            "softwareVersion": s.software_version,
            "sourcePath": s.source_path,
            "fullName": s.full_name or s.name,
            "executable": s.executable,
            "description": s.description,
            "parameters": [parameter_json(db, p) for p in s.parameters],
            "numberOfJob": sum(counts.values()),
        }
    )
    for status, key in _COUNT_KEYS.items():
        out[key] = counts.get(status, 0)
    return out


def software_project_json(db: Session, sp: SoftwareProject) -> Json:
    s = db.get(Software, sp.software_pk)
    out = base("software", sp)
    out.update(
        {
            "class": CLS_SOFTWAREPROJECT,
            "software": sp.software_pk,
            "project": sp.project_pk,
            "name": s.name if s else None,
        }
    )
    return out


def job_parameter_json(db: Session, jp: JobParameter) -> Json:
    sp = db.get(SoftwareParameter, jp.software_parameter_pk)
    out = base("jobparameter", jp)
    out.update(
        {
            "value": jp.value,
            "job": jp.job_pk,
            "jobTemplate": jp.job_template_pk,
            "softwareParameter": jp.software_parameter_pk,
            "name": sp.name if sp else None,
            "type": sp.type if sp else None,
            "index": sp.index if sp else None,
            "uri": sp.uri if sp else None,
            "uriPrintAttribut": sp.uri_print_attribute if sp else None,
            "uriSortAttribut": sp.uri_sort_attribute if sp else None,
            "humanName": sp.human_name if sp else None,
        }
    )
    return out


def _params_of(db: Session, column: Any, pk: int) -> list[Json]:
    rows = db.scalars(select(JobParameter).where(column == pk).order_by(JobParameter.pk))
    return [job_parameter_json(db, jp) for jp in rows]


def job_json(db: Session, j: Job) -> Json:
    user = db.get(User, j.user_pk) if j.user_pk else None
    user_job = db.scalar(select(UserJob.user_pk).where(UserJob.job_pk == j.pk))
    out = base("job", j)
    out.update(
        {
            "algoType": "job",
            "progress": j.progress,
            "status": int(j.status),
            "number": j.number,
            "statusComment": j.status_comment,
            "project": j.project_pk,
            "processingServer": j.processing_server,
            "software": j.software_pk,
            "softwareName": j.software.name if j.software else None,
            "name": f"{j.software.name if j.software else ''} : {j.number}",
            "rate": j.rate,
            "dataDeleted": j.data_deleted,
            "favorite": j.favorite,
            "username": user.username if user else None,
            "user": j.user_pk,
            "userJob": user_job,
            "jobParameters": _params_of(db, JobParameter.job_pk, j.pk),
        }
    )
    return out


def job_template_json(db: Session, t: JobTemplate) -> Json:
    s = db.get(Software, t.software_pk)
    out = base("jobtemplate", t)
    out.update(
        {
            "name": t.name,
            "software": t.software_pk,
            "softwareName": s.name if s else None,
            "project": t.project_pk,
            "jobParameters": _params_of(db, JobParameter.job_template_pk, t.pk),
        }
    )
    return out


def user_job_json(db: Session, uj: UserJob, with_keys: bool) -> Json:
    user = db.get(User, uj.user_pk)
    assert user is not None
    out: Json = {
        "class": CLS_USERJOB,
        "id": uj.user_pk,
        "username": user.username,
        "job": uj.job_pk,
        "user": uj.parent_user_pk,
        "algo": True,
        "rate": uj.rate,
        "created": base("user", user)["created"],
    }
    if with_keys:
        out["publicKey"], out["privateKey"] = user_keys(user)
    return out


__all__ = ["CLS", "job_json", "job_template_json", "parameter_json", "software_json"]
