"""Unusual viewing (accounts.bulk_views): more families opened by one person within the window
than FF_BULK_VIEW_FAMILIES allows raises one alert, emailed to the data protection contact."""

import pytest
from django.core import mail
from django.utils import timezone

from familyfeedback.accounts import bulk_views
from familyfeedback.accounts.models import BulkViewAlert
from tests import factories
from tests.mail_server import no_mail_server, smtp_inbox  # noqa: F401 (fixtures)

CONTACT = "dpo@council.example.test"


@pytest.fixture
def limits(settings):
    settings.BULK_VIEW_FAMILIES = 2
    settings.BULK_VIEW_MINUTES = 60
    settings.DATA_PROTECTION_EMAIL = CONTACT
    settings.SITE_URL = "https://feedback.council.example.test"
    return settings


@pytest.fixture
def families(world):
    """Four families of the practitioner's team, each with a name that must not be emailed."""
    return [world.family] + [factories.family(world.team, world.practitioner,
                                              name=f"Hawthorn{n} family") for n in range(3)]


def open_families(client, families, django_capture_on_commit_callbacks):
    for family in families:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(f"/families/{family.pk}/").status_code == 200


def test_opening_more_families_than_allowed_emails_the_data_protection_contact(
        world, families, limits, signed_in, django_capture_on_commit_callbacks):
    client = signed_in(world.practitioner)
    open_families(client, families[:2], django_capture_on_commit_callbacks)
    assert not BulkViewAlert.objects.exists() and mail.outbox == []

    open_families(client, families[2:3], django_capture_on_commit_callbacks)
    alert = BulkViewAlert.objects.get()
    assert (alert.user, alert.families, alert.window_minutes, alert.sent_to) == (
        world.practitioner, 3, 60, CONTACT)
    [email] = mail.outbox
    assert email.to == [CONTACT]
    assert f"{world.practitioner} ({world.practitioner.email}) opened 3 different families " \
           "within 60 minutes" in email.body
    assert f"https://feedback.council.example.test/audit/?actor={world.practitioner.pk}" \
        in email.body
    for family in families:
        assert family.name not in email.body and family.case_reference not in email.body


def test_one_alert_per_person_per_window_however_many_more_they_open(
        world, families, limits, signed_in, django_capture_on_commit_callbacks):
    open_families(signed_in(world.practitioner), families, django_capture_on_commit_callbacks)
    assert BulkViewAlert.objects.count() == 1 and len(mail.outbox) == 1


def test_opening_the_same_family_again_and_again_is_not_bulk_viewing(
        world, limits, signed_in, django_capture_on_commit_callbacks):
    open_families(signed_in(world.practitioner), [world.family] * 5,
                  django_capture_on_commit_callbacks)
    assert not BulkViewAlert.objects.exists()


def test_each_person_is_counted_on_their_own(
        world, families, limits, signed_in, django_capture_on_commit_callbacks):
    """The practitioner opens two families and their manager two more: nobody is over."""
    open_families(signed_in(world.practitioner), families[:2], django_capture_on_commit_callbacks)
    open_families(signed_in(world.manager), families[2:], django_capture_on_commit_callbacks)
    assert not BulkViewAlert.objects.exists()


def test_views_before_the_window_are_not_counted(world, families, limits, signed_in,
                                                 django_capture_on_commit_callbacks):
    open_families(signed_in(world.practitioner), families[:2], django_capture_on_commit_callbacks)
    assert bulk_views.families_opened(world.practitioner, timezone.now()) == 0
    assert bulk_views.families_opened(
        world.practitioner, timezone.now() - timezone.timedelta(minutes=1)) == 2


def test_counting_under_the_limit_is_one_query(world, families, limits,
                                               django_assert_num_queries):
    with django_assert_num_queries(1):
        assert bulk_views.check(world.practitioner) is None


def test_with_no_contact_set_the_alert_is_recorded_and_not_emailed(
        world, families, limits, signed_in, django_capture_on_commit_callbacks):
    limits.DATA_PROTECTION_EMAIL = ""
    open_families(signed_in(world.practitioner), families, django_capture_on_commit_callbacks)
    assert BulkViewAlert.objects.get().sent_to == "" and mail.outbox == []


def test_a_mail_server_that_is_down_never_stops_the_family_page(
        world, families, limits, signed_in, django_capture_on_commit_callbacks,
        no_mail_server):  # noqa: F811
    open_families(signed_in(world.practitioner), families, django_capture_on_commit_callbacks)
    assert BulkViewAlert.objects.get().sent_to == ""


def test_the_alert_reaches_a_real_mail_server(
        world, families, limits, signed_in, django_capture_on_commit_callbacks,
        smtp_inbox):  # noqa: F811
    open_families(signed_in(world.practitioner), families, django_capture_on_commit_callbacks)
    assert smtp_inbox.recipients() == [CONTACT]
    assert BulkViewAlert.objects.get().sent_to == CONTACT


def test_administrators_see_the_alerts_and_follow_one_to_the_persons_entries(
        world, families, limits, signed_in, django_capture_on_commit_callbacks):
    open_families(signed_in(world.practitioner), families, django_capture_on_commit_callbacks)
    admin = signed_in(world.administrator)
    page = admin.get("/audit/").content.decode()
    assert "Unusual viewing" in page and f"?actor={world.practitioner.pk}" in page
    assert "4 in 60 minutes" not in page and "3 in 60 minutes" in page
    theirs = admin.get(f"/audit/?actor={world.practitioner.pk}").content.decode()
    assert f"Entries by {world.practitioner}" in theirs
    assert theirs.count("family.view") == 4


def test_an_unreadable_person_filter_shows_the_whole_log(world, signed_in):
    response = signed_in(world.administrator).get("/audit/?actor=nobody&page=x")
    assert response.status_code == 200 and "Entries by" not in response.content.decode()


def test_only_administrators_see_the_alerts(world, signed_in):
    for person in [world.practitioner, world.manager, world.data_team]:
        assert signed_in(person).get("/audit/").status_code == 404
