"""The review state machine: walk a queue of annotations and decide on each.

Review decisions feed training data and reports, so losing one silently is worse than
asking. The rule here is **the first decision stands**: deciding again with the *same*
status is a harmless no-op, a *different* status is reported as a :class:`ReviewConflict`
and changes nothing. Changing one's mind is explicit (:meth:`ReviewSession.reset`, which
the undo command uses), and the same rule applies to decisions arriving from the server
(:meth:`ReviewSession.record` with ``source="remote"``), so two reviewers disagreeing on
one annotation surface as a conflict instead of last-writer-wins.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

AnnotationId = Hashable


class ReviewStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CORRECTED = "corrected"


@dataclass(frozen=True, slots=True)
class ReviewConflict:
    annotation: AnnotationId
    existing: ReviewStatus
    attempted: ReviewStatus
    source: str = "local"

    @property
    def message(self) -> str:
        return (
            f"This annotation was already {self.existing.value}; "
            f"it was not marked {self.attempted.value}."
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """Outcome of one decide call: ``changed`` is False for a repeat or a conflict."""

    annotation: AnnotationId
    status: ReviewStatus
    changed: bool
    conflict: ReviewConflict | None = None


class ReviewError(LookupError):
    """Raised for misuse (an id outside the queue, deciding with an empty queue)."""


class ReviewSession:
    """A cursor over a fixed queue of annotation ids plus their decisions.

    ``auto_advance`` moves to the next *pending* annotation after a decision, which is
    what reviewers want when working through a queue with the keyboard.
    """

    def __init__(
        self,
        queue: Iterable[AnnotationId],
        initial: Mapping[AnnotationId, ReviewStatus] | None = None,
        *,
        auto_advance: bool = True,
    ) -> None:
        self._queue: list[AnnotationId] = list(dict.fromkeys(queue))
        self._index = {a: i for i, a in enumerate(self._queue)}
        self._status: dict[AnnotationId, ReviewStatus] = {
            a: ReviewStatus.PENDING for a in self._queue
        }
        for a, s in (initial or {}).items():
            if a in self._index:
                self._status[a] = ReviewStatus(s)
        self._cursor = 0
        self.auto_advance = auto_advance
        self.conflicts: list[ReviewConflict] = []

    # --- navigation ---------------------------------------------------------------------

    @property
    def queue(self) -> tuple[AnnotationId, ...]:
        return tuple(self._queue)

    @property
    def position(self) -> int:
        return self._cursor

    @property
    def current(self) -> AnnotationId | None:
        return self._queue[self._cursor] if self._queue else None

    def next(self) -> AnnotationId | None:
        """Advance one step; stays on the last item (returns ``None`` if already there)."""
        if self._cursor + 1 >= len(self._queue):
            return None
        self._cursor += 1
        return self.current

    def previous(self) -> AnnotationId | None:
        if self._cursor == 0 or not self._queue:
            return None
        self._cursor -= 1
        return self.current

    def go_to(self, annotation: AnnotationId) -> None:
        if annotation not in self._index:
            raise ReviewError(f"{annotation!r} is not in this review queue.")
        self._cursor = self._index[annotation]

    def next_pending(self) -> AnnotationId | None:
        """Move to the first pending annotation after the cursor (wrapping around)."""
        n = len(self._queue)
        for step in range(1, n + 1):
            i = (self._cursor + step) % n
            if self._status[self._queue[i]] is ReviewStatus.PENDING:
                self._cursor = i
                return self._queue[i]
        return None

    # --- decisions ------------------------------------------------------------------------

    def status(self, annotation: AnnotationId) -> ReviewStatus:
        if annotation not in self._status:
            raise ReviewError(f"{annotation!r} is not in this review queue.")
        return self._status[annotation]

    def accept(self, annotation: AnnotationId | None = None) -> Decision:
        return self._decide(annotation, ReviewStatus.ACCEPTED)

    def reject(self, annotation: AnnotationId | None = None) -> Decision:
        return self._decide(annotation, ReviewStatus.REJECTED)

    def correct(self, annotation: AnnotationId | None = None) -> Decision:
        """Mark as corrected (the geometry/terms change itself is a separate command)."""
        return self._decide(annotation, ReviewStatus.CORRECTED)

    def record(
        self, annotation: AnnotationId, status: ReviewStatus, *, source: str = "remote"
    ) -> Decision:
        """Apply a decision made elsewhere (sync pull, another reviewer); never advances."""
        return self._decide(annotation, ReviewStatus(status), source=source, advance=False)

    def reset(self, annotation: AnnotationId) -> ReviewStatus:
        """Explicitly return an annotation to pending (undo); returns the old status."""
        old = self.status(annotation)
        self._status[annotation] = ReviewStatus.PENDING
        return old

    def _decide(
        self,
        annotation: AnnotationId | None,
        status: ReviewStatus,
        *,
        source: str = "local",
        advance: bool = True,
    ) -> Decision:
        target = self.current if annotation is None else annotation
        if target is None:
            raise ReviewError("The review queue is empty.")
        existing = self.status(target)
        if existing is status:
            return Decision(target, status, changed=False)
        if existing is not ReviewStatus.PENDING:
            conflict = ReviewConflict(target, existing, status, source)
            self.conflicts.append(conflict)
            return Decision(target, existing, changed=False, conflict=conflict)
        self._status[target] = status
        if advance and self.auto_advance and target == self.current:
            self.next_pending()
        return Decision(target, status, changed=True)

    # --- progress -----------------------------------------------------------------------

    def counts(self) -> dict[ReviewStatus, int]:
        out = dict.fromkeys(ReviewStatus, 0)
        for s in self._status.values():
            out[s] += 1
        return out

    @property
    def is_done(self) -> bool:
        return all(s is not ReviewStatus.PENDING for s in self._status.values())
