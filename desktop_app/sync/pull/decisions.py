"""Pull of a project's review study state: blind mode, reason codes, readers' decisions.

Decisions are few next to annotations (one per reader and annotation), so each sync
reads the whole visible list (``GET /api/project/{id}/reviewdecision.json``,
docs/api.md 5.4c) and makes the cache equal to it in one transaction: new rows are
added, rows the server no longer has — or no longer shows this user, once the project
is blinded — are removed.  Rows with unfinished local ops are left alone: the push
settles them.  Term and annotation ids are translated to local keys here; a decision
on an annotation the cache does not hold (not pulled yet) waits for the next sync.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from desktop_app.model.annotation import Annotation
from desktop_app.model.base import SyncState
from desktop_app.model.ontology import Term
from desktop_app.model.project import Project
from desktop_app.model.review import DecisionRole, ReviewDecision, Verdict
from desktop_app.model.sync import CommandLog
from desktop_app.protocol.review import DecisionList, ReasonList
from desktop_app.store.uow import Store
from desktop_app.sync.local import UNFINISHED, user_pk_for
from desktop_app.sync.transport.http import CytomineClient, parse_answer

ENTITY = "review_decision"


def pull_decisions(store: Store, client: CytomineClient, project_pk: int, project_sid: int) -> int:
    """Bring the project's study state into the cache; returns decisions added or removed."""
    project = client.get(f"/api/project/{project_sid}.json")
    reasons = parse_answer(
        ReasonList, client.get(f"/api/project/{project_sid}/reviewreason.json"), "reason list"
    )
    listing = parse_answer(
        DecisionList,
        client.get(f"/api/project/{project_sid}/reviewdecision.json"),
        "decision list",
    )
    rows = [d.model_dump(by_alias=True) for d in listing.collection]
    with store.unit_of_work(undoable=False) as uow:
        s = uow.session
        p = s.get(Project, project_pk)
        if p is None:
            return 0
        p.blind_mode = bool(project.get("blindMode", False)) if isinstance(project, dict) else False
        stored = [r.model_dump() for r in reasons.collection]
        p.review_reasons = None if reasons.default else stored
        return _apply(s, project_pk, rows)


def _apply(s: Any, project_pk: int, rows: list[dict[str, Any]]) -> int:
    busy = set(
        s.scalars(
            select(CommandLog.entity_pk).where(
                CommandLog.entity_type == ENTITY, CommandLog.state.in_(UNFINISHED)
            )
        )
    )
    local = {
        (d.server_id if d.server_id is not None else f"uid:{d.uid}"): d
        for d in s.scalars(select(ReviewDecision).where(ReviewDecision.project_pk == project_pk))
    }
    by_uid = {d.uid: d for d in local.values()}
    ann_sids = {int(r["annotation"]) for r in rows}
    anns = dict(
        s.execute(
            select(Annotation.server_id, Annotation.pk).where(
                Annotation.server_id.in_(ann_sids or {-1})
            )
        ).all()
    )
    term_sids = {int(t) for r in rows for t in r.get("terms") or []}
    terms = dict(
        s.execute(
            select(Term.server_id, Term.pk).where(Term.server_id.in_(term_sids or {-1}))
        ).all()
    )
    changed, seen = 0, set()
    for r in rows:
        sid = int(r["id"])
        seen.add(sid)
        row = local.get(sid) or by_uid.get(str(r.get("uid")))
        if row is not None:
            if row.pk not in busy and row.server_id is None:
                row.server_id, row.sync_state = sid, SyncState.SYNCED
            continue
        ann_pk = anns.get(int(r["annotation"]))
        if ann_pk is None or any(int(t) not in terms for t in r.get("terms") or []):
            continue  # its annotation (or term) is not in the cache yet: next sync
        ann = s.get(Annotation, ann_pk)
        decided = r.get("decidedAt")
        s.add(
            ReviewDecision(
                uid=str(r.get("uid")),
                server_id=sid,
                sync_state=SyncState.SYNCED,
                annotation_pk=ann_pk,
                project_pk=project_pk,
                image_pk=ann.image_pk,
                reviewer_pk=user_pk_for(s, int(r["reviewer"]), r.get("reviewerName")),
                role=DecisionRole(r.get("role", "reader")),
                decision=Verdict(r["decision"]),
                reason=r.get("reason"),
                comment=r.get("comment"),
                term_pks=sorted(terms[int(t)] for t in r.get("terms") or []),
                decided_at=(
                    datetime.fromtimestamp(int(decided) / 1000, UTC)
                    if decided is not None
                    else datetime.now(UTC)
                ),
            )
        )
        changed += 1
    for row in local.values():
        if row.server_id is not None and row.server_id not in seen and row.pk not in busy:
            s.delete(row)  # gone on the server, or hidden from this reader (blinded)
            changed += 1
    return changed


__all__ = ["pull_decisions"]
