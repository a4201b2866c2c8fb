"""Apply a fetched SciTran hierarchy to the cache in one transaction.

Each container is upserted on ``server_id`` (a group on its ``code``) and marked
synced; containers the server no longer lists are removed, except notes the user
added or edited and has not pushed yet (their outbox ops must still go out).  Projects
come from the Cytomine checkout (``checkout.py``): the containers of a project that
is not in the cache (a sync limited to other projects) are left out.

Subject names are personal data: the plaintext is stored only when the user holds
admin on the subject's project (what the server itself requires to send them); for
everyone else only the hashes are kept, whatever the answer contained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from desktop_app.model.base import SyncState
from desktop_app.model.image import AbstractImage
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.scitran import (
    Acquisition,
    Analysis,
    Collection,
    ContainerFile,
    ContainerType,
    Ethnicity,
    FileOriginType,
    Group,
    Note,
    Race,
    Sex,
    Subject,
    collection_acquisition,
)
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.security import Access
from desktop_app.model.sync import CommandLog
from desktop_app.store.uow import Store
from desktop_app.sync.local import UNFINISHED, user_pk_for

Json = dict[str, Any]


@dataclass
class TreeBundle:
    """Everything fetched from the server for one pull (applied atomically)."""

    me: int | None
    groups: list[Json] = field(default_factory=list)
    projects: list[Json] = field(default_factory=list)
    sessions: list[Json] = field(default_factory=list)
    acquisitions: list[Json] = field(default_factory=list)
    analyses: list[Json] = field(default_factory=list)
    collections: list[Json] = field(default_factory=list)
    #: server user id -> username, for note authors and curators
    users: dict[int, str] = field(default_factory=dict)


_MODELS: dict[ContainerType, Any] = {
    ContainerType.PROJECT: Project,
    ContainerType.SESSION: ScSession,
    ContainerType.ACQUISITION: Acquisition,
    ContainerType.ANALYSIS: Analysis,
    ContainerType.COLLECTION: Collection,
}


#: Stored in a subject's hash columns when the server says it has names this user may
#: not see (it no longer sends their hashes to non-admins): the cache then shows
#: "names hidden" without holding anything derived from the names.
NAMES_WITHHELD = "withheld"


def _sid(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _enum(cls: Any, raw: Any) -> Any:
    try:
        return None if raw is None else cls(raw)
    except ValueError:
        return None


def _ts(raw: Any) -> datetime | None:
    if not isinstance(raw, str) or not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _synced(row: Any, obj: Json) -> None:
    row.server_id = _sid(obj.get("_id"))
    row.sync_state = SyncState.SYNCED
    row.dirty_fields = []


def _container_fields(row: Any, obj: Json) -> None:
    row.public = bool(obj.get("public", False))
    row.archived = bool(obj.get("archived", False))
    row.tags = [str(t) for t in obj.get("tags") or []]
    if isinstance(obj.get("info"), dict):
        row.info = obj["info"]


class _Applier:
    """One pull's upserts; ``pks[type][server id]`` maps what was applied to local pks."""

    def __init__(self, s: Session, bundle: TreeBundle) -> None:
        self.s = s
        self.bundle = bundle
        self.pks: dict[ContainerType, dict[int, int]] = {t: {} for t in ContainerType}
        self.me = None if bundle.me is None else user_pk_for(s, bundle.me, None)

    def _row(self, cls: Any, obj: Json) -> Any:
        sid = _sid(obj.get("_id"))
        return None if sid is None else self.s.scalar(select(cls).where(cls.server_id == sid))

    def user(self, raw: Any) -> int | None:
        sid = _sid(raw)
        if sid is None:
            return None
        return user_pk_for(self.s, sid, self.bundle.users.get(sid))

    def groups(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for g in self.bundle.groups:
            code = str(g["_id"])
            row = self.s.scalar(select(Group).where(Group.code == code))
            if row is None:
                row = Group(code=code, label=str(g.get("label") or code))
                self.s.add(row)
            row.label = str(g.get("label") or code)
            row.tags = [str(t) for t in g.get("tags") or []]
            row.sync_state = SyncState.SYNCED
            self.s.flush()
            out[code] = row.pk
        self.s.execute(
            delete(Group).where(Group.code.is_not(None), Group.code.not_in(list(out) or [""]))
        )
        return out

    def projects(self, groups: dict[str, int]) -> None:
        for p in self.bundle.projects:
            row = self._row(Project, p)
            if row is None:  # not checked out (a sync limited to other projects): skipped
                continue
            _container_fields(row, p)
            row.group_pk = groups.get(str(p.get("group")))
            row.description = p.get("description")
            self.s.flush()
            self.pks[ContainerType.PROJECT][int(p["_id"])] = row.pk
            self._role(row.pk, p)

    def _role(self, project_pk: int, p: Json) -> None:
        """My own permission entry (every answer carries it) as my membership."""
        if self.me is None or self.bundle.me is None:
            return
        mine = [x for x in p.get("permissions") or [] if _sid(x.get("_id")) == self.bundle.me]
        if not mine:
            return
        try:
            access = Access(str(mine[0].get("access")))
        except ValueError:
            return
        member = self.s.get(ProjectMember, (project_pk, self.me))
        if member is None:
            self.s.add(ProjectMember(project_pk=project_pk, user_pk=self.me, access=access))
        else:
            member.access = access

    def is_admin(self, project_pk: int) -> bool:
        if self.me is None:
            return False
        member = self.s.get(ProjectMember, (project_pk, self.me))
        return member is not None and member.access is Access.ADMIN

    def subject(self, project_pk: int, raw: Any) -> int | None:
        if not isinstance(raw, dict):
            return None
        row = self._row(Subject, raw)
        if row is None:
            row = Subject(project_pk=project_pk)
            _synced(row, raw)
            self.s.add(row)
        row.project_pk, row.code = project_pk, raw.get("code")
        row.sex = _enum(Sex, raw.get("sex"))
        row.race = _enum(Race, raw.get("race"))
        row.ethnicity = _enum(Ethnicity, raw.get("ethnicity"))
        row.age = raw.get("age")
        if isinstance(raw.get("info"), dict):
            row.info = raw["info"]
        first, last = raw.get("firstname"), raw.get("lastname")
        if self.is_admin(project_pk) and (first or last):
            row.set_names(first, last, store_plaintext=True)
        else:  # no names; the server sends their hashes to admins only
            row.firstname = row.lastname = None
            withheld = NAMES_WITHHELD if raw.get("names_hidden") else None
            row.firstname_hash = raw.get("firstname_hash") or withheld or row.firstname_hash
            row.lastname_hash = raw.get("lastname_hash") or withheld or row.lastname_hash
        self.s.flush()
        return row.pk

    def sessions(self) -> None:
        for x in self.bundle.sessions:
            project_pk = self.pks[ContainerType.PROJECT].get(_sid(x.get("project")) or -1)
            if project_pk is None:
                continue
            row = self._row(ScSession, x) or ScSession(project_pk=project_pk)
            if row.pk is None:
                _synced(row, x)
                self.s.add(row)
            self._timed(row, x)
            row.project_pk = project_pk
            row.subject_pk = self.subject(project_pk, x.get("subject"))
            self.s.flush()
            self.pks[ContainerType.SESSION][int(x["_id"])] = row.pk

    def _timed(self, row: Any, x: Json) -> None:
        _container_fields(row, x)
        row.label = x.get("label")
        row.data_uid = x.get("uid")
        row.timestamp = _ts(x.get("timestamp"))
        row.timezone = x.get("timezone")

    def acquisitions(self) -> None:
        for x in self.bundle.acquisitions:
            session_pk = self.pks[ContainerType.SESSION].get(_sid(x.get("session")) or -1)
            if session_pk is None:
                continue
            row = self._row(Acquisition, x) or Acquisition(session_pk=session_pk)
            if row.pk is None:
                _synced(row, x)
                self.s.add(row)
            self._timed(row, x)
            row.session_pk = session_pk
            self.s.flush()
            self.pks[ContainerType.ACQUISITION][int(x["_id"])] = row.pk

    def collections(self) -> None:
        for x in self.bundle.collections:
            row = self._row(Collection, x) or Collection()
            if row.pk is None:
                _synced(row, x)
                self.s.add(row)
            _container_fields(row, x)
            row.label = x.get("label")
            row.curator_pk = self.user(x.get("curator"))
            self.s.flush()
            self.pks[ContainerType.COLLECTION][int(x["_id"])] = row.pk
        links = self.pks[ContainerType.COLLECTION]
        if links:
            self.s.execute(
                delete(collection_acquisition).where(
                    collection_acquisition.c.collection_pk.in_(list(links.values()))
                )
            )
        acq = self.pks[ContainerType.ACQUISITION]
        pairs = {
            (links[c], acq[a])
            for x in self.bundle.acquisitions
            if (a := _sid(x.get("_id"))) in acq
            for c in (_sid(v) for v in x.get("collections") or [])
            if c in links
        }
        if pairs:
            self.s.execute(
                insert(collection_acquisition),
                [{"collection_pk": c, "acquisition_pk": a} for c, a in sorted(pairs)],
            )

    def analyses(self) -> None:
        for x in self.bundle.analyses:
            parent = x.get("parent") or {}
            try:
                ptype = ContainerType(str(parent.get("type")))
            except ValueError:
                continue
            parent_pk = self.pks[ptype].get(_sid(parent.get("id")) or -1)
            if parent_pk is None:
                continue
            row = self._row(Analysis, x) or Analysis(container_type=ptype, container_pk=parent_pk)
            if row.pk is None:
                _synced(row, x)
                self.s.add(row)
            _container_fields(row, x)
            row.container_type, row.container_pk = ptype, parent_pk
            row.label, row.description = x.get("label"), x.get("description")
            row.version, row.timestamp = x.get("version"), _ts(x.get("timestamp"))
            row.user_pk = self.user(x.get("user"))
            self.s.flush()
            self.pks[ContainerType.ANALYSIS][int(x["_id"])] = row.pk

    def notes_and_files(self) -> None:
        busy = set(
            self.s.scalars(
                select(CommandLog.entity_pk).where(
                    CommandLog.entity_type == "note", CommandLog.state.in_(UNFINISHED)
                )
            )
        )
        seen_notes: set[int] = set()
        seen_files: set[int] = set()
        for ctype, key in (
            (ContainerType.PROJECT, "projects"),
            (ContainerType.SESSION, "sessions"),
            (ContainerType.ACQUISITION, "acquisitions"),
            (ContainerType.ANALYSIS, "analyses"),
            (ContainerType.COLLECTION, "collections"),
        ):
            for x in getattr(self.bundle, key):
                pk = self.pks[ctype].get(_sid(x.get("_id")) or -1)
                if pk is None:
                    continue
                for n in x.get("notes") or []:
                    seen_notes.add(self._note(ctype, pk, n, busy))
                for f in x.get("files") or []:
                    seen_files.add(self._file(ctype, pk, f))
        gone = select(Note.pk).where(Note.server_id.is_not(None), Note.pk.not_in(seen_notes))
        self.s.execute(delete(Note).where(Note.pk.in_(gone), Note.pk.not_in(busy)))
        self.s.execute(
            delete(ContainerFile).where(
                ContainerFile.server_id.is_not(None), ContainerFile.pk.not_in(seen_files)
            )
        )

    def _note(self, ctype: ContainerType, pk: int, n: Json, busy: set[int]) -> int:
        row = self._row(Note, n)
        if row is None:
            row = Note(container_type=ctype, container_pk=pk)
            _synced(row, n)
            self.s.add(row)
        if row.pk not in busy:  # my unsent edit wins until it is pushed
            row.text = str(n.get("text") or "")
            row.user_pk = self.user(n.get("user"))
            row.container_type, row.container_pk = ctype, pk
        self.s.flush()
        return row.pk

    def _file(self, ctype: ContainerType, pk: int, f: Json) -> int:
        row = self._row(ContainerFile, f)
        if row is None:
            row = ContainerFile(container_type=ctype, container_pk=pk, name=str(f["name"]))
            _synced(row, f)
            self.s.add(row)
        origin = f.get("origin") or {}
        row.container_type, row.container_pk, row.name = ctype, pk, str(f.get("name"))
        row.type, row.size, row.hash = f.get("type"), f.get("size"), f.get("hash")
        row.modality = f.get("modality")
        row.measurements = [str(m) for m in f.get("measurements") or []]
        row.tags = [str(t) for t in f.get("tags") or []]
        if isinstance(f.get("info"), dict):
            row.info = f["info"]
        try:
            row.origin_type = FileOriginType(origin["type"]) if origin.get("type") else None
        except ValueError:
            row.origin_type = None
        row.origin_id, row.origin_name = origin.get("id"), origin.get("name")
        row.origin_method = origin.get("method")
        image_sid = _sid(f.get("abstractimage"))
        row.abstract_image_pk = (
            None
            if image_sid is None
            else self.s.scalar(select(AbstractImage.pk).where(AbstractImage.server_id == image_sid))
        )
        self.s.flush()
        return row.pk

    def forget_unlisted(self) -> None:
        """Containers the server no longer lists (deleted, or access withdrawn)."""
        for ctype in (
            ContainerType.ANALYSIS,
            ContainerType.ACQUISITION,
            ContainerType.SESSION,
            ContainerType.COLLECTION,
        ):
            cls = _MODELS[ctype]
            keep = list(self.pks[ctype].values())
            self.s.execute(
                delete(cls).where(cls.server_id.is_not(None), cls.pk.not_in(keep or [-1]))
            )


def apply_tree(store: Store, bundle: TreeBundle) -> int:
    """Upsert the bundle in one transaction; returns the number of containers."""
    with store.unit_of_work(undoable=False) as uow:
        a = _Applier(uow.session, bundle)
        groups = a.groups()
        a.projects(groups)
        a.sessions()
        a.acquisitions()
        a.collections()
        a.analyses()
        a.notes_and_files()
        a.forget_unlisted()
        return len(groups) + sum(len(v) for v in a.pks.values())
