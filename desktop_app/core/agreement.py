"""Inter-reader agreement: percent agreement, Cohen's and Fleiss' kappa, confusion.

A validation study reports how far its readers agree beyond what chance alone would
give; these are the standard statistics, on plain values so they can be checked by
hand. Every function takes *labels* (any hashable: ``"accepted"``, a term id, a term
name) and never knows where they came from.

Degenerate cases have a defined, documented value instead of a division by zero:

* no item rated by both readers → every statistic is ``None``;
* kappa is ``(p_o - p_e) / (1 - p_e)``; when the expected agreement ``p_e`` is 1
  (every rating of both readers falls in one single category) kappa is undefined and
  returned as ``None`` — percent agreement (1.0 then) still says they agree;
* Fleiss' kappa needs three or more readers (``None`` below that), is computed over
  the items that *every* reader rated, and is ``None`` when none is, or when ``P_e``
  is 1 (one category for all).

Kappa is 1 for perfect agreement, 0 for chance-level agreement and negative when
readers agree less often than chance would have them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

import numpy as np

Label = Hashable
Reader = Hashable
Item = Hashable
R = TypeVar("R", bound=Hashable)
K = TypeVar("K", bound=Hashable)


def _paired(a: Sequence[Label], b: Sequence[Label]) -> None:
    if len(a) != len(b):
        raise ValueError(f"both readers must rate the same items ({len(a)} ratings vs {len(b)})")


def percent_agreement(a: Sequence[Label], b: Sequence[Label]) -> float | None:
    """Share of items (0..1) on which both readers gave the same label; None if none."""
    _paired(a, b)
    if not a:
        return None
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def label_order(*ratings: Iterable[Label]) -> list[Label]:
    """The labels in a stable order: sorted when comparable, else first-seen order."""
    seen = list(dict.fromkeys(x for r in ratings for x in r))
    try:
        # Labels are any hashable; whether they compare is what the try finds out.
        return sorted(seen)  # type: ignore[type-var]
    except TypeError:
        return seen


def confusion_matrix(
    a: Sequence[Label], b: Sequence[Label], labels: Sequence[Label] | None = None
) -> tuple[list[Label], list[list[int]]]:
    """``(labels, matrix)`` with ``matrix[i][j]`` = items reader a labelled ``labels[i]``
    and reader b labelled ``labels[j]``. The diagonal is where they agree."""
    _paired(a, b)
    order = list(labels) if labels is not None else label_order(a, b)
    index = {x: i for i, x in enumerate(order)}
    missing = [x for x in (*a, *b) if x not in index]
    if missing:
        raise ValueError(f"label {missing[0]!r} is not among the labels given")
    m = np.zeros((len(order), len(order)), dtype=np.int64)
    for x, y in zip(a, b, strict=True):
        m[index[x], index[y]] += 1
    return order, m.tolist()


def cohen_kappa(a: Sequence[Label], b: Sequence[Label]) -> float | None:
    """Cohen's kappa of two readers over the same items (None: see module docstring)."""
    _paired(a, b)
    n = len(a)
    if n == 0:
        return None
    _, matrix = confusion_matrix(a, b)
    m = np.asarray(matrix, dtype=np.float64)
    p_o = float(np.trace(m)) / n
    p_e = float(np.dot(m.sum(axis=1), m.sum(axis=0))) / (n * n)
    if np.isclose(p_e, 1.0):
        return None
    return (p_o - p_e) / (1.0 - p_e)


def fleiss_kappa(items: Sequence[Sequence[Label]]) -> float | None:
    """Fleiss' kappa; ``items[i]`` holds the labels every reader gave item ``i``.

    All items must have the same number of ratings (the same readers rated them all).
    """
    if not items:
        return None
    raters = len(items[0])
    if any(len(r) != raters for r in items):
        raise ValueError("every item needs a rating from each reader for Fleiss' kappa")
    if raters < 3:
        return None
    order = label_order(*items)
    index = {x: i for i, x in enumerate(order)}
    counts = np.zeros((len(items), len(order)), dtype=np.float64)
    for row, ratings in enumerate(items):
        for x in ratings:
            counts[row, index[x]] += 1
    n_items = len(items)
    p_j = counts.sum(axis=0) / (n_items * raters)
    p_i = ((counts * counts).sum(axis=1) - raters) / (raters * (raters - 1))
    p_bar, p_e = float(p_i.mean()), float((p_j * p_j).sum())
    if np.isclose(p_e, 1.0):
        return None
    return (p_bar - p_e) / (1.0 - p_e)


@dataclass(frozen=True, slots=True)
class Rating:
    """One reader's decision on one item: accept/reject and the term they gave (or None)."""

    decision: Label
    term: Label | None = None


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Agreement of readers ``a`` and ``b`` over the ``n`` items both decided.

    Decision statistics use all ``n`` items; term statistics and the confusion matrix use
    the ``term_n`` of those where both readers gave a term.
    """

    a: Reader
    b: Reader
    n: int
    percent_agreement: float | None
    decision_kappa: float | None
    term_n: int
    term_percent_agreement: float | None
    term_kappa: float | None
    labels: list[Label]
    matrix: list[list[int]]


@dataclass(frozen=True, slots=True)
class Agreement:
    """Every pair of readers, and Fleiss' kappa (decisions) when there are three or more."""

    readers: Sequence[Reader]
    pairs: list[PairAgreement]
    fleiss_kappa: float | None
    fleiss_n: int


def pair_agreement(
    a: Reader,
    b: Reader,
    ratings_a: Mapping[K, Rating],
    ratings_b: Mapping[K, Rating],
    labels: Sequence[Label] | None = None,
) -> PairAgreement:
    """Agreement of two readers, each given as item → :class:`Rating`."""
    both = [k for k in ratings_a if k in ratings_b]
    da = [ratings_a[k].decision for k in both]
    db = [ratings_b[k].decision for k in both]
    termed = [k for k in both if ratings_a[k].term is not None and ratings_b[k].term is not None]
    ta = [ratings_a[k].term for k in termed]
    tb = [ratings_b[k].term for k in termed]
    order, matrix = confusion_matrix(
        ta, tb, None if labels is None else [x for x in labels if x in {*ta, *tb}]
    )
    return PairAgreement(
        a=a,
        b=b,
        n=len(both),
        percent_agreement=percent_agreement(da, db),
        decision_kappa=cohen_kappa(da, db),
        term_n=len(termed),
        term_percent_agreement=percent_agreement(ta, tb),
        term_kappa=cohen_kappa(ta, tb),
        labels=order,
        matrix=matrix,
    )


def agreement(
    ratings: Mapping[R, Mapping[K, Rating]], labels: Sequence[Label] | None = None
) -> Agreement:
    """All pairs of readers (in the readers' given order) and Fleiss' kappa on decisions.

    ``labels`` fixes the term order of the confusion matrices (e.g. the ontology order);
    terms absent from it raise ``ValueError``.
    """
    readers = list(ratings)
    pairs = [
        pair_agreement(a, b, ratings[a], ratings[b], labels) for a, b in combinations(readers, 2)
    ]
    fleiss, fleiss_n = None, 0
    if len(readers) >= 3:
        common = [k for k in ratings[readers[0]] if all(k in ratings[r] for r in readers[1:])]
        fleiss_n = len(common)
        fleiss = fleiss_kappa([[ratings[r][k].decision for r in readers] for k in common])
    return Agreement(readers=readers, pairs=pairs, fleiss_kappa=fleiss, fleiss_n=fleiss_n)


__all__ = [
    "Agreement",
    "PairAgreement",
    "Rating",
    "agreement",
    "cohen_kappa",
    "confusion_matrix",
    "fleiss_kappa",
    "label_order",
    "pair_agreement",
    "percent_agreement",
]
