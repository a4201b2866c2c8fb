"""Agreement statistics against hand-computed cases (and two textbook tables)."""

from __future__ import annotations

import pytest

from desktop_app.core.agreement import (
    Rating,
    agreement,
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
    percent_agreement,
)

Y, N = "accepted", "rejected"


def test_perfect_agreement_is_kappa_one() -> None:
    a = [Y, N, Y, Y, N]
    assert percent_agreement(a, a) == 1.0
    assert cohen_kappa(a, a) == pytest.approx(1.0)


def test_chance_level_is_kappa_zero() -> None:
    # p_o = 2/4; each reader says Y half the time: p_e = .5*.5 + .5*.5 = .5
    a, b = [Y, Y, N, N], [Y, N, Y, N]
    assert percent_agreement(a, b) == 0.5
    assert cohen_kappa(a, b) == pytest.approx(0.0)


def test_chance_level_with_one_reader_constant() -> None:
    # a always Y: p_e = 1 * 3/4 = p_o
    assert cohen_kappa([Y, Y, Y, Y], [Y, Y, Y, N]) == pytest.approx(0.0)


def test_systematic_disagreement_is_negative() -> None:
    a, b = [Y, N, Y, N], [N, Y, N, Y]
    assert percent_agreement(a, b) == 0.0
    assert cohen_kappa(a, b) == pytest.approx(-1.0)
    # milder: p_o = 1/3, both say Y 2/3 of the time: p_e = 4/9 + 1/9 = 5/9
    # -> (3/9 - 5/9) / (4/9) = -1/2
    assert cohen_kappa([Y, Y, N], [N, Y, Y]) == pytest.approx(-0.5)


def test_textbook_two_by_two() -> None:
    # 20 YY, 5 YN, 10 NY, 15 NN: p_o = .7, p_e = .5*.6 + .5*.4 = .5 -> kappa .4
    a = [Y] * 20 + [Y] * 5 + [N] * 10 + [N] * 15
    b = [Y] * 20 + [N] * 5 + [Y] * 10 + [N] * 15
    assert percent_agreement(a, b) == pytest.approx(0.7)
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    labels, matrix = confusion_matrix(a, b)
    assert labels == [Y, N]
    assert matrix == [[20, 5], [10, 15]]


def test_degenerate_cases_are_none() -> None:
    assert percent_agreement([], []) is None
    assert cohen_kappa([], []) is None
    # a single category for both readers: p_e = 1, kappa undefined, agreement still 1
    assert cohen_kappa([Y, Y, Y], [Y, Y, Y]) is None
    assert percent_agreement([Y, Y, Y], [Y, Y, Y]) == 1.0
    with pytest.raises(ValueError, match="same items"):
        cohen_kappa([Y], [Y, N])


def test_confusion_matrix_with_fixed_labels() -> None:
    labels, matrix = confusion_matrix([1, 2, 2], [1, 3, 2], labels=[3, 2, 1])
    assert labels == [3, 2, 1]
    assert matrix == [[0, 0, 0], [1, 1, 0], [0, 0, 1]]
    with pytest.raises(ValueError, match="not among"):
        confusion_matrix([4], [4], labels=[1])


def test_fleiss_textbook_table() -> None:
    # Fleiss (1971) style table: 10 items, 14 raters, 5 categories -> kappa 0.210
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]  # fmt: skip
    items = [[c for c, k in enumerate(row) for _ in range(k)] for row in table]
    assert fleiss_kappa(items) == pytest.approx(0.2099, abs=1e-4)


def test_fleiss_hand_cases() -> None:
    assert fleiss_kappa([[Y, Y, Y], [N, N, N]]) == pytest.approx(1.0)
    # P_i = (2*2 + 1 - 3) / (3*2) = 1/3 each, P_e = .5 -> (1/3 - 1/2) / (1/2) = -1/3
    assert fleiss_kappa([[Y, Y, N], [N, N, Y]]) == pytest.approx(-1 / 3)
    assert fleiss_kappa([[Y, Y, Y], [Y, Y, Y]]) is None  # one category: P_e = 1
    assert fleiss_kappa([[Y, N], [N, N]]) is None  # two readers: Cohen's, not Fleiss'
    assert fleiss_kappa([]) is None
    with pytest.raises(ValueError, match="each reader"):
        fleiss_kappa([[Y, Y, Y], [Y, Y]])


def test_agreement_pairs_and_terms() -> None:
    ratings = {
        "ann": {
            1: Rating(Y, "tumour"),
            2: Rating(N, "stroma"),
            3: Rating(Y, "tumour"),
            4: Rating(Y),
        },
        "bob": {1: Rating(Y, "tumour"), 2: Rating(Y, "tumour"), 3: Rating(Y, "tumour")},
        "cid": {
            1: Rating(Y, "stroma"),
            2: Rating(N, "stroma"),
            3: Rating(N, "tumour"),
            4: Rating(N),
        },
    }
    result = agreement(ratings, labels=["tumour", "stroma", "necrosis"])
    assert [(p.a, p.b) for p in result.pairs] == [("ann", "bob"), ("ann", "cid"), ("bob", "cid")]
    ab = result.pairs[0]
    assert ab.n == 3 and ab.percent_agreement == pytest.approx(2 / 3)
    # decisions ann YNY, bob YYY: bob constant -> p_e = p_o... kappa 0
    assert ab.decision_kappa == pytest.approx(0.0)
    # terms ann T S T, bob T T T: p_o = 2/3, p_e = (2/3)(1) = 2/3 -> 0
    assert ab.term_kappa == pytest.approx(0.0)
    assert ab.labels == ["tumour", "stroma"] and ab.matrix == [[2, 0], [1, 0]]
    ac = result.pairs[1]
    assert ac.n == 4 and ac.term_n == 3  # item 4 has no term
    # decisions ann Y N Y Y, cid Y N N N: p_o = 2/4; p_e = .75*.25 + .25*.75 = .375 -> .2
    assert ac.decision_kappa == pytest.approx(0.2)
    # three readers decided items 1..3: Y Y Y / N Y N / Y Y N
    # P_i = 1, 1/3, 1/3 -> P_bar = 5/9; p_Y = 6/9 -> P_e = 4/9 + 1/9 = 5/9 -> kappa 0
    assert result.fleiss_n == 3
    assert result.fleiss_kappa == pytest.approx(0.0)
    assert agreement({"ann": ratings["ann"], "bob": ratings["bob"]}).fleiss_kappa is None
