"""``core.lru.ByteLRU``: the one byte-bounded LRU every in-memory cache uses."""

from __future__ import annotations

import threading

import pytest

from desktop_app.core.lru import ByteLRU


def test_evicts_least_recently_used_beyond_the_byte_budget() -> None:
    lru: ByteLRU[str, bytes] = ByteLRU(10, len)
    lru.put("a", b"1234")
    lru.put("b", b"1234")
    assert lru.get("a") == b"1234"  # "a" is now the most recent
    lru.put("c", b"1234")  # 12 bytes: "b" goes
    assert "b" not in lru and lru.keys() == ["a", "c"] and lru.bytes_used == 8
    assert (lru.hits, lru.misses) == (1, 0)
    assert lru.get("b") is None and lru.misses == 1


def test_replacing_a_key_counts_its_new_size_and_oversize_is_not_stored() -> None:
    lru: ByteLRU[str, bytes] = ByteLRU(10, len)
    lru.put("a", b"12345678")
    lru.put("a", b"12")
    assert lru.bytes_used == 2
    lru.put("big", b"x" * 11)
    assert "big" not in lru and lru.bytes_used == 2


def test_none_values_are_cached_and_peek_marks_no_use() -> None:
    lru: ByteLRU[int, bytes | None] = ByteLRU(2, lambda v: 1)
    lru.put(1, None)
    lru.put(2, b"x")
    assert 1 in lru and lru.get(1, "missing") is None
    assert lru.peek(2) == b"x"
    lru.put(3, b"y")  # 2 was peeked, not used: it is the oldest
    assert lru.keys() == [1, 3]


def test_on_evict_closes_what_leaves_by_eviction_clear_or_shrink() -> None:
    closed: list[str] = []
    lru: ByteLRU[str, str] = ByteLRU(2, lambda v: 1, on_evict=lambda k, v: closed.append(k))
    for key in "abc":
        lru.put(key, key)
    assert closed == ["a"]
    lru.set_max_bytes(1)
    assert closed == ["a", "b"]
    assert lru.pop("c") == "c" and closed == ["a", "b"]  # popped: the caller owns it
    lru.put("d", "d")
    lru.discard_where(lambda k: k == "d")
    lru.put("e", "e")
    lru.clear()
    assert closed == ["a", "b", "d", "e"] and len(lru) == 0 and lru.bytes_used == 0


def test_budget_holds_under_concurrent_puts() -> None:
    lru: ByteLRU[int, bytes] = ByteLRU(1000, len)

    def writer(base: int) -> None:
        for i in range(2000):
            lru.put(base + i, b"x" * 10)
            lru.get(base + i - 5)

    threads = [threading.Thread(target=writer, args=(n * 10_000,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert lru.bytes_used == 10 * len(lru) <= 1000


def test_negative_budget_is_refused() -> None:
    with pytest.raises(ValueError):
        ByteLRU(-1, len)
