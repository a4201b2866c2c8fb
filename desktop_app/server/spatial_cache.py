"""Per-app in-memory bbox index of an image's annotations, kept exact by the change feed.

Why: a viewer's viewport query (``GET /api/annotation.json?image=&bbox=&max=50``) is
half of a pathologist's requests.  Answering it in SQL means testing every R*Tree (or
b-tree) candidate for image and kind, one b-tree probe each: ~8 ms of SQLite for the
~8k candidates of a 1000 x 800 viewport on a 100k-annotation image (the R*Tree scan
alone is 0.25 ms; the tree holds every image's boxes, so it cannot filter by image),
and more on PostgreSQL.  Here each (image, kind) is held as numpy columns (pk, bbox,
"connected geometry" flag; ~41 bytes a row), so filtering, counting and paging a
viewport is a few vectorised comparisons.

Exactness, as ``counts.py`` does for project counts: every annotation write appends a
feed row in its own transaction (docs/api.md 5.3), so an entry remembers the feed
``seq`` it reflects and each use first reads the feed rows after it *joined with the
current annotation row* (one statement, one snapshot): the row is re-read, upserted
or dropped, whatever the action was.  Any other deletion in the project (an image, a
slice, the project: cascades without per-annotation rows), a backlog over
``MAX_REPLAY`` rows or an entry older than ``MAX_AGE_S`` reloads the entry.  A
concurrent request may see the entry a few commits *newer* than its own snapshot,
which PostgreSQL's read committed allows between two statements anyway.

Rights are not cached here: the caller's access is checked per request before this
module is asked anything, and the index holds no user-dependent data.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import and_, bindparam, func, select

from desktop_app.core.lru import ByteLRU
from desktop_app.model.annotation import Annotation, AnnotationKind
from desktop_app.model.sync import ChangeFeed

#: Reload an entry at least this often (self-heals a write path that forgot its feed row).
MAX_AGE_S = 30.0
#: More feed rows than this since an entry's ``seq``: reload instead of replaying.
MAX_REPLAY = 500
#: Rows held per worker, all entries together (~41 bytes each).
MAX_ROWS = 2_000_000
#: Rows of one entry; an image with more is answered in SQL.
MAX_ENTRY_ROWS = 1_000_000
#: Updates kept beside the arrays before they are folded in (one sort).
MAX_PENDING = 512
#: Geometry types whose point set is connected (see ``_classify``).
CONNECTED = ("Polygon", "LineString", "Point", "LinearRing")
#: Feed entities whose rows are annotations (joined on ``entity_pk``).
ANNOTATION_ENTITIES = ("annotation", "reviewedannotation")
#: Deletions that never remove an annotation row; any other deletion reloads.
_HARMLESS_DELETES = frozenset(
    {*ANNOTATION_ENTITIES, "annotationterm", "property", "description", "attachedfile"}
)

_t = Annotation.__table__.c


@dataclass
class _Entry:
    """One (image, kind): arrays sorted by pk, plus pending upserts not yet folded in."""

    seq: int
    loaded: float
    pks: np.ndarray  # int64, ascending
    box: np.ndarray  # (4, n) float64: rows min_x, min_y, max_x, max_y (y down)
    connected: np.ndarray  # bool
    alive: np.ndarray  # bool: False once a row was removed or moved to ``pending``
    pending: dict[int, tuple[float, float, float, float, bool]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    reloading: bool = False

    @property
    def rows(self) -> int:
        return len(self.pks) + len(self.pending)

    def _index(self, pk: int) -> int | None:
        i = int(np.searchsorted(self.pks, pk))
        return i if i < len(self.pks) and int(self.pks[i]) == pk else None

    def upsert(self, pk: int, row: tuple[float, float, float, float, bool]) -> None:
        i = self._index(pk)
        if i is not None and self.alive[i]:
            if tuple(self.box[:, i].tolist()) == row[:4] and bool(self.connected[i]) == row[4]:
                return  # e.g. a review flag changed: same box
            self.alive[i] = False
        self.pending[pk] = row

    def remove(self, pk: int) -> None:
        i = self._index(pk)
        if i is not None:
            self.alive[i] = False
        self.pending.pop(pk, None)

    def fold(self) -> None:
        """Merge ``pending`` into the arrays and drop removed rows (one sort)."""
        keep = self.alive
        pks = list(self.pending)
        vals = list(self.pending.values())
        all_pks = np.concatenate([self.pks[keep], np.asarray(pks, dtype=np.int64)])
        new_box = np.asarray([v[:4] for v in vals], dtype=np.float64).reshape(-1, 4).T
        box = np.concatenate([self.box[:, keep], new_box], axis=1)
        conn = np.concatenate([self.connected[keep], np.asarray([v[4] for v in vals], bool)])
        order = np.argsort(all_pks, kind="stable")
        self.pks, self.box = all_pks[order], np.ascontiguousarray(box[:, order])
        self.connected = conn[order]
        self.alive = np.ones(len(self.pks), dtype=bool)
        self.pending = {}

    def hits(
        self, bounds: tuple[float, float, float, float], rect: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """(sure hit pks, pks needing an exact test), both ascending, without folding.

        Folding sorts every row (~5-10 ms for 100k): under a viewer's mix, where an
        annotation is saved between most viewport queries, that dominated the server's
        CPU.  The arrays are classified as they are (removed rows masked out), the few
        pending rows on their own, and the two sorted, disjoint results merged.
        """
        over, sure = _classify(self.box, self.connected, bounds, rect)
        if not self.alive.all():
            live = self.alive[over]
            over, sure = over[live], sure[live]
        sure_pks, test_pks = self.pks[over[sure]], self.pks[over[~sure]]
        if not self.pending:
            return sure_pks, test_pks
        ppks = np.fromiter(self.pending, dtype=np.int64, count=len(self.pending))
        vals = np.asarray(list(self.pending.values()), dtype=np.float64).reshape(-1, 5)
        order = np.argsort(ppks)
        ppks, vals = ppks[order], vals[order]
        pover, psure = _classify(np.ascontiguousarray(vals[:, :4].T), vals[:, 4] != 0, bounds, rect)
        return (
            _merge(sure_pks, ppks[pover[psure]]),
            _merge(test_pks, ppks[pover[~psure]]),
        )

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pks ascending, boxes, connected) of the live rows, pending ones included."""
        if not self.pending and self.alive.all():
            return self.pks, self.box, self.connected
        self.fold()
        return self.pks, self.box, self.connected


def _merge(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two ascending, disjoint pk arrays as one (b is the short one: an O(n) copy)."""
    return np.insert(a, np.searchsorted(a, b), b) if len(b) else a


def _load(conn: Any, project_pk: int, image_pk: int, kind: AnnotationKind) -> _Entry | None:
    """The image's rows, or None if there are more than an entry may hold."""
    # The feed position first: rows read afterwards may already include changes after
    # it, which replaying them again later leaves unchanged (upserts of the current row).
    seq = conn.scalar(
        select(func.coalesce(func.max(ChangeFeed.seq), 0)).where(
            ChangeFeed.project_pk == project_pk
        )
    )
    result = conn.execute(
        select(_t.pk, _t.min_x, _t.min_y, _t.max_x, _t.max_y, _t.geometry_type.in_(CONNECTED))
        .where(_t.image_pk == image_pk, _t.kind == kind)
        .order_by(_t.pk)
        .limit(MAX_ENTRY_ROWS + 1)
    )
    # Plain DBAPI tuples (numbers only): building 100k Row objects and converting them
    # cost ~1.4 s of CPU; the raw tuples and one np.array call ~0.1 s.
    rows = result.cursor.fetchall()
    result.close()
    if len(rows) > MAX_ENTRY_ROWS:
        return None
    data = np.array(rows, dtype=np.float64).reshape(-1, 6)
    return _Entry(
        seq=int(seq or 0),
        loaded=time.monotonic(),
        pks=np.array([r[0] for r in rows], dtype=np.int64),
        box=np.ascontiguousarray(data[:, 1:5].T),
        connected=data[:, 5] != 0,
        alive=np.ones(len(rows), dtype=bool),
    )


_a = Annotation.__table__.c
#: Feed rows after a seq, each with the current state of the annotation it names.
_REPLAY = (
    select(
        ChangeFeed.seq,
        ChangeFeed.entity_type,
        ChangeFeed.action,
        ChangeFeed.entity_pk,
        _a.pk,
        _a.image_pk,
        _a.kind,
        _a.min_x,
        _a.min_y,
        _a.max_x,
        _a.max_y,
        _a.geometry_type,
    )
    .outerjoin(
        Annotation.__table__,
        and_(ChangeFeed.entity_type.in_(ANNOTATION_ENTITIES), _a.pk == ChangeFeed.entity_pk),
    )
    .where(ChangeFeed.project_pk == bindparam("project"), ChangeFeed.seq > bindparam("seq"))
    .order_by(ChangeFeed.seq)
    .limit(MAX_REPLAY + 1)
)


def _replay(conn: Any, e: _Entry, project_pk: int, image_pk: int, kind: AnnotationKind) -> bool:
    """Apply the feed rows after ``e.seq``; False if the entry must be reloaded."""
    rows = conn.execute(_REPLAY, {"project": project_pk, "seq": e.seq}).all()
    if len(rows) > MAX_REPLAY:
        return False
    for seq, entity, action, entity_pk, pk, img, k, x0, y0, x1, y1, gtype in rows:
        if entity in ANNOTATION_ENTITIES:
            if pk is not None and img == image_pk and k == kind:
                row = (float(x0), float(y0), float(x1), float(y1), gtype in CONNECTED)
                e.upsert(int(pk), row)
            else:
                e.remove(int(entity_pk))
        elif action == "deleted" and entity not in _HARMLESS_DELETES:
            return False
        e.seq = int(seq)
    if len(e.pending) > MAX_PENDING:
        e.fold()
    return True


def _classify(
    box: np.ndarray, connected: np.ndarray, q: tuple[float, float, float, float], rect: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(overlapping rows, of which sure hits) for query bounds ``q``.

    A row whose bbox lies inside a rectangular query intersects it.  So does a
    connected geometry (a polygon, line or point) whose bbox spans the query along one
    axis and overlaps it along the other: its projection on the other axis is its whole
    extent there, so it has a point inside.  Only the rest (corner crossings,
    multi-part geometries, non-rectangular queries) needs an exact GEOS test.
    """
    qx0, qy0, qx1, qy1 = q
    x0, y0, x1, y1 = box
    over = np.flatnonzero((x1 >= qx0) & (x0 <= qx1) & (y1 >= qy0) & (y0 <= qy1))
    if not rect:
        return over, np.zeros(len(over), dtype=bool)
    b = box[:, over]
    in_x = (b[0] >= qx0) & (b[2] <= qx1)
    in_y = (b[1] >= qy0) & (b[3] <= qy1)
    sure = (in_x & in_y) | (connected[over] & (in_x | in_y))
    return over, sure


def _rows(e: _Entry) -> int:
    return e.rows


class SpatialIndex:
    """The bbox index of one app: (image, kind) entries, LRU-bounded by ``MAX_ROWS``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # Sized by its rows when loaded: an entry is reloaded at least every MAX_AGE_S,
        # and what replays add in between is small beside MAX_ROWS.
        self._entries: ByteLRU[tuple[int, str], _Entry] = ByteLRU(MAX_ROWS, size=_rows)
        self._load_locks: dict[tuple[int, str], threading.Lock] = {}
        self._too_big: dict[tuple[int, str], float] = {}

    def clear(self) -> None:
        """Forget every entry (tests; the feed keeps entries exact otherwise)."""
        with self._lock:
            self._entries.clear()
            self._too_big.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _entry(
        self, conn: Any, project_pk: int, image_pk: int, kind: AnnotationKind
    ) -> _Entry | None:
        """The entry of (image, kind), replayed up to this read; None: too big, use SQL.

        Loads are single-flight per key: the viewer's first burst of viewport queries (or
        an entry going stale) costs one load, not one per waiting request.  A stale entry
        whose replay still works keeps serving the other requests while one reloads it.
        """
        key = (image_pk, kind.value)
        now = time.monotonic()
        with self._lock:
            if self._too_big.get(key, 0.0) > now:
                return None
            e = self._entries.get(key)  # marks it most recently used
            load_lock = self._load_locks.setdefault(key, threading.Lock())
        if e is not None:
            with e.lock:
                ok = _replay(conn, e, project_pk, image_pk, kind)
                if ok and (now - e.loaded < MAX_AGE_S or e.reloading):
                    return e
                if ok:
                    e.reloading = True  # this request reloads it; the others use it meanwhile
        with load_lock:
            with self._lock:
                current = self._entries.peek(key)
            if current is not None and current is not e:  # loaded while this one waited
                with current.lock:
                    if _replay(conn, current, project_pk, image_pk, kind):
                        return current
            try:
                fresh = _load(conn, project_pk, image_pk, kind)
            finally:
                if e is not None:
                    e.reloading = False
            with self._lock:
                if fresh is None:
                    self._entries.pop(key)
                    self._too_big[key] = time.monotonic() + MAX_AGE_S
                    return None
                self._entries.put(key, fresh)  # evicts the least recently used to fit
            return fresh

    def viewport(
        self,
        conn: Any,
        project_pk: int,
        image_pk: int,
        kind: AnnotationKind,
        bounds: tuple[float, float, float, float],
        rect: bool,
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(sure hit pks, pks needing an exact test), both ascending; None: use SQL."""
        e = self._entry(conn, project_pk, image_pk, kind)
        if e is None:
            return None
        with e.lock:
            return e.hits(bounds, rect)
