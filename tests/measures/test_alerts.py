from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.measures import (
    AlertCode,
    ChangeClass,
    Score,
    outcome_alerts,
    session_alerts,
    summarise,
)

START = date(2026, 1, 5)


def ors(*totals, measure="ORS"):
    return [Score(START + timedelta(weeks=n), measure, D(str(t))) for n, t in enumerate(totals)]


def srs(*item_sets):
    scores = []
    for n, items in enumerate(item_sets):
        values = {f"item_{i}": D(str(v)) for i, v in enumerate(items, start=1)}
        scores.append(Score(START + timedelta(weeks=n), "SRS", sum(values.values()), values))
    return scores


def codes(alerts):
    return [a.code for a in alerts]


def test_a_drop_of_the_reliable_change_value_is_a_deterioration():
    alerts = outcome_alerts(ors(20, 15), cutoff=D(25), rci=D(5))
    assert codes(alerts) == [AlertCode.RELIABLE_DETERIORATION]
    assert "Down from 20 to 15" in alerts[0].reason
    assert alerts[0].on == START + timedelta(weeks=1)


def test_a_drop_just_under_the_value_is_not():
    assert outcome_alerts(ors(20, 15.1), cutoff=D(25), rci=D(5)) == []


def test_no_reliable_improvement_is_raised_at_the_nth_rating_not_before():
    assert outcome_alerts(ors(15, 16), cutoff=D(25), rci=D(5), review_after=3) == []
    assert codes(outcome_alerts(ors(15, 16, 17), cutoff=D(25), rci=D(5), review_after=3)) == [
        AlertCode.NO_RELIABLE_IMPROVEMENT]
    assert outcome_alerts(ors(15, 16, 20), cutoff=D(25), rci=D(5), review_after=3) == []


def test_an_intake_at_the_cutoff_asks_whether_the_score_matches_their_story():
    assert codes(outcome_alerts(ors(25), cutoff=D(25), rci=D(5))) == [
        AlertCode.INTAKE_ABOVE_CUTOFF]
    assert outcome_alerts(ors(24.9), cutoff=D(25), rci=D(5)) == []


def test_below_the_expected_band_is_raised_only_when_a_band_is_known():
    assert outcome_alerts(ors(15, 16), cutoff=D(25), rci=D(5)) == []
    assert codes(outcome_alerts(ors(15, 16), cutoff=D(25), rci=D(5),
                                expected_low=D("16.5"))) == [AlertCode.BELOW_EXPECTED]
    assert outcome_alerts(ors(15, 16.5), cutoff=D(25), rci=D(5), expected_low=D("16.5")) == []


def test_a_session_total_of_36_is_fine_and_35_9_is_not():
    assert session_alerts(srs((9, 9, 9, 9))) == []
    assert codes(session_alerts(srs((9, 9, 9, 8.9)))) == [AlertCode.LOW_SESSION_TOTAL,
                                                          AlertCode.LOW_SESSION_ITEM]


def test_one_low_item_behind_a_high_total_is_raised():
    alerts = session_alerts(srs((10, 8.9, 10, 10)))
    assert codes(alerts) == [AlertCode.LOW_SESSION_ITEM]
    assert "8.9" in alerts[0].reason


def test_a_dip_below_the_drop_amount_is_not_raised_and_an_equal_rating_is_not():
    assert session_alerts(srs((10, 10, 10, 10), (10, 10, 10, 9.1))) == []
    assert codes(session_alerts(srs((10, 10, 10, 10), (10, 10, 9.5, 9.5)))) == [
        AlertCode.SESSION_RATING_DROPPED]
    assert session_alerts(srs((10, 10, 10, 9.9), (10, 10, 9.9, 10))) == []


def test_a_summary_classifies_change_from_the_first_to_the_latest():
    summary = summarise(ors(12, 15, 19), cutoff=D(25), rci=D(5))
    assert (summary.completed, summary.change, summary.change_class) == (
        3, D(7), ChangeClass.IMPROVED)
    assert summary.clinically_significant is False
    crossed = summarise(ors(20, 26), cutoff=D(25), rci=D(5))
    assert crossed.clinically_significant is True


def test_one_rating_has_no_change_class():
    summary = summarise(ors(12), cutoff=D(25), rci=D(5))
    assert (summary.change, summary.change_class, summary.clinically_significant) == (
        D(0), None, None)
    assert summarise([], cutoff=D(25), rci=D(5)) is None


totals = st.decimals(min_value=0, max_value=40, places=1)


@given(first=totals, latest=totals)
def test_deterioration_is_raised_exactly_when_the_change_is_reliably_down(first, latest):
    alerts = codes(outcome_alerts(ors(first, latest), cutoff=None, rci=D(5), review_after=99))
    assert (AlertCode.RELIABLE_DETERIORATION in alerts) == (latest - first <= -5)


@given(first=totals, middle=totals, latest=totals)
def test_an_improvement_never_raises_no_improvement(first, middle, latest):
    alerts = codes(outcome_alerts(ors(first, middle, latest), cutoff=None, rci=D(5)))
    if latest - first >= 5:
        assert AlertCode.NO_RELIABLE_IMPROVEMENT not in alerts
    else:
        assert (AlertCode.NO_RELIABLE_IMPROVEMENT in alerts) != (latest - first <= -5)


def test_session_alerts_say_they_are_about_the_session_rating():
    assert {code for code in AlertCode if code.about_session} == {
        AlertCode.LOW_SESSION_TOTAL, AlertCode.LOW_SESSION_ITEM,
        AlertCode.SESSION_RATING_DROPPED}
