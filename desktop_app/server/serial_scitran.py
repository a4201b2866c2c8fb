"""SciTran JSON: ``_id`` strings, ISO 8601 UTC ``created``/``modified``, container arrays.

Field names follow the SciTran data model exactly.  Fields marked † there (``analyses``,
``info``, the subject's names, hashes and ``info``) are only emitted by detail
endpoints; permissions (‡) are reduced to the caller's own entry in lists and for
callers without admin on the container, so a list never leaks who else has access.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.project import Project
from desktop_app.model.scitran import (
    Acquisition,
    Analysis,
    Collection,
    ContainerFile,
    ContainerType,
    FileOriginType,
    Group,
    Note,
    Subject,
    collection_acquisition,
)
from desktop_app.model.security import Access
from desktop_app.server import scitran_grants as grants
from desktop_app.server.auth import Caller
from desktop_app.server.scitran_template import satisfies
from desktop_app.server.wire import iso

Json = dict[str, Any]


def sid(pk: int | None) -> str | None:
    return None if pk is None else str(pk)


def group_id(db: Session, group_pk: int | None) -> str | None:
    """A group's SciTran ``_id``: its code when it has one, else the pk as a string."""
    if group_pk is None:
        return None
    g = db.get(Group, group_pk)
    return None if g is None else (g.code or str(g.pk))


def _stamps(row: Any) -> Json:
    return {"created": iso(row.created), "modified": iso(row.updated or row.created)}


def caller_login(db: Session, caller: Caller | None) -> str | None:
    """The caller's SciTran user ``_id`` (a job identity's is its launcher's login)."""
    if caller is None:
        return None
    if caller.rights_pk == caller.pk:
        return caller.user.username
    return grants.login_of(db, caller.rights_pk)


def _perms(
    db: Session, rows: list[tuple[str, Access]], caller: Caller | None, full: bool
) -> list[Json]:
    """SciTran's ``permissions``: ``_id`` is the login (``uid``, its older name, too)."""
    out = [{"_id": login, "uid": login, "access": a.value} for login, a in rows]
    if full:
        return out
    me = caller_login(db, caller)
    return [p for p in out if me is not None and p["_id"] == me]


def group_json(db: Session, g: Group, caller: Caller | None, full: bool) -> Json:
    out: Json = {"_id": g.code or str(g.pk), "label": g.label, "tags": list(g.tags or [])}
    out.update(_stamps(g))
    rows = grants.listed(db, grants.Target(grants.Kind.GROUP, g.pk))
    out["permissions"] = _perms(db, rows, caller, full)
    return out


def note_json(db: Session, n: Note) -> Json:
    """A note; ``user`` is its writer's login, as SciTran records the note's ``user``."""
    return {"_id": str(n.pk), **_stamps(n), "user": grants.login_of(db, n.user_pk), "text": n.text}


def _origin_id(db: Session, f: ContainerFile) -> str | None:
    """SciTran's ``origin.id``: a user's login for an upload (the account pk is what is
    stored, so the id follows the account), else the id as stored."""
    if f.origin_type is FileOriginType.USER and f.origin_id and f.origin_id.isdigit():
        return grants.login_of(db, int(f.origin_id))
    return f.origin_id


def file_json(db: Session, f: ContainerFile, detail: bool) -> Json:
    out: Json = {
        "_id": str(f.pk),
        "name": f.name,
        **_stamps(f),
        "type": f.type,
        "size": f.size,
        "hash": f.hash,
        "modality": f.modality,
        "measurements": list(f.measurements or []),
        "origin": {
            "type": f.origin_type.value if f.origin_type else None,
            "id": _origin_id(db, f),
            "name": f.origin_name,
            "method": f.origin_method,
        },
        "tags": list(f.tags or []),
        "abstractimage": f.abstract_image_pk,
    }
    if detail:
        out["info"] = dict(f.info or {})
    else:  # SciTran's list fields, as on containers
        out["info"] = reserved_info(f.info)
        out["info_exists"] = bool(f.info)
    return out


#: The ``info`` keys SciTran formalised; lists carry these and nothing else of ``info``.
RESERVED_INFO_KEYS = ("BIDS",)


def reserved_info(info: dict[str, Any] | None) -> Json:
    """``info`` reduced to its reserved keys (SciTran's ``sanitize_info``)."""
    return {k: info[k] for k in RESERVED_INFO_KEYS if info and k in info}


#: Left out of list items, as SciTran's list projections do: the tags of sessions and
#: acquisitions, and a session subject's demographics (read on the session itself).
_LIST_HIDDEN: dict[ContainerType, tuple[str, ...]] = {
    ContainerType.SESSION: ("tags",),
    ContainerType.ACQUISITION: ("tags",),
}
_SUBJECT_LIST_HIDDEN = ("sex", "race", "ethnicity", "age")


def list_projection(ctype: ContainerType, item: Json) -> Json:
    """A container as a list shows it (``item`` is its non-detail JSON)."""
    for key in _LIST_HIDDEN.get(ctype, ()):
        item.pop(key, None)
    subject = item.get("subject")
    if isinstance(subject, dict):
        for key in _SUBJECT_LIST_HIDDEN:
            subject.pop(key, None)
    return item


def subject_json(s: Subject, detail: bool, admin: bool) -> Json:
    out: Json = {
        "_id": str(s.pk),
        "code": s.code,
        "sex": s.sex.value if s.sex else None,
        "race": s.race.value if s.race else None,
        "ethnicity": s.ethnicity.value if s.ethnicity else None,
        "age": s.age,
        # whether names exist that this caller may not see (a flag, not the names)
        "names_hidden": not admin and bool(s.firstname_hash or s.lastname_hash),
    }
    if detail:
        if admin:  # the (keyed) hashes, too, only to those who may see the names
            out["firstname_hash"] = s.firstname_hash
            out["lastname_hash"] = s.lastname_hash
            out["firstname"] = s.firstname
            out["lastname"] = s.lastname
        out["info"] = dict(s.info or {})
    else:  # SciTran's list fields, as on containers
        out["info"] = reserved_info(s.info)
        out["info_exists"] = bool(s.info)
    return out


def _refs(db: Session, model: type[Any], ctype: ContainerType, pk: int) -> list[Any]:
    return list(
        db.scalars(
            select(model)
            .where(model.container_type == ctype, model.container_pk == pk)
            .order_by(model.pk)
        )
    )


def permission_rows(
    db: Session, ctype: ContainerType, row: Any, project_pk: int | None
) -> list[tuple[str, Access]]:
    """Who (login) holds what on a container (project-bound ones inherit the project's)."""
    if ctype is ContainerType.COLLECTION:
        rows = grants.listed(db, grants.Target(grants.Kind.COLLECTION, row.pk))
        curator = grants.login_of(db, row.curator_pk)
        if curator is not None and curator not in {login for login, _ in rows}:
            rows.insert(0, (curator, Access.ADMIN))
        return rows
    if project_pk is None:
        return []
    return grants.listed(db, grants.Target(grants.Kind.PROJECT, project_pk))


def container_json(
    db: Session,
    ctype: ContainerType,
    row: Any,
    *,
    caller: Caller | None,
    detail: bool,
    admin: bool,
    project_pk: int | None,
) -> Json:
    """One container; ``admin`` = the caller holds admin on it (full permissions, names)."""
    out: Json = {"_id": str(row.pk), **_stamps(row)}
    label = row.name if isinstance(row, Project) else row.label
    out.update(
        {
            "label": label,
            "public": bool(row.public),
            "archived": bool(row.archived),
            "tags": list(row.tags or []),
            "notes": [note_json(db, n) for n in _refs(db, Note, ctype, row.pk)],
            "files": [file_json(db, f, detail) for f in _refs(db, ContainerFile, ctype, row.pk)],
            "permissions": _perms(
                db, permission_rows(db, ctype, row, project_pk), caller, detail and admin
            ),
        }
    )
    out.update(_specific(db, ctype, row, detail, admin))
    if detail:
        out["analyses"] = [
            {"_id": str(a.pk), "label": a.label, **_stamps(a)}
            for a in _refs(db, Analysis, ctype, row.pk)
        ]
        out["info"] = dict(row.info or {})
    else:  # SciTran's list fields
        out["info"] = reserved_info(row.info)
        out["info_exists"] = bool(row.info)
    return out


def _specific(db: Session, ctype: ContainerType, row: Any, detail: bool, admin: bool) -> Json:
    if ctype is ContainerType.PROJECT:
        return {"group": group_id(db, row.group_pk), "description": row.description}
    if ctype is ContainerType.SESSION:
        project = db.get(Project, row.project_pk)
        out = {
            "group": group_id(db, project.group_pk if project else None),
            "project": str(row.project_pk),
            "uid": row.data_uid,
            "timestamp": iso(row.timestamp),
            "timezone": row.timezone,
            "operator": row.operator,
            "subject": subject_json(row.subject, detail, admin) if row.subject else None,
        }
        if detail and project is not None and project.template is not None:
            out["project_has_template"] = True
            out["satisfies_template"] = satisfies(db, row, project.template)
        return out
    if ctype is ContainerType.ACQUISITION:
        cols = db.scalars(
            select(collection_acquisition.c.collection_pk).where(
                collection_acquisition.c.acquisition_pk == row.pk
            )
        )
        return {
            "session": str(row.session_pk),
            "collections": [str(c) for c in cols],
            "uid": row.data_uid,
            "timestamp": iso(row.timestamp),
            "timezone": row.timezone,
        }
    if ctype is ContainerType.ANALYSIS:
        return {
            "parent": {"type": row.container_type.value, "id": str(row.container_pk)},
            "description": row.description,
            "user": grants.login_of(db, row.user_pk),
            "timestamp": iso(row.timestamp or row.created),
            "version": row.version,
            "job": sid(row.job_pk),
        }
    assert isinstance(row, Collection)
    return {"curator": grants.login_of(db, row.curator_pk)}


def acquisition_pks(db: Session, collection_pk: int) -> list[int]:
    return list(
        db.scalars(
            select(collection_acquisition.c.acquisition_pk).where(
                collection_acquisition.c.collection_pk == collection_pk
            )
        )
    )


__all__ = [
    "Acquisition",
    "acquisition_pks",
    "container_json",
    "file_json",
    "group_json",
    "list_projection",
    "note_json",
    "subject_json",
]
