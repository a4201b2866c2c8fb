"""Applying SciTran bodies onto container rows, one applier per container kind.

Each body is read through its wire model (``protocol/scitran/containers.py``).
SciTran's PUT is a partial update (only the keys sent change), unlike Cytomine's full
replace, so every ``apply_*`` touches only the fields the body sent; a create passes
``create=True`` and gets the required keys checked.  Rights on the parents a body
names (group, project, session, an analysis' parent) are checked here, as SciTran
checks them on the target parent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

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
from desktop_app.protocol.scitran.base import SciTranBody
from desktop_app.protocol.scitran.containers import (
    AcquisitionBody,
    AnalysisBody,
    CollectionBody,
    ContainerBody,
    NewProjectBody,
    ProjectBody,
    SessionBody,
    SubjectBody,
    TimedBody,
)
from desktop_app.server import crud, scitran_propagate
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
from desktop_app.server.wire import now, parse_body

Json = dict[str, Any]
_B = TypeVar("_B", bound=SciTranBody)


def _read(model: type[_B], body: Json) -> _B:
    """``body`` as its model; on a PUT (a ``crud.ReadTracker``) the fields the model
    reads count as read, so only the others are named ``ignored``."""
    out = parse_body(model, body)
    if isinstance(body, crud.ReadTracker):
        body.read.update(_names(model).intersection(body))
    return out


def _names(model: type[SciTranBody]) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


def _common(row: Any, b: ContainerBody) -> None:
    if b.sent("label"):
        row.label = b.label
        if isinstance(row, Project):
            row.name = b.label or ""
    for field in ("public", "archived", "tags", "info"):
        if b.sent(field):
            setattr(row, field, getattr(b, field))


def _timing(row: Any, b: TimedBody) -> None:
    if b.sent("uid"):
        row.data_uid = b.uid
    for field in ("timestamp", "timezone"):
        if b.sent(field):
            setattr(row, field, getattr(b, field))


def _flags(b: ContainerBody) -> set[str]:
    """The propagated flags (``public``, ``archived``) a body sent."""
    return {f for f in scitran_propagate.FLAGS if b.sent(f)}


def apply_project(db: Session, caller: Caller, p: Project, body: Json, create: bool) -> None:
    b = _read(NewProjectBody if create else ProjectBody, body)
    _common(p, b)
    if not create:
        flags = _flags(b)
        for ctype, row in scitran_propagate.propagate_flags(db, ContainerType.PROJECT, p, flags):
            touch(db, caller, ctype, row)
    if b.sent("group"):
        raw = b.group
        p.group_pk = (
            # placing a project in a group takes group admin, as in SciTran
            None if raw in (None, "") else require_group(db, caller, str(raw), Access.ADMIN).pk
        )
    if b.sent("description"):
        p.description = b.description
    if create:
        p.members = [ProjectMember(user_pk=caller.rights_pk, access=Access.ADMIN)]


def _subject(db: Session, caller: Caller, s: ScSession, b: SubjectBody | None) -> None:
    if b is None:
        s.subject_pk = None
        return
    subj = s.subject
    if b.code is not None and (subj is None or subj.code != b.code):
        subj = db.scalars(
            select(Subject).where(Subject.project_pk == s.project_pk, Subject.code == b.code)
        ).first()
    if subj is None:
        subj = Subject(project_pk=s.project_pk, code=b.code, info={})
        db.add(subj)
    if b.sent("code"):
        subj.code = b.code
    for key, enum_cls in (("sex", Sex), ("race", Race), ("ethnicity", Ethnicity)):
        if b.sent(key):
            value = getattr(b, key)
            setattr(subj, key, None if value is None else enum_cls(value))
    if b.sent("age"):
        subj.age = b.age
    if b.sent("info"):
        subj.info = b.info
    if b.sent("firstname") or b.sent("lastname"):
        admin = project_access(db, caller, s.project_pk) is Access.ADMIN and not caller.is_guest
        keep = (subj.firstname, subj.lastname, subj.firstname_hash, subj.lastname_hash)
        subj.set_names(
            b.firstname, b.lastname, store_plaintext=admin, hasher=secret_of(db).name_hash
        )
        if not b.sent("firstname"):
            subj.firstname, subj.firstname_hash = keep[0] if admin else None, keep[2]
        if not b.sent("lastname"):
            subj.lastname, subj.lastname_hash = keep[1] if admin else None, keep[3]
    db.flush()
    s.subject = subj
    s.subject_pk = subj.pk


def apply_session(db: Session, caller: Caller, s: ScSession, body: Json, create: bool) -> None:
    b = _read(SessionBody, body)
    _common(s, b)
    if not create:
        flags = _flags(b)
        for ctype, row in scitran_propagate.propagate_flags(db, ContainerType.SESSION, s, flags):
            touch(db, caller, ctype, row)
    if create or b.sent("project"):
        project = parse_id(b.project or "", "project")
        require_container(db, caller, ContainerType.PROJECT, project, Access.RW)
        s.project_pk = project
    _timing(s, b)
    if b.sent("operator"):
        s.operator = b.operator
    if b.sent("subject"):
        _subject(db, caller, s, b.subject)
    elif create:  # SciTran gives every new session a subject (an id, maybe no code)
        _subject(db, caller, s, SubjectBody())


def apply_acquisition(
    db: Session, caller: Caller, a: Acquisition, body: Json, create: bool
) -> None:
    b = _read(AcquisitionBody, body)
    _common(a, b)
    if create or b.sent("session"):
        session = parse_id(b.session or "", "session")
        require_container(db, caller, ContainerType.SESSION, session, Access.RW)
        a.session_pk = session
    _timing(a, b)


def apply_analysis(db: Session, caller: Caller, a: Analysis, body: Json, create: bool) -> None:
    b = _read(AnalysisBody, body)
    _common(a, b)
    if create:
        if b.parent is None:
            raise bad_request('parent must be {"type": <container type>, "id": <id>}')
        ptype = container_type(str(b.parent.get("type")))
        if ptype is ContainerType.ANALYSIS:
            raise bad_request("an analysis cannot be the parent of an analysis")
        ppk = parse_id(b.parent.get("id") or "", "parent.id")
        require_container(db, caller, ptype, ppk, Access.RW)
        a.container_type, a.container_pk = ptype, ppk
        a.user_pk = caller.pk
        a.timestamp = now()
    for field in ("description", "version"):
        if b.sent(field):
            setattr(a, field, getattr(b, field))
    if b.sent("job"):
        a.job_pk = None if b.job in (None, "") else parse_id(b.job, "job")
        if a.job_pk is not None and db.get(Job, a.job_pk) is None:
            raise bad_request(f"Job {a.job_pk} does not exist")


def apply_collection(db: Session, caller: Caller, c: Collection, body: Json, create: bool) -> None:
    b = _read(CollectionBody, body)
    _common(c, b)
    if create:
        c.curator_pk = caller.rights_pk
    if b.contents is None:
        return
    wanted: list[int] = []
    for node in b.contents.nodes:
        level = ContainerType(node.level)
        pk = parse_id(node.id or "", "_id")
        require_container(db, caller, level, pk, Access.RO)
        if level is ContainerType.SESSION:
            wanted += db.scalars(select(Acquisition.pk).where(Acquisition.session_pk == pk))
        else:
            wanted.append(pk)
    if c.pk is None:  # a create: the membership rows need the collection's id first
        db.add(c)
    db.flush()
    have = set(acquisition_pks(db, c.pk))

    if b.contents.operation == "add":
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
