from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from tests import factories
from tests.casework.forms_data import record_session_post


def date_post(name, on):
    return {f"{name}-day": str(on.day), f"{name}-month": str(on.month),
            f"{name}-year": str(on.year)}


def sessions(world):
    adult = world.family.people.get(first_name="Person1")
    today = timezone.localdate()
    for days_ago, marks, srs in ((30, (3, 3, 3, 3), (9, 9, 9, 9)),
                                 (10, (6, 6, 6, 6), (9.5, 9.5, 9.5, 9.5))):
        factories.session(world.practitioner, world.family, today - timedelta(days=days_ago),
                          {adult.pk: (marks, srs)})
    return adult


def test_closing_support_gives_a_summary_in_plain_words(world, signed_in):
    sessions(world)
    client = signed_in(world.practitioner)
    response = client.post(reverse("close_support", args=[world.family.pk]), {
        **date_post("closed_on", timezone.localdate()), "note": "Goals met"})
    episode = world.family.episodes.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("closure_summary", args=[episode.pk])
    page = client.get(response["Location"]).content.decode()
    # Person1: 12.0 then 24.0, +12 is reliable; 24 is below 25, so not over the line.
    assert "Your first rating was <strong>12.0</strong>" in page
    assert "your last was <strong>24.0</strong>" in page
    assert "things got better" in page
    assert "On average you rated our sessions <strong>37.0</strong> out of 40" in page
    assert "Came to 2 sessions" in page
    assert AuditEntry.objects.filter(action="episode.close").exists()
    assert "Ashdown family" not in client.get(reverse("home")).content.decode()


def test_support_cannot_close_before_its_last_session(world, signed_in):
    sessions(world)
    page = signed_in(world.practitioner).post(reverse("close_support", args=[world.family.pk]), {
        **date_post("closed_on", timezone.localdate() - timedelta(days=20))}).content.decode()
    assert "cannot be before the last session" in page
    assert world.family.episodes.get().closed_on is None


def test_a_closed_family_takes_no_sessions_until_reopened(world, signed_in):
    sessions(world)
    client = signed_in(world.practitioner)
    today = timezone.localdate()
    client.post(reverse("close_support", args=[world.family.pk]),
                date_post("closed_on", today - timedelta(days=5)))
    refused = client.get(reverse("record_session", args=[world.family.pk]))
    assert refused.status_code == 302
    response = client.post(reverse("reopen_support", args=[world.family.pk]),
                           date_post("opened_on", today))
    assert response.status_code == 302
    assert world.family.episodes.count() == 2
    saved = client.post(reverse("record_session", args=[world.family.pk]),
                        record_session_post(world.family, today))
    assert saved.status_code == 302


def test_reopening_starts_a_new_baseline(world, signed_in):
    adult = sessions(world)
    client = signed_in(world.practitioner)
    today = timezone.localdate()
    client.post(reverse("close_support", args=[world.family.pk]),
                date_post("closed_on", today - timedelta(days=5)))
    client.post(reverse("reopen_support", args=[world.family.pk]), date_post("opened_on", today))
    factories.session(world.practitioner, world.family, today,
                      {adult.pk: ((2, 2, 2, 2), (9, 9, 9, 9))})
    page = client.get(reverse("family", args=[world.family.pk])).content.decode()
    # 8.0 alone in the new episode: nothing to compare with, so no "got worse" against 24.0.
    assert "Down from" not in page
    assert "closure summary" in page


def test_reopening_cannot_come_before_the_closure(world, signed_in):
    sessions(world)
    client = signed_in(world.practitioner)
    today = timezone.localdate()
    client.post(reverse("close_support", args=[world.family.pk]), date_post("closed_on", today))
    page = client.post(reverse("reopen_support", args=[world.family.pk]),
                       date_post("opened_on", today - timedelta(days=1))).content.decode()
    assert "Support cannot start again before it closed" in page


@pytest.mark.parametrize(("first", "last", "sentence"), [
    ((3, 3, 3, 3), (6, 6, 6, 6),  # 12 to 24: a rise of 12, past the 5 points of reliable change
     "That rise is big enough to say that things got better, not just the ups and downs of "
     "everyday life."),
    ((5, 5, 5, 5), (5.5, 5.5, 5.5, 5.5),  # 20 to 22: inside the band
     "That change is too small to be sure it is more than the ups and downs of everyday life: "
     "things stayed about the same."),
    ((6, 6, 6, 6), (4, 4, 4, 4),  # 24 to 16: a fall of 8
     "That fall is big enough to say that things got harder, not just the ups and downs of "
     "everyday life."),
])
def test_the_summary_says_each_kind_of_change_the_way_a_parent_reads_it(
        world, signed_in, first, last, sentence):
    adult = world.family.people.get(first_name="Person1")
    today = timezone.localdate()
    for days_ago, marks in ((30, first), (10, last)):
        factories.session(world.practitioner, world.family, today - timedelta(days=days_ago),
                          {adult.pk: (marks, (9, 9, 9, 9))})
    client = signed_in(world.practitioner)
    response = client.post(reverse("close_support", args=[world.family.pk]),
                           date_post("closed_on", today))
    page = " ".join(client.get(response["Location"]).content.decode().split())
    person = page.split(">Person1<")[1].split("<h2")[0]
    assert sentence in person
    assert "big enough to say that things stayed" not in page


def test_closed_families_are_listed_for_those_who_may_see_them(world, signed_in):
    sessions(world)
    client = signed_in(world.practitioner)
    client.post(reverse("close_support", args=[world.family.pk]),
                date_post("closed_on", timezone.localdate()))
    home = client.get(reverse("home")).content.decode()
    assert reverse("closed_families") in home
    listed = client.get(reverse("closed_families")).content.decode()
    assert "Ashdown family" in listed and reverse("family", args=[world.family.pk]) in listed
    assert "Ashdown family" in signed_in(world.manager).get(
        reverse("closed_families")).content.decode()
    assert "Ashdown family" not in signed_in(world.colleague_other_team).get(
        reverse("closed_families")).content.decode()


def test_a_closure_made_by_mistake_is_undone_the_same_day_without_a_new_baseline(
        world, signed_in):
    sessions(world)
    client = signed_in(world.practitioner)
    today = timezone.localdate()
    client.post(reverse("close_support", args=[world.family.pk]),
                {**date_post("closed_on", today), "note": "Closed by mistake"})
    family_page = client.get(reverse("family", args=[world.family.pk])).content.decode()
    assert "Undo closing support" in family_page
    response = client.post(reverse("reopen_support", args=[world.family.pk]),
                           date_post("opened_on", today))
    assert response.status_code == 302
    episode = world.family.episodes.get()  # the same period of support, not a new one
    assert episode.is_open and episode.closing_note == ""
    assert AuditEntry.objects.filter(action="episode.undo_close", object_id=episode.pk).exists()
    page = client.get(reverse("family", args=[world.family.pk])).content.decode()
    # 12.0 to 24.0 is still measured from the first rating: no new starting point.
    assert "reliable improvement" in page


def test_an_earlier_closure_offers_no_undo(world, signed_in):
    sessions(world)
    client = signed_in(world.practitioner)
    client.post(reverse("close_support", args=[world.family.pk]),
                date_post("closed_on", timezone.localdate() - timedelta(days=2)))
    page = client.get(reverse("family", args=[world.family.pk])).content.decode()
    assert "Undo closing support" not in page
