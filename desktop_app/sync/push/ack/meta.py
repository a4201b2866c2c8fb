"""Answers about properties, descriptions, attached files, terms and parent links.

The server's row becomes the local base; deletes remove the local row unless newer
local ops still need it (then it becomes a new, unsent entity).  Conflicts follow
sync-design 5.7: a description changed on both sides keeps the server's text in the
row and mine in a ``description`` conflict; a term edited on both sides is rebased
(per-field last writer wins); a refused term delete (still used) is a sync issue.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import delete
from sqlalchemy.orm import Session

from desktop_app.model.attachment import AttachedFile, Description, Property
from desktop_app.model.base import SyncState, new_uid
from desktop_app.model.ontology import Ontology, RelationTerm, Term
from desktop_app.model.sync import OpState
from desktop_app.protocol.cytomine.answers_meta import ATTACHED_FILE, DESCRIPTION, PROPERTY
from desktop_app.protocol.cytomine.answers_project import ONTOLOGY, TERM
from desktop_app.store import attached_files as files
from desktop_app.sync.conflicts import records as conflicts
from desktop_app.sync.conflicts.kinds import ConflictKind
from desktop_app.sync.local import dumps, loads, version_of
from desktop_app.sync.push.ack.common import back_to_pending, done, failed, later_ops
from desktop_app.sync.push.units import PushStats, Unit
from desktop_app.sync.transport.http import parse_as

_MODELS: dict[str, Any] = {
    "property": Property,
    "description": Description,
    "attached_file": AttachedFile,
    "term": Term,
    "ontology": Ontology,
    "relation_term": RelationTerm,
}
_ENVELOPE = {"attached_file": "attachedfile", "relation_term": "relationterm"}
#: The answers parsed through their ``desktop_app.protocol`` schema (a relation is
#: only acknowledged).
_SCHEMAS: dict[str, TypeAdapter[Any]] = {
    "term": TERM,
    "ontology": ONTOLOGY,
    "property": PROPERTY,
    "description": DESCRIPTION,
    "attached_file": ATTACHED_FILE,
}


def _adopt(s: Session, row: Any, obj: dict[str, Any], later: bool) -> None:
    row.server_id, row.server_updated = int(obj["id"]), version_of(obj)
    row.base_json = dumps(obj)
    row.sync_state = SyncState.PENDING if later else SyncState.SYNCED
    if not later:
        row.dirty_fields = []


def _gone(s: Session, u: Unit, row: Any, later: bool) -> None:
    """Acknowledged delete: purge, or start over as a new entity if edited since."""
    done(s, u, row.server_id, None)
    if later:
        row.server_id, row.server_updated, row.base_json, row.uid = None, None, None, new_uid()
        return
    if isinstance(row, AttachedFile):
        files.forget_bytes(s, row.pk)
    s.execute(delete(type(row)).where(type(row).pk == row.pk))


def meta_answer(s: Session, u: Unit, status: int, body: dict[str, Any], stats: PushStats) -> None:
    cls = _MODELS[u.entity_type]
    row = s.get(cls, u.entity_pk)
    if row is None:
        done(s, u, None, None)
        return
    later = bool(later_ops(s, u))
    deleting = u.action in ("prop_delete", "attach_delete", "term_delete", "relation_delete")
    if deleting and status in (200, 404):
        _gone(s, u, row, later or not row.local_deleted)
        stats.pushed += 1
        return
    if u.action == "relation_create" and status in (200, 409):  # 409: the link exists
        row.sync_state = SyncState.PENDING if later else SyncState.SYNCED
        done(s, u, None, None)
        stats.pushed += 1
        return
    key = _ENVELOPE.get(u.entity_type, u.entity_type)
    obj = body.get(key)
    if isinstance(obj, dict) and u.entity_type in _SCHEMAS:
        obj = parse_as(_SCHEMAS[u.entity_type], obj, key)
    if status == 200 and isinstance(obj, dict) and "id" in obj:
        _adopt(s, row, obj, later)
        for op in later_ops(s, u):  # our own write is the base the later edits build on
            op.base_server_updated, op.base_json = row.server_updated, row.base_json
        done(s, u, row.server_id, row.server_updated)
        stats.pushed += 1
        return
    if status == 404 and u.action in ("prop_update", "describe"):  # deleted there: recreate
        row.server_id, row.server_updated, row.base_json, row.uid = None, None, None, new_uid()
        back_to_pending(u, "deleted on the server: created again")
        return
    if status == 409 and isinstance(obj, dict) and u.action == "describe":
        _description_conflict(s, u, row, obj, stats)
        return
    if status == 409 and isinstance(obj, dict) and u.action == "term_update":
        _term_rebase(s, u, row, obj, stats)
        return
    if status == 409 and isinstance(obj, dict) and u.action == "ontology_update":
        _ontology_rebase(s, u, row, obj, stats)
        return
    failed(s, u, None, status, body, stats)


def _description_conflict(
    s: Session, u: Unit, row: Description, theirs: dict[str, Any], stats: PushStats
) -> None:
    """409: our own earlier send had landed (acknowledged), or both sides changed the
    text: the server's stays in the row, mine (the latest local text) in the record."""
    later = later_ops(s, u)
    if str(theirs.get("data") or "") == (u.request.get("data") or {}).get("data"):
        _adopt(s, row, theirs, bool(later))
        for op in later:
            op.base_server_updated, op.base_json = row.server_updated, row.base_json
        done(s, u, row.server_id, row.server_updated)
        stats.pushed += 1
        return
    mine = row.data
    base = loads(u.ops[0].base_json or row.base_json).get("data")
    _adopt(s, row, theirs, False)
    row.data = str(theirs.get("data") or "")
    if mine == row.data:  # the same edit on both sides
        done(s, u, row.server_id, row.server_updated)
        for op in later:
            op.state, op.last_error = OpState.DONE, "same text on the server"
        stats.pushed += 1
        return
    row.sync_state = SyncState.CONFLICT
    conflicts.record(
        s,
        ConflictKind.DESCRIPTION,
        "description",
        row.pk,
        u.ops + later,
        base={"data": base},
        mine={"data": mine},
        theirs={"data": row.data, "updated": row.server_updated},
        message="the description was changed on the server too (theirs is shown)",
    )
    stats.conflicts += 1


def _term_rebase(s: Session, u: Unit, term: Term, cur: dict[str, Any], stats: PushStats) -> None:
    """Stale term edit: take the server's fields I did not change, keep mine, send again."""
    mine = set(term.dirty_fields or [])
    for field in ("name", "color", "comment"):
        if field not in mine and field in cur:
            setattr(term, field, cur[field])
    if all(cur.get(f) == getattr(term, f) for f in mine & {"name", "color", "comment"}):
        _adopt(s, term, cur, False)  # the server already says what I meant
        done(s, u, term.server_id, term.server_updated)
        stats.pushed += 1
        return
    term.server_updated, term.base_json = version_of(cur), dumps(cur)
    for op in u.ops:
        op.base_server_updated, op.base_json = term.server_updated, term.base_json
    back_to_pending(u, "changed on the server meanwhile: rebased (per-field last writer wins)")


def _ontology_rebase(
    s: Session, u: Unit, onto: Ontology, cur: dict[str, Any], stats: PushStats
) -> None:
    """Renamed on the server meanwhile: its name is the only field, so mine is sent
    again against the current version (last writer wins), unless it already is mine."""
    if cur.get("name") == onto.name:
        _adopt(s, onto, cur, False)
        done(s, u, onto.server_id, onto.server_updated)
        stats.pushed += 1
        return
    onto.server_updated, onto.base_json = version_of(cur), dumps(cur)
    for op in u.ops:
        op.base_server_updated, op.base_json = onto.server_updated, onto.base_json
    back_to_pending(u, "renamed on the server meanwhile: sent again (last writer wins)")
