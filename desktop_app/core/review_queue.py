"""The order a review queue is walked in: by term, area, author, confidence or shuffled.

A study protocol fixes the order readers see cases in (shuffled to avoid order effects,
low-confidence algorithm output first to spend reader time where the model hesitates,
by term to review one class at a time). The order is a pure function of the entries so
that two readers given the same seed walk the same queue.

Ties and missing values are deterministic: entries without the sort value (no term, no
confidence) come last in either direction, and ties break on the annotation id.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class QueueOrder(enum.StrEnum):
    """How the queue is ordered (the values are what the CLI and settings store)."""

    CREATED = "created"
    TERM = "term"
    AREA = "area"
    AUTHOR = "author"
    CONFIDENCE = "confidence"
    SHUFFLE = "shuffle"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    QueueOrder.CREATED: "Creation order",
    QueueOrder.TERM: "By term",
    QueueOrder.AREA: "By area",
    QueueOrder.AUTHOR: "By author",
    QueueOrder.CONFIDENCE: "By algorithm confidence",
    QueueOrder.SHUFFLE: "Shuffled",
}


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """What the order needs to know of one annotation."""

    pk: int
    term: str | None = None
    area: float = 0.0
    author: str = ""
    confidence: float | None = None
    algo: bool = False


def order_queue(
    entries: Iterable[QueueEntry],
    order: QueueOrder = QueueOrder.CREATED,
    *,
    descending: bool = False,
    seed: int = 0,
) -> list[int]:
    """The entries' ids in review order.

    ``descending`` reverses the sort value (largest area or most confident first); it is
    ignored for ``SHUFFLE``, which is a permutation of the id order fixed by ``seed``.
    """
    items = sorted(entries, key=lambda e: e.pk)
    order = QueueOrder(order)
    if order is QueueOrder.SHUFFLE:
        pks = [e.pk for e in items]
        random.Random(seed).shuffle(pks)
        return pks
    if order is QueueOrder.CREATED:
        pks = [e.pk for e in items]
        return pks[::-1] if descending else pks
    value: Callable[[QueueEntry], Any] = {
        QueueOrder.TERM: lambda e: None if e.term is None else e.term.casefold(),
        QueueOrder.AREA: lambda e: e.area,
        QueueOrder.AUTHOR: lambda e: e.author.casefold() or None,
        QueueOrder.CONFIDENCE: lambda e: e.confidence,
    }[order]
    known = [e for e in items if value(e) is not None]
    unknown = [e for e in items if value(e) is None]
    known.sort(key=value, reverse=descending)  # stable: ties keep id order
    return [e.pk for e in known] + [e.pk for e in unknown]


def upcoming(
    queue: Sequence[Hashable], position: int, statuses: Mapping[Any, object], n: int
) -> list[Hashable]:
    """The next ``n`` ids after ``position`` whose status is pending, wrapping around
    (the annotations a reviewer will see next, whose tiles are worth reading now)."""
    after = [queue[(position + k) % len(queue)] for k in range(1, len(queue))]
    return [p for p in after if statuses.get(p) == "pending"][:n]


__all__ = ["QueueEntry", "QueueOrder", "order_queue", "upcoming"]
