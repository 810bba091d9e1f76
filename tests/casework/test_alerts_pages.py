from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import AlertAcknowledgement
from tests import factories


def worsening(world):
    """The first adult's ORS falls from 20.0 to 14.0 (reliable deterioration, 6 >= 5)."""
    adult = world.family.people.get(first_name="Person1")
    today = timezone.localdate()
    factories.session(world.practitioner, world.family, today - timedelta(days=14),
                      {adult.pk: ((5, 5, 5, 5), (9, 9, 9, 9))})
    factories.session(world.practitioner, world.family, today - timedelta(days=7),
                      {adult.pk: ((3.5, 3.5, 3.5, 3.5), (9, 9, 9, 9))})
    return adult, today - timedelta(days=7)


def test_the_caseload_says_who_needs_a_different_conversation(world, signed_in):
    worsening(world)
    page = signed_in(world.practitioner).get(reverse("home")).content.decode()
    assert "Person1: got worse" in page


def test_the_family_page_gives_the_reason_and_links_to_the_chart(world, signed_in):
    adult, _ = worsening(world)
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert "Down from 20.0 to 14.0" in page
    assert f'href="#ors-{adult.pk}"' in page


def test_acknowledging_takes_the_alert_off_the_caseload_but_keeps_it_on_the_record(
        world, signed_in):
    adult, fired_on = worsening(world)
    client = signed_in(world.practitioner)
    response = client.post(reverse("acknowledge_alert", args=[adult.pk]), {
        "code": "reliable_deterioration", "fired_on": fired_on.isoformat(),
        "note": "Talked about the move; referred to housing support"})
    assert response.status_code == 302
    assert "Person1: got worse" not in client.get(reverse("home")).content.decode()
    family_page = client.get(reverse("family", args=[world.family.pk])).content.decode()
    assert "Alerts dealt with" in family_page and "referred to housing support" in family_page
    entry = AuditEntry.objects.get(action="alert.acknowledge")
    assert entry.changes == {"code": "reliable_deterioration", "fired_on": fired_on.isoformat()}


def test_a_later_score_that_is_still_worse_raises_the_alert_again(world, signed_in):
    adult, fired_on = worsening(world)
    AlertAcknowledgement.objects.create(person=adult, code="reliable_deterioration",
                                        fired_on=fired_on, note="seen", by=world.practitioner)
    factories.session(world.practitioner, world.family, timezone.localdate(),
                      {adult.pk: ((3, 3, 3, 3), (9, 9, 9, 9))})
    page = signed_in(world.practitioner).get(reverse("home")).content.decode()
    assert "Person1: got worse" in page


def test_an_acknowledgement_needs_a_note_and_keeps_the_form_open(world, signed_in):
    adult, fired_on = worsening(world)
    page = signed_in(world.practitioner).post(reverse("acknowledge_alert", args=[adult.pk]), {
        "code": "reliable_deterioration", "fired_on": fired_on.isoformat(), "note": ""},
    ).content.decode()
    assert "There is a problem" in page
    assert "Say what you did or will do about this alert" in page
    assert not AlertAcknowledgement.objects.exists()


def test_an_alert_no_longer_raised_cannot_be_acknowledged(world, signed_in):
    adult, fired_on = worsening(world)
    page = signed_in(world.practitioner).post(reverse("acknowledge_alert", args=[adult.pk]), {
        "code": "reliable_deterioration", "fired_on": (fired_on - timedelta(days=1)).isoformat(),
        "note": "x"}).content.decode()
    assert "This alert is no longer raised" in page
    assert not AlertAcknowledgement.objects.exists()


def test_the_page_names_the_reliable_change_values_in_use(world, signed_in, settings):
    settings.RELIABLE_CHANGE_STANDARD = "cyp_iapt_2015"
    worsening(world)
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert "CYP IAPT 2015 thresholds (ORS 6.6 points, CORS 10)" in page
    # A fall of 6 is not reliable at 6.6.
    assert "Down from 20.0 to 14.0" not in page


def test_a_score_below_the_expected_range_raises_an_alert(world, signed_in):
    from familyfeedback.casework.models import TrajectoryCurve, TrajectoryFit

    fit = TrajectoryFit.objects.create(closed_episodes=60, trajectories_used=[], notes={})
    # People starting anywhere are expected at 20 + 5 log(n), give or take very little.
    TrajectoryCurve.objects.create(fit=fit, measure="ORS", band_low=0, band_high=41,
                                   intercept=20, slope=5, re_cov=[[0.01, 0], [0, 0.01]],
                                   residual_var=0.01, trajectories=60, observations=300)
    adult = world.family.people.get(first_name="Person1")
    today = timezone.localdate()
    for days_ago in (14, 7):  # 20.0 twice: at the second rating 23.5 is expected
        factories.session(world.practitioner, world.family, today - timedelta(days=days_ago),
                          {adult.pk: ((5, 5, 5, 5), (9, 9, 9, 9))})
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert "Person1: below the expected range." in page
    assert "ff-chart__expected" in page
