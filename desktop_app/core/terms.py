"""Keyboard shortcuts 0-9 for ontology terms: digit sets, Shift+digit adds or removes.

Annotators label thousands of objects; reaching for the ontology panel each time is the
slowest part of the loop. Keys 1-9 map to the first nine terms **in tree order** (the
order the ontology panel shows: depth-first, siblings by name), so the mapping is what
the user sees.  The rule, the same for a selection and for the next drawing:

* a digit **sets** the term: the selected annotations (or the next drawing) get that
  term and only it, as a class shortcut does in QuPath; pressing it again changes
  nothing;
* **Shift+digit toggles** it: adds the term, keeping the others (Cytomine allows several
  terms per annotation), or removes it when every selected annotation already has it;
* **0** clears: no term (Shift+0 does the same).

With nothing selected the keys change the terms the next drawing gets, which the
window shows ("Next drawing: Tumor"), so a key press never changes anything unseen.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

TermId = Hashable


@dataclass(frozen=True, slots=True)
class TermNode:
    """The parts of an ontology term the shortcut mapping needs."""

    id: TermId
    name: str
    parent_id: TermId | None = None
    color: str | None = None


def tree_order(terms: Iterable[TermNode]) -> list[TermNode]:
    """Depth-first pre-order, siblings sorted by name (case-insensitive), then id.

    Terms whose parent is missing are treated as roots, so a partial ontology still
    yields every term exactly once; cycles (corrupt data) cannot loop forever.
    """
    nodes = list(terms)
    ids = {t.id for t in nodes}
    children: dict[TermId | None, list[TermNode]] = {}
    for t in nodes:
        parent = t.parent_id if t.parent_id in ids and t.parent_id != t.id else None
        children.setdefault(parent, []).append(t)

    def key(t: TermNode) -> tuple[str, str]:
        return (t.name.casefold(), str(t.id))

    out: list[TermNode] = []
    seen: set[TermId] = set()
    stack = sorted(children.get(None, []), key=key, reverse=True)
    while stack:
        node = stack.pop()
        if node.id in seen:
            continue
        seen.add(node.id)
        out.append(node)
        stack.extend(sorted(children.get(node.id, []), key=key, reverse=True))
    # nodes only reachable through a cycle: append them in name order
    out.extend(sorted((t for t in nodes if t.id not in seen), key=key))
    return out


@dataclass(frozen=True, slots=True)
class TermChange:
    """What a key press does to one annotation's terms."""

    added: frozenset[TermId] = frozenset()
    removed: frozenset[TermId] = frozenset()

    @property
    def is_noop(self) -> bool:
        return not (self.added or self.removed)

    def apply(self, current: Iterable[TermId]) -> frozenset[TermId]:
        return (frozenset(current) - self.removed) | self.added


#: The key that clears: no term.
CLEAR_KEY = 0


def next_drawing_terms(
    active: Iterable[TermId], term_id: TermId | None, *, add: bool
) -> tuple[TermId, ...]:
    """The terms the next drawing gets after choosing ``term_id`` (``None``: key 0)
    with nothing selected: exactly that term, or with ``add`` (Shift) the current
    terms with it added, or removed when it was there already."""
    current = tuple(active)
    if term_id is None:
        return ()
    if not add:
        return (term_id,)
    if term_id in current:
        return tuple(t for t in current if t != term_id)
    return (*current, term_id)


class TermShortcuts:
    """The 1-9 mapping for one ontology."""

    def __init__(self, terms: Iterable[TermNode], *, leaves_only: bool = False) -> None:
        ordered = tree_order(terms)
        if leaves_only:
            parents = {t.parent_id for t in ordered}
            ordered = [t for t in ordered if t.id not in parents]
        self._by_key: dict[int, TermNode] = {i + 1: t for i, t in enumerate(ordered[:9])}

    @property
    def mapping(self) -> Mapping[int, TermNode]:
        """Digit -> term, for the ontology panel to show "1", "2", ... next to the names."""
        return dict(self._by_key)

    def key_for(self, term_id: TermId) -> int | None:
        return next((k for k, t in self._by_key.items() if t.id == term_id), None)

    def term_for_key(self, key: str | int) -> TermNode | None:
        """The term for "1".."9" (or the int); ``None`` for any other key."""
        try:
            digit = int(key)
        except (TypeError, ValueError):
            return None
        return self._by_key.get(digit)

    def is_clear_key(self, key: str | int) -> bool:
        return str(key).strip() == str(CLEAR_KEY)

    def set(self, key: str | int, current: Iterable[TermId]) -> TermChange:
        """The change a plain digit makes: exactly the key's term (0: none)."""
        have = frozenset(current)
        if self.is_clear_key(key):
            return TermChange(removed=have)
        term = self.term_for_key(key)
        if term is None:
            return TermChange()
        return TermChange(added=frozenset({term.id}) - have, removed=have - frozenset({term.id}))

    def toggle(
        self, key: str | int, current: Iterable[TermId], *, exclusive: bool = False
    ) -> TermChange:
        """The change pressing ``key`` makes to an annotation currently having ``current``.

        Has the term -> remove it. Lacks it -> add it (and with ``exclusive``, remove the
        others). An unmapped key changes nothing.
        """
        term = self.term_for_key(key)
        have = frozenset(current)
        if term is None:
            return TermChange()
        if term.id in have:
            return TermChange(removed=frozenset({term.id}))
        removed = have if exclusive else frozenset()
        return TermChange(added=frozenset({term.id}), removed=removed)

    def toggle_many(
        self,
        key: str | int,
        current: Mapping[Hashable, Iterable[TermId]],
        *,
        exclusive: bool = False,
    ) -> dict[Hashable, TermChange]:
        """Toggle across a multi-selection the way users expect: if *every* selected
        annotation already has the term it is removed from all, otherwise it is added to
        those lacking it (so a mixed selection converges instead of flip-flopping)."""
        term = self.term_for_key(key)
        if term is None:
            return {}
        sets = {pk: frozenset(ts) for pk, ts in current.items()}
        if sets and all(term.id in ts for ts in sets.values()):
            return {pk: TermChange(removed=frozenset({term.id})) for pk in sets}
        changes: dict[Hashable, TermChange] = {}
        for pk, ts in sets.items():
            if term.id in ts:
                continue
            changes[pk] = TermChange(
                added=frozenset({term.id}), removed=ts if exclusive else frozenset()
            )
        return changes
