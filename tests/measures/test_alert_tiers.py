"""Alerts in three tiers, so that the few that need acting on are not lost among the many: act
now (reliable deterioration, below the expected range), talk about it (no reliable improvement by
the review point, a low session rating) and for the record (the rest). A session rating's drop
counts only from a configured amount (default 1 point, OpenFIT's rule)."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.measures import (
    DEFAULT_SESSION_DROP,
    Alert,
    AlertCode,
    Score,
    Tier,
    by_tier,
    outcome_alerts,
    session_alerts,
)

START = date(2026, 1, 5)


def srs_totals(*totals):
    """Session ratings with items high enough (9 or more) that only the total can raise alerts."""
    return [Score(START + timedelta(weeks=n), "SRS", D(str(t)), {})
            for n, t in enumerate(totals)]


def test_each_rule_has_the_tier_the_service_agreed():
    assert {code: code.tier for code in AlertCode} == {
        AlertCode.RELIABLE_DETERIORATION: Tier.ACT_NOW,
        AlertCode.BELOW_EXPECTED: Tier.ACT_NOW,
        AlertCode.NO_RELIABLE_IMPROVEMENT: Tier.TALK_ABOUT_IT,
        AlertCode.LOW_SESSION_TOTAL: Tier.TALK_ABOUT_IT,
        AlertCode.INTAKE_ABOVE_CUTOFF: Tier.FOR_THE_RECORD,
        AlertCode.LOW_SESSION_ITEM: Tier.FOR_THE_RECORD,
        AlertCode.SESSION_RATING_DROPPED: Tier.FOR_THE_RECORD,
    }


def test_the_tiers_read_in_order_and_only_the_first_two_are_listed():
    assert [t.label for t in sorted(Tier, key=lambda t: t.rank)] == [
        "Act now", "Talk about it", "For the record"]
    assert [t for t in Tier if t.listed] == [Tier.ACT_NOW, Tier.TALK_ABOUT_IT]


def test_the_default_drop_is_one_point():
    assert D(1) == DEFAULT_SESSION_DROP


def test_a_drop_of_exactly_the_configured_amount_is_raised():
    assert [a.code for a in session_alerts(srs_totals(39, 38))] == [
        AlertCode.SESSION_RATING_DROPPED]
    assert [a.code for a in session_alerts(srs_totals(39.5, 37.5), drop=D(2))] == [
        AlertCode.SESSION_RATING_DROPPED]


def test_a_drop_just_under_the_configured_amount_is_not():
    assert session_alerts(srs_totals(39, 38.1)) == []
    assert session_alerts(srs_totals(39.5, 37.6), drop=D(2)) == []


def test_the_drop_alert_says_how_far_it_fell_and_the_rule():
    reason = session_alerts(srs_totals(39.5, 37.5))[0].reason
    assert "fell by 2.0 points, from 39.5 to 37.5" in reason
    assert "1 point or more" in reason


session_totals = st.decimals(min_value=0, max_value=40, places=1)
drops = st.decimals(min_value=D("0.1"), max_value=10, places=1)


@given(before=session_totals, latest=session_totals, drop=drops)
def test_a_drop_is_raised_exactly_when_it_reaches_the_configured_amount(before, latest, drop):
    raised = AlertCode.SESSION_RATING_DROPPED in {
        a.code for a in session_alerts(srs_totals(before, latest), drop=drop)}
    assert raised == (before - latest >= drop)


outcome_totals = st.lists(st.decimals(min_value=0, max_value=40, places=1), min_size=1,
                          max_size=8)


@given(totals=outcome_totals, review_after=st.integers(min_value=2, max_value=6),
       expected_low=st.none() | st.decimals(min_value=0, max_value=40, places=1))
def test_every_reliable_deterioration_is_in_the_first_tier(totals, review_after, expected_low):
    scores = [Score(START + timedelta(weeks=n), "ORS", t) for n, t in enumerate(totals)]
    alerts = outcome_alerts(scores, cutoff=D(25), rci=D(5), review_after=review_after,
                            expected_low=expected_low)
    if len(totals) > 1 and totals[-1] - totals[0] <= -5:
        assert Tier.ACT_NOW in {a.tier for a in alerts}
    ordered = by_tier(alerts)
    assert sorted(ordered, key=lambda a: a.code) == sorted(alerts, key=lambda a: a.code)


alerts = st.lists(st.builds(Alert, code=st.sampled_from(AlertCode), reason=st.text(max_size=5),
                            on=st.dates()), max_size=12)


@given(alerts)
def test_by_tier_puts_act_now_first_and_keeps_the_order_within_a_tier(items):
    ordered = by_tier(items)
    assert sorted(ordered, key=id) == sorted(items, key=id)
    assert [a.tier.rank for a in ordered] == sorted(a.tier.rank for a in items)
    for tier in Tier:
        assert [a for a in ordered if a.tier is tier] == [a for a in items if a.tier is tier]


def test_a_flat_line_that_started_above_the_cutoff_is_not_raised_as_no_improvement():
    scores = [Score(START + timedelta(weeks=n), "ORS", D(t)) for n, t in enumerate((26, 27, 26))]
    assert [a.code for a in outcome_alerts(scores, cutoff=D(25), rci=D(5))] == [
        AlertCode.INTAKE_ABOVE_CUTOFF]
    below = [Score(s.on, s.measure, s.total - 2) for s in scores]
    assert [a.code for a in outcome_alerts(below, cutoff=D(25), rci=D(5))] == [
        AlertCode.NO_RELIABLE_IMPROVEMENT]
