"""Cohen's kappa between two coders over paragraphs, against values worked out by hand."""

import pytest

from familyfeedback.stats.agreement import (
    NO_UNITS,
    NO_VARIANCE,
    applied,
    kappa,
    paragraph_agreement,
)

# Ten paragraphs: both coders say yes to 4, only the first to 1, only the second to 2, neither
# to 3. Observed agreement (4 + 3) / 10 = 0.7; the first says yes to 5/10, the second to 6/10,
# so chance agreement is 0.5 × 0.6 + 0.5 × 0.4 = 0.5, and kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4.
FIRST = [True] * 4 + [True] + [False] * 2 + [False] * 3
SECOND = [True] * 4 + [False] + [True] * 2 + [False] * 3


def test_kappa_matches_the_hand_worked_example():
    result = kappa(FIRST, SECOND)
    assert result.kappa == pytest.approx(0.4, abs=1e-12)
    assert (result.agreed, result.units, result.both, result.first_only, result.second_only) == (
        7, 10, 4, 1, 2)
    assert result.observed == pytest.approx(0.7)


def test_perfect_agreement_is_one_and_perfect_disagreement_minus_one():
    assert kappa([True, False, True], [True, False, True]).kappa == pytest.approx(1)
    assert kappa([True, False], [False, True]).kappa == pytest.approx(-1)


def test_no_variance_says_kappa_cannot_be_computed_rather_than_nan():
    for answer in (True, False):
        result = kappa([answer] * 6, [answer] * 6)
        assert result.kappa is None
        assert result.why == NO_VARIANCE
        assert result.observed == 1


def test_one_coder_always_yes_the_other_always_no_is_kappa_zero():
    # Chance agreement 1 × 0 + 0 × 1 = 0, observed 0: kappa (0 − 0) / 1 = 0, not undefined.
    assert kappa([True] * 3, [False] * 3).kappa == pytest.approx(0)


def test_no_units_cannot_be_computed():
    result = kappa([], [])
    assert result.kappa is None and result.why == NO_UNITS and result.observed is None


def test_units_must_match():
    with pytest.raises(ValueError):
        kappa([True], [True, False])


def test_a_coding_counts_for_every_paragraph_it_overlaps_and_only_those():
    paragraphs = [(0, 10), (12, 20), (22, 30)]
    # Ends where the second begins: [5, 12) does not reach into [12, 20).
    assert applied(paragraphs, [("a", 5, 12)], "a") == [True, False, False]
    assert applied(paragraphs, [("a", 9, 23)], "a") == [True, True, True]
    assert applied(paragraphs, [("b", 0, 30)], "a") == [False, False, False]
    assert applied(paragraphs, [("a", 10, 12)], "a") == [False, False, False]


def test_agreement_per_theme_and_overall_pools_every_paragraph_and_theme():
    paragraphs = [(0, 4), (5, 9), (10, 14), (15, 19)]
    first = [("x", 0, 4), ("x", 5, 9), ("y", 10, 12)]
    second = [("x", 1, 2), ("y", 10, 19)]
    result = paragraph_agreement(paragraphs, ["x", "y", "z"], first, second)
    # x: first [T, T, F, F], second [T, F, F, F]: po 3/4, pe 1/2·1/4 + 1/2·3/4 = 1/2, kappa 1/2.
    assert result.by_theme["x"].kappa == pytest.approx(0.5)
    # y: first [F, F, T, F], second [F, F, T, T]: po 3/4, pe 1/4·1/2 + 3/4·1/2 = 1/2, kappa 1/2.
    assert result.by_theme["y"].kappa == pytest.approx(0.5)
    # z: nobody used it.
    assert result.by_theme["z"].kappa is None
    # Pooled 12 units: both 2, first only 1, second only 1, neither 8: po 10/12;
    # pe 3/12 · 3/12 + 9/12 · 9/12 = 90/144; kappa (120/144 − 90/144) / (54/144) = 30/54.
    assert result.overall.units == 12
    assert result.overall.kappa == pytest.approx(30 / 54)
