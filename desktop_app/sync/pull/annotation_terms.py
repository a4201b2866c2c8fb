"""Pull: the term links of pulled annotations, merged with the cache's own.

Term links are a set per (term, user) on each annotation: the server's set replaces the
cache's, except links whose own op is not delivered yet (their local intent wins until
the push settles them).  Reviewed annotations carry a plain term list instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from desktop_app.model.annotation import AnnotationKind, AnnotationTerm, ReviewedAnnotationTerm
from desktop_app.model.base import SyncState, new_uid
from desktop_app.model.sync import CommandLog, OpState
from desktop_app.protocol.cytomine.answers_annotation import AnnotationJson
from desktop_app.store.annotations import sqlite_cursor
from desktop_app.sync.local import UNFINISHED, dumps

_INSERT_LINK = (
    "INSERT INTO annotation_term (uid, annotation_pk, term_pk, user_pk, created, dirty_fields, "
    "local_deleted, sync_state, base_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def kind_of(obj: Mapping[str, Any]) -> AnnotationKind:
    """A server row's kind, from its class name: reviewed rows keep a plain term list."""
    cls = str(obj.get("class") or "")
    if "Reviewed" in cls:
        return AnnotationKind.REVIEWED
    if "Algo" in cls:
        return AnnotationKind.ALGO
    return AnnotationKind.USER


def chunks(items: list[Any], n: int = 900) -> Iterable[list[Any]]:
    """Slices of at most ``n``: SQLite caps the parameters of one ``IN (...)``."""
    for i in range(0, len(items), n):
        yield items[i : i + n]


def merge_terms(
    s: Session,
    touched: dict[int, AnnotationJson],
    terms: dict[int, int],
    users: dict[int, int],
    created: str,
) -> None:
    """Make each touched annotation's links equal the server's, except links with pending ops.

    Term links are a set per (term, user): adds and removes from several devices merge
    (sync-design 5.7); a link whose own op is not delivered yet keeps the local intent.
    """
    if not touched:
        return
    busy_links = set(  # parked ops too: a refused link stays visible, never dropped here
        s.scalars(
            select(CommandLog.entity_pk).where(
                CommandLog.entity_type == "annotation_term",
                CommandLog.state.in_((*UNFINISHED, OpState.CONFLICT, OpState.FAILED)),
            )
        )
    )
    existing = _links_of(s, list(touched))
    links = _LinkChanges()
    reviewed_terms: list[tuple[int, list[int]]] = []
    for pk, r in touched.items():
        if kind_of(r) is AnnotationKind.REVIEWED:
            reviewed_terms.append((pk, [terms[t] for t in r.get("term") or [] if t in terms]))
            continue
        want = _wanted_links(r, terms, users)
        have = links.reconcile(existing.get(pk, []), want, busy_links)
        for t, u in want - have:
            links.add.append(
                (new_uid(), pk, t, u, created, "[]", 0, SyncState.SYNCED.value, dumps({"t": t}))
            )
    links.write(s)
    for pk, wanted in reviewed_terms:
        s.execute(
            delete(ReviewedAnnotationTerm).where(
                ReviewedAnnotationTerm.reviewed_annotation_pk == pk
            )
        )
        for t in dict.fromkeys(wanted):
            s.add(ReviewedAnnotationTerm(reviewed_annotation_pk=pk, term_pk=t))


def _links_of(s: Session, pks: list[int]) -> dict[int, list[Any]]:
    """annotation pk -> its link rows (pk, annotation, term, user, deleted, base)."""
    existing: dict[int, list[Any]] = {}
    for part in chunks(pks):
        for link in s.execute(
            select(
                AnnotationTerm.pk,
                AnnotationTerm.annotation_pk,
                AnnotationTerm.term_pk,
                AnnotationTerm.user_pk,
                AnnotationTerm.local_deleted,
                AnnotationTerm.base_json,
            ).where(AnnotationTerm.annotation_pk.in_(part))
        ):
            existing.setdefault(link[1], []).append(link)
    return existing


def _wanted_links(
    r: AnnotationJson, terms: dict[int, int], users: dict[int, int]
) -> set[tuple[int, int]]:
    """The (term, user) links of a server row, in local pks (unknown ones left out)."""
    want: set[tuple[int, int]] = set()
    for entry in r.get("userByTerm") or []:
        t = terms.get(entry["term"])
        for u in entry["user"]:
            if t is not None and u in users:
                want.add((t, users[u]))
    return want


@dataclass
class _LinkChanges:
    """Link rows to delete, to mark synced again, and to insert."""

    drop: list[int] = field(default_factory=list)
    mark: list[dict[str, Any]] = field(default_factory=list)
    add: list[tuple[Any, ...]] = field(default_factory=list)

    def reconcile(
        self, rows: list[Any], want: set[tuple[int, int]], busy: set[int]
    ) -> set[tuple[int, int]]:
        """Keep or drop an annotation's links against ``want``; returns the links it has."""
        have: set[tuple[int, int]] = set()
        for link_pk, _a, t, u, gone, base in rows:
            have.add((t, u))
            if link_pk in busy:
                continue
            if (t, u) not in want:
                self.drop.append(link_pk)
            elif gone or base is None:
                self.mark.append(
                    {
                        "pk": link_pk,
                        "local_deleted": False,
                        "base_json": dumps({"t": t}),
                        "sync_state": SyncState.SYNCED,
                        "dirty_fields": [],
                    }
                )
        return have

    def write(self, s: Session) -> None:
        for part in chunks(self.drop):
            s.execute(delete(AnnotationTerm).where(AnnotationTerm.pk.in_(part)))
        if self.mark:
            s.execute(update(AnnotationTerm), self.mark)
        if self.add:
            cursor = sqlite_cursor(s)
            cursor.executemany(_INSERT_LINK, self.add)
            cursor.close()
