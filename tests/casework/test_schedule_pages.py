from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from familyfeedback.casework.models import Administration, Session
from familyfeedback.measures.schedules import parse
from tests import factories
from tests.casework.forms_data import record_session_post


def test_with_a_four_weekly_schedule_someone_rated_last_week_is_not_due(world, signed_in,
                                                                          settings):
    settings.SCHEDULE = parse("every_weeks:4")
    factories.session(world.practitioner, world.family, timezone.localdate() - timedelta(days=7))
    client = signed_in(world.practitioner)
    page = client.get(reverse("record_session", args=[world.family.pk])).content.decode()
    assert "This service uses the tools every 4 weeks" in page
    assert page.count("Not due today</strong>") == 4
    adult = world.family.people.get(first_name="Person1")
    data = record_session_post(world.family, timezone.localdate(), {
        f"p{adult.pk}-ors-status": "not_due", f"p{adult.pk}-srs-status": "not_due"})
    assert client.post(reverse("record_session", args=[world.family.pk]), data).status_code == 302
    latest = Session.objects.latest("id")
    assert not Administration.objects.filter(session=latest, person=adult).exists()
    assert Administration.objects.filter(session=latest).count() == 6


def test_not_due_cannot_be_chosen_when_the_rating_is_due(world, signed_in):
    adult = world.family.people.get(first_name="Person1")
    data = record_session_post(world.family, timezone.localdate(), {
        f"p{adult.pk}-ors-status": "not_due"})
    response = signed_in(world.practitioner).post(
        reverse("record_session", args=[world.family.pk]), data)
    assert response.status_code == 200
    assert Session.objects.count() == 0


def test_the_overdue_list_shows_who_missed_a_time_based_rating(world, signed_in, settings):
    settings.SCHEDULE = parse("every_weeks:4")
    factories.session(world.practitioner, world.family, timezone.localdate() - timedelta(days=50))
    page = signed_in(world.practitioner).get(reverse("overdue")).content.decode()
    due = timezone.localdate() - timedelta(days=50) + timedelta(weeks=4)
    assert page.count("Ashdown family") == 4
    assert f"{due.day} {due:%B %Y}" in page
    assert "Birchley" not in page


def test_nobody_is_overdue_at_every_session_when_every_session_was_rated(world, signed_in):
    factories.session(world.practitioner, world.family, timezone.localdate() - timedelta(days=50))
    page = signed_in(world.practitioner).get(reverse("overdue")).content.decode()
    assert "Nobody's rating is overdue" in page
