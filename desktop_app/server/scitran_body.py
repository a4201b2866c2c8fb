"""Validating SciTran JSON onto container rows, one applier per container kind.

SciTran's PUT is a partial update (only the keys sent change), unlike Cytomine's full
replace, so every ``apply_*`` touches only the keys present; a create passes
``create=True`` and gets the required keys checked.  Rights on the parents a body
names (group, project, session, an analysis' parent) are checked here, as SciTran
checks them on the target parent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.scitran import (
    Acquisition,
    Analysis,
    Collection,
    ContainerType,
    Ethnicity,
    Race,
    Sex,
    Subject,
)
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.scitran import collection_acquisition as link
from desktop_app.model.security import Access
from desktop_app.model.software import Job
from desktop_app.server import scitran_propagate
from desktop_app.server.auth import Caller
from desktop_app.server.errors import bad_request
from desktop_app.server.rights import project_access
from desktop_app.server.scitran_access import (
    container_type,
    parse_id,
    require_container,
    require_group,
)
from desktop_app.server.scitran_feed import touch
from desktop_app.server.secret import secret_of
from desktop_app.server.serial_scitran import acquisition_pks
from desktop_app.server.wire import as_str, now

Json = dict[str, Any]


def _enum(enum_cls: type[Any], raw: Any, name: str) -> Any:
    if raw is None:
        return None
    try:
        return enum_cls(raw)
    except ValueError as exc:
        allowed = "|".join(e.value for e in enum_cls)
        raise bad_request(f"{name} must be one of {allowed}") from exc


def parse_ts(raw: Any, name: str) -> datetime | None:
    """ISO 8601 (naive = UTC) or epoch milliseconds."""
    if raw is None or raw == "":
        return None
    try:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return datetime.fromtimestamp(raw / 1000, UTC)
        if isinstance(raw, str):
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise bad_request(f"{name} must be an ISO 8601 timestamp") from exc
    raise bad_request(f"{name} must be an ISO 8601 timestamp")


def str_list(raw: Any, name: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(t, str) and len(t) <= 255 for t in raw):
        raise bad_request(f"{name} must be a list of strings")
    return list(dict.fromkeys(raw))


def _common(row: Any, body: Json, label_required: bool) -> None:
    if "label" in body or label_required:
        label = as_str(body.get("label"), "label", required=label_required, max_len=255)
        row.label = label
        if isinstance(row, Project):
            row.name = label or ""
    for flag in ("public", "archived"):
        if flag in body:
            if not isinstance(body[flag], bool):
                raise bad_request(f"{flag} must be true or false")
            setattr(row, flag, body[flag])
    if "tags" in body:
        row.tags = str_list(body["tags"], "tags")
    if "info" in body:
        if not isinstance(body["info"], dict):
            raise bad_request("info must be an object")
        row.info = body["info"]


def _timing(row: Any, body: Json) -> None:
    if "uid" in body:
        row.data_uid = as_str(body["uid"], "uid", max_len=255)
    if "timestamp" in body:
        row.timestamp = parse_ts(body["timestamp"], "timestamp")
    if "timezone" in body:
        row.timezone = as_str(body["timezone"], "timezone", max_len=64)


def apply_project(db: Session, caller: Caller, p: Project, body: Json, create: bool) -> None:
    _common(p, body, create)
    if not create:
        for ctype, row in scitran_propagate.propagate_flags(db, ContainerType.PROJECT, p, body):
            touch(db, caller, ctype, row)
    if "group" in body:
        raw = body["group"]
        p.group_pk = (
            # placing a project in a group takes group admin, as in SciTran
            None if raw in (None, "") else require_group(db, caller, str(raw), Access.ADMIN).pk
        )
    if "description" in body:
        p.description = as_str(body["description"], "description", max_len=100000)
    if create:
        p.members = [ProjectMember(user_pk=caller.rights_pk, access=Access.ADMIN)]


def _subject(db: Session, caller: Caller, s: ScSession, raw: Any) -> None:
    if raw is None:
        s.subject_pk = None
        return
    if not isinstance(raw, dict):
        raise bad_request("subject must be an object")
    hashes = sorted(k for k in ("firstname_hash", "lastname_hash") if k in raw)
    if hashes:  # the server computes them (keyed, §8); SciTran's subject-input refuses them
        raise bad_request(f"Additional properties are not allowed: {', '.join(hashes)}")
    code = as_str(raw.get("code"), "subject.code", max_len=255)
    subj = s.subject
    if code is not None and (subj is None or subj.code != code):
        subj = db.scalars(
            select(Subject).where(Subject.project_pk == s.project_pk, Subject.code == code)
        ).first()
    if subj is None:
        subj = Subject(project_pk=s.project_pk, code=code, info={})
        db.add(subj)
    subj.code = code if "code" in raw else subj.code
    for key, enum_cls in (("sex", Sex), ("race", Race), ("ethnicity", Ethnicity)):
        if key in raw:
            setattr(subj, key, _enum(enum_cls, raw[key], f"subject.{key}"))
    if "age" in raw:
        age = raw["age"]
        if age is not None and (
            isinstance(age, bool) or not isinstance(age, int) or age < 0 or age > 2**62
        ):
            raise bad_request("subject.age must be a non-negative integer (seconds)")
        subj.age = age
    if "info" in raw:
        if not isinstance(raw["info"], dict):
            raise bad_request("subject.info must be an object")
        subj.info = raw["info"]
    if "firstname" in raw or "lastname" in raw:
        admin = project_access(db, caller, s.project_pk) is Access.ADMIN and not caller.is_guest
        keep = (subj.firstname, subj.lastname, subj.firstname_hash, subj.lastname_hash)
        first = as_str(raw.get("firstname"), "subject.firstname", max_len=255)
        last = as_str(raw.get("lastname"), "subject.lastname", max_len=255)
        subj.set_names(first, last, store_plaintext=admin, hasher=secret_of(db).name_hash)
        if "firstname" not in raw:
            subj.firstname, subj.firstname_hash = keep[0] if admin else None, keep[2]
        if "lastname" not in raw:
            subj.lastname, subj.lastname_hash = keep[1] if admin else None, keep[3]
    db.flush()
    s.subject = subj
    s.subject_pk = subj.pk


def apply_session(db: Session, caller: Caller, s: ScSession, body: Json, create: bool) -> None:
    _common(s, body, False)
    if not create:
        for ctype, row in scitran_propagate.propagate_flags(db, ContainerType.SESSION, s, body):
            touch(db, caller, ctype, row)
    if create or "project" in body:
        project = parse_id(body.get("project") or "", "project")
        require_container(db, caller, ContainerType.PROJECT, project, Access.RW)
        s.project_pk = project
    _timing(s, body)
    if "operator" in body:
        s.operator = as_str(body["operator"], "operator", max_len=255)
    if "subject" in body:
        _subject(db, caller, s, body["subject"])
    elif create:  # SciTran gives every new session a subject (an id, maybe no code)
        _subject(db, caller, s, {})


def apply_acquisition(
    db: Session, caller: Caller, a: Acquisition, body: Json, create: bool
) -> None:
    _common(a, body, False)
    if create or "session" in body:
        session = parse_id(body.get("session") or "", "session")
        require_container(db, caller, ContainerType.SESSION, session, Access.RW)
        a.session_pk = session
    _timing(a, body)


def apply_analysis(db: Session, caller: Caller, a: Analysis, body: Json, create: bool) -> None:
    _common(a, body, False)
    if create:
        parent = body.get("parent")
        if not isinstance(parent, dict):
            raise bad_request('parent must be {"type": <container type>, "id": <id>}')
        ptype = container_type(str(parent.get("type")))
        if ptype is ContainerType.ANALYSIS:
            raise bad_request("an analysis cannot be the parent of an analysis")
        ppk = parse_id(parent.get("id") or "", "parent.id")
        require_container(db, caller, ptype, ppk, Access.RW)
        a.container_type, a.container_pk = ptype, ppk
        a.user_pk = caller.pk
        a.timestamp = now()
    if "description" in body:
        a.description = as_str(body["description"], "description", max_len=100000)
    if "version" in body:
        a.version = as_str(body["version"], "version", max_len=64)
    if "job" in body:
        job = body["job"]
        a.job_pk = None if job in (None, "") else parse_id(job, "job")
        if a.job_pk is not None and db.get(Job, a.job_pk) is None:
            raise bad_request(f"Job {a.job_pk} does not exist")


def apply_collection(db: Session, caller: Caller, c: Collection, body: Json, create: bool) -> None:
    _common(c, body, False)
    if create:
        c.curator_pk = caller.rights_pk
    contents = body.get("contents")
    if contents is None:
        return
    if not isinstance(contents, dict) or contents.get("operation") not in ("add", "remove"):
        raise bad_request('contents must be {"operation": "add"|"remove", "nodes": [...]}')
    nodes = contents.get("nodes")
    if not isinstance(nodes, list):
        raise bad_request("contents.nodes must be a list")
    wanted: list[int] = []
    for node in nodes:
        if not isinstance(node, dict) or node.get("level") not in ("session", "acquisition"):
            raise bad_request('each node must be {"level": "session"|"acquisition", "_id": ...}')
        level = ContainerType(node["level"])
        pk = parse_id(node.get("_id") or "", "_id")
        require_container(db, caller, level, pk, Access.RO)
        if level is ContainerType.SESSION:
            wanted += db.scalars(select(Acquisition.pk).where(Acquisition.session_pk == pk))
        else:
            wanted.append(pk)
    if c.pk is None:  # a create: the membership rows need the collection's id first
        db.add(c)
    db.flush()
    have = set(acquisition_pks(db, c.pk))

    if contents["operation"] == "add":
        for pk in dict.fromkeys(wanted):
            if pk not in have:
                db.execute(link.insert().values(collection_pk=c.pk, acquisition_pk=pk))
    elif wanted:
        db.execute(
            link.delete().where(link.c.collection_pk == c.pk, link.c.acquisition_pk.in_(wanted))
        )


#: The body appliers by container kind (each takes its own row class).
APPLY: dict[ContainerType, Callable[[Session, Caller, Any, Json, bool], None]] = {
    ContainerType.PROJECT: apply_project,
    ContainerType.SESSION: apply_session,
    ContainerType.ACQUISITION: apply_acquisition,
    ContainerType.ANALYSIS: apply_analysis,
    ContainerType.COLLECTION: apply_collection,
}
