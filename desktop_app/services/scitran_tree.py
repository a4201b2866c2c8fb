"""The SciTran hierarchy as the tree view and ``workstation tree`` show it, offline.

groups → projects → subjects → sessions → acquisitions, with analyses under the
container they belong to and collections (with their acquisitions) at the top.  Built
from one query per table, then assembled in Python: the cache's tree is a few thousand
containers at most, and per-node queries would be thousands of round trips.

Subject names are personal data: a node shows them only when the cache holds them
(the user is an admin of the project); otherwise it says that only hashes are stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.model.image import AbstractImage, ImageInstance
from desktop_app.model.project import Project
from desktop_app.model.scitran import (
    Acquisition,
    Analysis,
    Collection,
    ContainerFile,
    ContainerType,
    Device,
    FileOriginType,
    Group,
    Note,
    Subject,
    collection_acquisition,
)
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.security import User
from desktop_app.model.sync import CommandLog
from desktop_app.store.uow import Store

Node = dict[str, Any]
NAMES_HIDDEN = "names hidden: personal data, shown to project admins only"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _base(kind: str, row: Any, label: str | None) -> Node:
    return {
        "type": kind,
        "id": row.server_id,
        "uid": row.uid,
        "label": label,
        "children": [],
        "files": [],
        "notes": [],
    }


def _container(kind: str, row: Any, label: str | None) -> Node:
    node = _base(kind, row, label)
    node.update(
        tags=list(row.tags or []),
        info=dict(row.info or {}),
        public=bool(row.public),
        archived=bool(row.archived),
    )
    return node


def _timed(kind: str, row: Any) -> Node:
    node = _container(kind, row, row.label)
    node.update(data_uid=row.data_uid, timestamp=_iso(row.timestamp), timezone=row.timezone)
    node["devices"] = []  # the instruments that produced its files (_attach_devices)
    return node


class ScitranTree:
    """Read-only: the cached hierarchy as plain nested dicts (JSON-ready)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def nodes(self) -> list[Node]:
        with self._store.read() as s:
            return _build(s)

    def node_count(self) -> int:
        def count(nodes: Iterable[Node]) -> int:
            return sum(1 + count(n["children"]) for n in nodes)

        return count(self.nodes())


def _build(s: Session) -> list[Node]:
    users = {int(pk): str(name) for pk, name in s.execute(select(User.pk, User.username))}
    pending_notes = set(
        s.scalars(select(CommandLog.entity_pk).where(CommandLog.entity_type == "note"))
    )
    by_ref: dict[tuple[ContainerType, int], Node] = {}

    projects: dict[int, Node] = {}
    for p in s.scalars(
        select(Project).where(Project.local_deleted.is_(False), Project.deleted.is_(None))
    ):
        node = _container("project", p, p.name)
        node["description"] = p.description
        node["group_pk"] = p.group_pk
        projects[p.pk] = by_ref[(ContainerType.PROJECT, p.pk)] = node
    subjects: dict[int, Node] = {}
    for subj in s.scalars(select(Subject).order_by(Subject.pk)):
        subjects[subj.pk] = _subject(subj)
        if subj.project_pk in projects:
            projects[subj.project_pk]["children"].append(subjects[subj.pk])
    sessions: dict[int, Node] = {}
    for x in s.scalars(select(ScSession).order_by(ScSession.timestamp, ScSession.pk)):
        node = sessions[x.pk] = by_ref[(ContainerType.SESSION, x.pk)] = _timed("session", x)
        parent = subjects.get(x.subject_pk or -1) or projects.get(x.project_pk)
        if parent is not None:
            parent["children"].append(node)
    acquisitions: dict[int, Node] = {}
    for a in s.scalars(select(Acquisition).order_by(Acquisition.timestamp, Acquisition.pk)):
        node = acquisitions[a.pk] = by_ref[(ContainerType.ACQUISITION, a.pk)] = _timed(
            "acquisition", a
        )
        if a.session_pk in sessions:
            sessions[a.session_pk]["children"].append(node)
    collections: list[Node] = []
    for c in s.scalars(select(Collection).order_by(Collection.pk)):
        node = by_ref[(ContainerType.COLLECTION, c.pk)] = _container("collection", c, c.label)
        node["curator"] = users.get(c.curator_pk or -1)
        node["_pk"] = c.pk
        collections.append(node)
    for an in s.scalars(select(Analysis).order_by(Analysis.pk)):
        node = by_ref[(ContainerType.ANALYSIS, an.pk)] = _container("analysis", an, an.label)
        node.update(
            description=an.description,
            version=an.version,
            user=users.get(an.user_pk or -1),
            timestamp=_iso(an.timestamp),
        )
        parent = by_ref.get((an.container_type, an.container_pk))
        if parent is not None:
            parent["children"].append(node)
    _attach_files(s, by_ref)
    _attach_devices(s, by_ref, sessions, acquisitions)
    for n in s.scalars(select(Note).where(Note.local_deleted.is_(False)).order_by(Note.pk)):
        parent = by_ref.get((n.container_type, n.container_pk))
        if parent is not None:
            parent["notes"].append(
                {
                    "text": n.text,
                    "user": users.get(n.user_pk or -1),
                    "id": n.server_id,
                    "uid": n.uid,
                    "created": _iso(n.created),
                    "pending": n.pk in pending_notes and n.sync_state != "synced",
                }
            )
    members = [(int(c), int(a)) for c, a in s.execute(select(collection_acquisition))]
    for node in collections:
        pk = node.pop("_pk")
        node["children"] = [acquisitions[a] for c, a in members if c == pk and a in acquisitions]
    return _groups(s, projects) + collections


def _subject(subj: Subject) -> Node:
    node = _base("subject", subj, subj.code)
    names = " ".join(n for n in (subj.firstname, subj.lastname) if n)
    hidden = not names and bool(subj.firstname_hash or subj.lastname_hash)
    node.update(
        code=subj.code,
        sex=subj.sex.value if subj.sex else None,
        race=subj.race.value if subj.race else None,
        ethnicity=subj.ethnicity.value if subj.ethnicity else None,
        age=subj.age,
        info=dict(subj.info or {}),
        firstname=subj.firstname,
        lastname=subj.lastname,
        firstname_hash=subj.firstname_hash,
        lastname_hash=subj.lastname_hash,
        names_hidden=hidden,
    )
    if names:
        node["label"] = f"{subj.code} ({names})" if subj.code else names
    if hidden:
        node["personal_data"] = NAMES_HIDDEN
    return node


def _attach_files(s: Session, by_ref: dict[tuple[ContainerType, int], Node]) -> None:
    images = {
        int(a): int(i)
        for a, i in s.execute(
            select(AbstractImage.pk, ImageInstance.pk)
            .join(ImageInstance, ImageInstance.base_image_pk == AbstractImage.pk)
            .where(ImageInstance.local_deleted.is_(False))
        )
    }
    for f in s.scalars(select(ContainerFile).order_by(ContainerFile.pk)):
        parent = by_ref.get((f.container_type, f.container_pk))
        if parent is None:
            continue
        parent["files"].append(
            {
                "name": f.name,
                "type": f.type,
                "size": f.size,
                "modality": f.modality,
                "id": f.server_id,
                "uid": f.uid,
                "hash": f.hash,
                "tags": list(f.tags or []),
                "origin": {
                    "type": f.origin_type.value if f.origin_type else None,
                    "id": f.origin_id,
                    "name": f.origin_name,
                    "method": f.origin_method,
                },
                "image": images.get(f.abstract_image_pk or -1),
            }
        )


def _attach_devices(
    s: Session,
    by_ref: dict[tuple[ContainerType, int], Node],
    sessions: dict[int, Node],
    acquisitions: dict[int, Node],
) -> None:
    """The devices (scanners) behind each acquisition's files, and a session's as the
    union of its acquisitions'. A file names its device two ways in the cache: its slide
    (abstract image) points at a device row, or its SciTran origin is of type device
    (id and name; the device row with that server id or label adds model and location)."""
    rows = list(s.scalars(select(Device).where(Device.local_deleted.is_(False))))
    if not rows and not s.scalar(
        select(ContainerFile.pk).where(ContainerFile.origin_type == FileOriginType.DEVICE).limit(1)
    ):
        return
    by_pk = {d.pk: d for d in rows}
    by_key = {str(d.server_id): d for d in rows if d.server_id is not None}
    by_key.update({d.label: d for d in rows if d.label})
    device_of_image: dict[int, int | None] = {
        image_pk: device_pk
        for image_pk, device_pk in s.execute(
            select(AbstractImage.pk, AbstractImage.device_pk).where(
                AbstractImage.device_pk.is_not(None)
            )
        )
    }
    files = s.execute(
        select(
            ContainerFile.container_type,
            ContainerFile.container_pk,
            ContainerFile.abstract_image_pk,
            ContainerFile.origin_type,
            ContainerFile.origin_id,
            ContainerFile.origin_name,
        )
    ).all()
    for ctype, cpk, image_pk, origin, origin_id, origin_name in files:
        node = by_ref.get((ctype, cpk))
        if node is None or "devices" not in node:
            continue
        device_pk = device_of_image.get(image_pk) if image_pk is not None else None
        device = by_pk.get(device_pk) if device_pk is not None else None
        if device is None and origin is FileOriginType.DEVICE:
            device = by_key.get(str(origin_id)) or by_key.get(str(origin_name))
            if device is None:
                _add_device(node, {"id": origin_id, "label": origin_name})
                continue
        if device is not None:
            _add_device(node, _device(device))
    for acq_pk, sess_pk in s.execute(select(Acquisition.pk, Acquisition.session_pk)):
        if acq_pk in acquisitions and sess_pk in sessions:
            for d in acquisitions[acq_pk]["devices"]:
                _add_device(sessions[sess_pk], d)


def _device(d: Device) -> dict[str, Any]:
    return {"id": d.server_id, "label": d.label, "model": d.model, "location": d.location}


def _add_device(node: Node, device: dict[str, Any]) -> None:
    key = (device.get("id"), device.get("label"))
    if all((d.get("id"), d.get("label")) != key for d in node["devices"]):
        node["devices"].append({"model": None, "location": None, **device})


def _groups(s: Session, projects: dict[int, Node]) -> list[Node]:
    out: list[Node] = []
    grouped: set[int] = set()
    for g in s.scalars(select(Group).order_by(Group.label)):
        node = _base("group", g, g.label)
        node["id"] = g.code if g.code is not None else g.server_id
        node["tags"] = list(g.tags or [])
        for pk, p in projects.items():
            if p["group_pk"] == g.pk:
                node["children"].append(p)
                grouped.add(pk)
        out.append(node)
    loose = [p for pk, p in projects.items() if pk not in grouped]
    for p in projects.values():
        p.pop("group_pk")
    return out + loose
