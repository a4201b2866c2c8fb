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

from typing import Any

from sqlalchemy import delete, insert, select

from desktop_app.model.base import SyncState
from desktop_app.model.project import Project, ProjectMember
from desktop_app.model.scitran import (
    Analysis,
    Collection,
    ContainerType,
    Ethnicity,
    Group,
    Race,
    Sex,
    Subject,
    collection_acquisition,
)
from desktop_app.model.scitran import Session as ScSession
from desktop_app.model.security import Access
from desktop_app.store.uow import Store
from desktop_app.sync.pull.scitran_attach import apply_notes_and_files
from desktop_app.sync.pull.scitran_bundle import (
    MODELS,
    ApplyBase,
    Json,
    TreeBundle,
    container_fields,
    enum_of,
    sid,
    synced,
    ts,
)

__all__ = ["NAMES_WITHHELD", "TreeBundle", "apply_tree"]


#: Stored in a subject's hash columns when the server says it has names this user may
#: not see (it no longer sends their hashes to non-admins): the cache then shows
#: "names hidden" without holding anything derived from the names.
NAMES_WITHHELD = "withheld"


class _Applier(ApplyBase):
    """One pull's container upserts, parents before children."""

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
            row = self.row(Project, p)
            if row is None:  # not checked out (a sync limited to other projects): skipped
                continue
            container_fields(row, p)
            row.group_pk = groups.get(str(p.get("group")))
            row.description = p.get("description")
            self.s.flush()
            self.pks[ContainerType.PROJECT][int(p["_id"])] = row.pk
            self._role(row.pk, p)

    def _role(self, project_pk: int, p: Json) -> None:
        """My own permission entry (every answer carries it) as my membership."""
        if self.me is None or self.bundle.me_login is None:
            return
        login = self.bundle.me_login
        mine = [x for x in p.get("permissions") or [] if x.get("_id") == login]
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
        row = self.row(Subject, raw)
        if row is None:
            row = Subject(project_pk=project_pk)
            synced(row, raw)
            self.s.add(row)
        row.project_pk, row.code = project_pk, raw.get("code")
        row.sex = enum_of(Sex, raw.get("sex"))
        row.race = enum_of(Race, raw.get("race"))
        row.ethnicity = enum_of(Ethnicity, raw.get("ethnicity"))
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

    def children(self, ctype: ContainerType, items: list[Json], parent: ContainerType) -> None:
        """Upsert sessions or acquisitions (``ctype``) below the applied ``parent``
        containers; those whose parent was not applied are left out."""
        cls, key = MODELS[ctype], parent.value
        for x in items:
            parent_pk = self.pks[parent].get(sid(x.get(key)) or -1)
            if parent_pk is None:
                continue
            row = self.row(cls, x)
            if row is None:
                row = cls(**{f"{key}_pk": parent_pk})
                synced(row, x)
                self.s.add(row)
            container_fields(row, x)
            row.label = x.get("label")
            row.data_uid = x.get("uid")
            row.timestamp = ts(x.get("timestamp"))
            row.timezone = x.get("timezone")
            setattr(row, f"{key}_pk", parent_pk)
            if cls is ScSession:
                row.subject_pk = self.subject(parent_pk, x.get("subject"))
            self.s.flush()
            self.pks[ctype][int(x["_id"])] = row.pk

    def collections(self) -> None:
        for x in self.bundle.collections:
            row = self.row(Collection, x) or Collection()
            if row.pk is None:
                synced(row, x)
                self.s.add(row)
            container_fields(row, x)
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
            if (a := sid(x.get("_id"))) in acq
            for c in (sid(v) for v in x.get("collections") or [])
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
            parent_pk = self.pks[ptype].get(sid(parent.get("id")) or -1)
            if parent_pk is None:
                continue
            row = self.row(Analysis, x) or Analysis(container_type=ptype, container_pk=parent_pk)
            if row.pk is None:
                synced(row, x)
                self.s.add(row)
            container_fields(row, x)
            row.container_type, row.container_pk = ptype, parent_pk
            row.label, row.description = x.get("label"), x.get("description")
            row.version, row.timestamp = x.get("version"), ts(x.get("timestamp"))
            row.user_pk = self.user(x.get("user"))
            self.s.flush()
            self.pks[ContainerType.ANALYSIS][int(x["_id"])] = row.pk

    def forget_unlisted(self) -> None:
        """Containers the server no longer lists (deleted, or access withdrawn)."""
        for ctype in (
            ContainerType.ANALYSIS,
            ContainerType.ACQUISITION,
            ContainerType.SESSION,
            ContainerType.COLLECTION,
        ):
            cls = MODELS[ctype]
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
        a.children(ContainerType.SESSION, bundle.sessions, ContainerType.PROJECT)
        a.children(ContainerType.ACQUISITION, bundle.acquisitions, ContainerType.SESSION)
        a.collections()
        a.analyses()
        apply_notes_and_files(a)
        a.forget_unlisted()
        return len(groups) + sum(len(v) for v in a.pks.values())
