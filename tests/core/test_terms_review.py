"""Term shortcuts (1-9, tree order, toggle) and the review state machine."""

from __future__ import annotations

import pytest

from desktop_app.core.review import ReviewError, ReviewSession, ReviewStatus
from desktop_app.core.terms import TermChange, TermNode, TermShortcuts, tree_order

ONTOLOGY = [
    TermNode(10, "Tumour"),
    TermNode(11, "stroma"),
    TermNode(12, "Necrosis", parent_id=10),
    TermNode(13, "Invasive", parent_id=10),
    TermNode(14, "Lymphocyte", parent_id=11),
    TermNode(15, "Background"),
    *(TermNode(100 + i, f"Z{i}") for i in range(6)),
]


def test_tree_order_is_depth_first_with_siblings_by_name() -> None:
    names = [t.name for t in tree_order(ONTOLOGY)]
    assert names[:7] == [
        "Background",
        "stroma",
        "Lymphocyte",
        "Tumour",
        "Invasive",
        "Necrosis",
        "Z0",
    ]
    assert len(names) == len(ONTOLOGY)


def test_tree_order_survives_missing_parents_and_cycles() -> None:
    odd = [TermNode(1, "a", parent_id=2), TermNode(2, "b", parent_id=1), TermNode(3, "c", 99)]
    assert sorted(t.id for t in tree_order(odd)) == [1, 2, 3]


def test_first_nine_terms_get_digits() -> None:
    sc = TermShortcuts(ONTOLOGY)
    assert [t.name for t in sc.mapping.values()][:3] == ["Background", "stroma", "Lymphocyte"]
    assert len(sc.mapping) == 9
    assert sc.term_for_key("1").id == 15
    assert sc.term_for_key(9).name == "Z2"
    assert sc.term_for_key("0") is None and sc.term_for_key("x") is None
    assert sc.key_for(13) == 5 and sc.key_for(105) is None


def test_leaves_only() -> None:
    sc = TermShortcuts(ONTOLOGY, leaves_only=True)
    assert [t.id for t in sc.mapping.values()][:4] == [15, 14, 13, 12]


def test_toggle_adds_then_removes() -> None:
    sc = TermShortcuts(ONTOLOGY)
    change = sc.toggle("1", {11})
    assert change == TermChange(added=frozenset({15}))
    assert change.apply({11}) == {11, 15}
    again = sc.toggle("1", change.apply({11}))
    assert again == TermChange(removed=frozenset({15}))
    assert sc.toggle("1", {11}, exclusive=True).apply({11}) == {15}
    assert sc.toggle("7", {11}).is_noop is False and sc.toggle("q", {11}).is_noop


def test_toggle_many_converges() -> None:
    sc = TermShortcuts(ONTOLOGY)
    mixed = sc.toggle_many("1", {1: {15}, 2: set()})
    assert mixed == {2: TermChange(added=frozenset({15}))}
    full = sc.toggle_many("1", {1: {15}, 2: {15, 11}})
    assert full == {1: TermChange(removed=frozenset({15})), 2: TermChange(removed=frozenset({15}))}


def test_review_walks_the_queue_and_auto_advances_to_pending() -> None:
    s = ReviewSession(["a", "b", "c", "d"], {"b": ReviewStatus.ACCEPTED})
    assert s.current == "a"
    d = s.accept()
    assert d.changed and d.status is ReviewStatus.ACCEPTED
    assert s.current == "c"  # b was already decided
    s.reject()
    assert s.current == "d"
    s.correct()
    assert s.current == "a" or s.is_done
    assert s.is_done
    assert s.counts()[ReviewStatus.ACCEPTED] == 2
    assert s.counts()[ReviewStatus.PENDING] == 0


def test_review_navigation() -> None:
    s = ReviewSession(["a", "b", "a", "c"], auto_advance=False)
    assert s.queue == ("a", "b", "c")
    assert s.previous() is None
    assert s.next() == "b" and s.next() == "c" and s.next() is None
    assert s.previous() == "b"
    s.accept()
    assert s.current == "b"  # no auto-advance
    s.go_to("a")
    assert s.current == "a"
    with pytest.raises(ReviewError):
        s.go_to("zzz")


def test_first_decision_stands_and_a_different_one_is_a_conflict() -> None:
    s = ReviewSession(["a", "b"], auto_advance=False)
    s.accept("a")
    repeat = s.accept("a")
    assert not repeat.changed and repeat.conflict is None
    clash = s.reject("a")
    assert not clash.changed
    assert clash.conflict is not None and clash.conflict.existing is ReviewStatus.ACCEPTED
    assert "already accepted" in clash.conflict.message
    assert s.status("a") is ReviewStatus.ACCEPTED
    assert s.conflicts == [clash.conflict]


def test_remote_decisions_follow_the_same_rule_and_reset_is_explicit() -> None:
    s = ReviewSession(["a"])
    s.reject("a")
    remote = s.record("a", ReviewStatus.ACCEPTED)
    assert remote.conflict is not None and remote.conflict.source == "remote"
    assert s.reset("a") is ReviewStatus.REJECTED
    assert s.record("a", ReviewStatus.ACCEPTED).changed
    assert s.status("a") is ReviewStatus.ACCEPTED


def test_empty_queue() -> None:
    s = ReviewSession([])
    assert s.current is None and s.is_done and s.next_pending() is None
    with pytest.raises(ReviewError, match="empty"):
        s.accept()
