"""Queue order: every ordering, missing values last, ties by id, shuffle fixed by seed."""

from __future__ import annotations

from desktop_app.core.review_queue import QueueEntry, QueueOrder, order_queue

ENTRIES = [
    QueueEntry(5, term="Tumor", area=50.0, author="bob", confidence=0.9, algo=True),
    QueueEntry(1, term="stroma", area=10.0, author="ann"),
    QueueEntry(3, term=None, area=30.0, author="Cid", confidence=0.2, algo=True),
    QueueEntry(2, term="Tumor", area=10.0, author="ann", confidence=0.5, algo=True),
    QueueEntry(4, term="Necrosis", area=40.0, author=""),
]


def test_orders() -> None:
    assert order_queue(ENTRIES) == [1, 2, 3, 4, 5]
    assert order_queue(ENTRIES, QueueOrder.CREATED, descending=True) == [5, 4, 3, 2, 1]
    # case-insensitive names, no term last, ties (2 and 5 both Tumor) by id
    assert order_queue(ENTRIES, QueueOrder.TERM) == [4, 1, 2, 5, 3]
    assert order_queue(ENTRIES, QueueOrder.AREA) == [1, 2, 3, 4, 5]
    assert order_queue(ENTRIES, QueueOrder.AREA, descending=True) == [5, 4, 3, 1, 2]
    assert order_queue(ENTRIES, QueueOrder.AUTHOR) == [1, 2, 5, 3, 4]
    # only algorithm output has a confidence; the others come last in either direction
    assert order_queue(ENTRIES, QueueOrder.CONFIDENCE) == [3, 2, 5, 1, 4]
    assert order_queue(ENTRIES, QueueOrder.CONFIDENCE, descending=True) == [5, 2, 3, 1, 4]


def test_shuffle_is_a_permutation_fixed_by_the_seed() -> None:
    entries = [QueueEntry(i) for i in range(50)]
    a = order_queue(entries, QueueOrder.SHUFFLE, seed=7)
    assert sorted(a) == list(range(50)) and a != list(range(50))
    assert order_queue(reversed(entries), QueueOrder.SHUFFLE, seed=7) == a  # input order
    assert order_queue(entries, QueueOrder.SHUFFLE, seed=8) != a
    assert QueueOrder("shuffle") is QueueOrder.SHUFFLE and QueueOrder.AREA.label == "By area"


def test_upcoming_pending_after_the_cursor_wrapping() -> None:
    from desktop_app.core.review_queue import upcoming

    statuses = {1: "accepted", 2: "pending", 3: "pending", 4: "rejected", 5: "pending"}
    assert upcoming([1, 2, 3, 4, 5], 2, statuses, 3) == [5, 2]  # not the current one (3)
    assert upcoming([1, 2, 3, 4, 5], 0, statuses, 2) == [2, 3]
    assert upcoming([7], 0, {7: "pending"}, 3) == []
