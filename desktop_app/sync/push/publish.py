"""Local-only projects (made in the cache: "Local slides", the demo, an import) put on the server.

``publish_project`` creates, in this order and each with the row's client uid (so a
re-run after a lost answer gets the same server rows back, server §5.1): the ontology
(unless it is already on the server), every term of it without a server id, the parent
relations, then the project with that ontology.  All answers are fetched first; the
server ids go onto the local rows in ONE transaction at the end, which also settles the
create ops of those rows in the outbox (``acked_log`` like any push).  After that the
project is an ordinary synced project: the engine uploads its slides and pushes its
annotations in the same run.

A name taken on the server (409 "already exists") is retried as ``name (user)``, then
``name (user 2)``... (one user may publish "Local slides" from several data dirs).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from desktop_app.model.base import SyncState
from desktop_app.model.ontology import Ontology, RelationTerm, Term
from desktop_app.model.project import Project
from desktop_app.model.sync import AckedLog, CommandLog, OpState
from desktop_app.protocol.cytomine.answers_command import COMMANDS
from desktop_app.store.uow import Store
from desktop_app.sync.local import UNFINISHED, dumps, version_of
from desktop_app.sync.transport.http import ClientError, CytomineClient, parse_as

LOCAL_PREFIX = "local:"
NAME_ATTEMPTS = 8


class ProjectRefError(ValueError):
    """A ``--project`` reference that names no project of the cache."""


def resolve_refs(store: Store, refs: list[str]) -> tuple[list[int], list[int]]:
    """``--project`` values → (server ids, local-only project pks).

    A value is a server id (``42``), ``local:<pk>`` (a project of the cache) or a
    project name.  A local reference to a project that already has a server id is
    returned as that server id.
    """
    server: list[int] = []
    local: list[int] = []
    with store.read() as s:
        for ref in refs:
            ref = str(ref).strip()
            row: Project | None = None
            if ref.isdigit():
                server.append(int(ref))
                continue
            if ref.startswith(LOCAL_PREFIX) and ref[len(LOCAL_PREFIX) :].isdigit():
                row = s.get(Project, int(ref[len(LOCAL_PREFIX) :]))
            else:
                rows = list(s.scalars(select(Project).where(Project.name == ref)))
                if len(rows) > 1:
                    raise ProjectRefError(f"several projects are named {ref!r}; use local:<pk>")
                row = rows[0] if rows else None
            if row is None:
                raise ProjectRefError(f"no project {ref!r} in the cache")
            if row.server_id is not None:
                server.append(int(row.server_id))
            else:
                local.append(int(row.pk))
    return server, local


def local_project_pks(store: Store) -> list[int]:
    """Every project of the cache that the server does not have yet."""
    with store.read() as s:
        return [
            int(pk)
            for pk in s.scalars(
                select(Project.pk).where(
                    Project.server_id.is_(None), Project.local_deleted.is_(False)
                )
            )
        ]


def _create(client: CytomineClient, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    """The object created, read from its command envelope (``protocol/cytomine/
    answers_command.py``: a missing ``key`` or field is a MalformedResponse naming it)."""
    envelope = parse_as(COMMANDS[key], client.post(path, body), f"{key} command")
    return dict(envelope[key])


def _create_named(
    client: CytomineClient, path: str, key: str, body: dict[str, Any], who: str
) -> dict[str, Any]:
    names = [body["name"], f"{body['name']} ({who})"]
    names += [f"{body['name']} ({who} {n})" for n in range(2, NAME_ATTEMPTS)]
    for name in names[:-1]:
        try:
            return _create(client, path, key, {**body, "name": name})
        except ClientError as exc:
            if exc.status != 409:
                raise
    return _create(client, path, key, {**body, "name": names[-1]})


def publish_ontology(store: Store, client: CytomineClient, ontology_pk: int) -> int:
    """Create the ontology (if needed), its missing terms and parent relations; returns its id."""
    with store.read() as s:
        onto = s.get(Ontology, ontology_pk)
        assert onto is not None
        o_sid, o_name, o_uid = onto.server_id, onto.name, onto.uid
        terms = [
            (t.pk, t.uid, t.name, t.color, t.server_id)
            for t in s.scalars(
                select(Term).where(Term.ontology_pk == ontology_pk, Term.local_deleted.is_(False))
            )
        ]
        term_pks = [t[0] for t in terms]
        rels = [
            (r.pk, r.uid, r.term1_pk, r.term2_pk)
            for r in s.scalars(
                select(RelationTerm).where(
                    RelationTerm.term1_pk.in_(term_pks),
                    RelationTerm.server_id.is_(None),
                    RelationTerm.local_deleted.is_(False),
                )
            )
        ]
    who = client.username or f"user {client.user_id}"
    made: list[tuple[type, int, dict[str, Any]]] = []
    if o_sid is None:
        obj = _create_named(
            client, "/api/ontology.json", "ontology", {"name": o_name, "uid": o_uid}, who
        )
        o_sid = int(obj["id"])
        made.append((Ontology, ontology_pk, obj))
    sids: dict[int, int] = {}
    for pk, uid, name, color, sid in terms:
        if sid is None:
            body = {"name": name, "color": color, "ontology": o_sid, "uid": uid}
            obj = _create(client, "/api/term.json", "term", body)
            sid = int(obj["id"])
            made.append((Term, pk, obj))
        sids[pk] = int(sid)
    for pk, uid, t1, t2 in rels:
        if t1 in sids and t2 in sids:
            body = {"term1": sids[t1], "term2": sids[t2], "uid": uid}
            obj = _create(client, "/api/relation/parent/term.json", "relationterm", body)
            made.append((RelationTerm, pk, obj))
    _store(store, made)
    return o_sid


def publish_project(store: Store, client: CytomineClient, project_pk: int) -> int:
    """Create a local-only project (and its ontology) on the server; returns its server id."""
    with store.read() as s:
        p = s.get(Project, project_pk)
        if p is None:
            raise ProjectRefError(f"no project local:{project_pk} in the cache")
        if p.server_id is not None:
            return int(p.server_id)
        name, uid, onto_pk = p.name, p.uid, p.ontology_pk
    onto_sid = publish_ontology(store, client, onto_pk) if onto_pk is not None else None
    body: dict[str, Any] = {"name": name, "uid": uid}
    if onto_sid is not None:
        body["ontology"] = onto_sid
    who = client.username or f"user {client.user_id}"
    obj = _create_named(client, "/api/project.json", "project", body, who)
    _store(store, [(Project, project_pk, obj)])
    return int(obj["id"])


def _store(store: Store, made: list[tuple[type, int, dict[str, Any]]]) -> None:
    """Server ids onto the rows and their create ops settled, in one transaction."""
    if not made:
        return
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        for cls, pk, obj in made:
            row = s.get(cls, pk)
            if row is None:
                continue
            row.server_id, row.server_updated = int(obj["id"]), version_of(obj)
            row.base_json, row.sync_state = dumps(obj), SyncState.SYNCED
            if hasattr(row, "dirty_fields"):
                row.dirty_fields = []
            if cls is Project and isinstance(obj.get("name"), str):
                row.name = obj["name"]
            table = cls.__table__.name
            for op in s.scalars(
                select(CommandLog).where(
                    CommandLog.entity_type == table,
                    CommandLog.entity_pk == pk,
                    CommandLog.state.in_(UNFINISHED),
                )
            ):
                op.state, op.last_error = OpState.DONE, None
                s.add(
                    AckedLog(
                        op_uid=op.op_uid, server_id=row.server_id, server_updated=row.server_updated
                    )
                )


__all__ = [
    "LOCAL_PREFIX",
    "ProjectRefError",
    "local_project_pks",
    "publish_ontology",
    "publish_project",
    "resolve_refs",
]
