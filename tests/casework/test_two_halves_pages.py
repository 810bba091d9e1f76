"""The family-facing rating screens of a session given in two halves, on the tablet."""

import uuid
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework import actions
from familyfeedback.casework.models import Administration, Session
from familyfeedback.casework.views.rating import rating_screen


def started(world) -> Session:
    session, _ = actions.record_session(
        world.practitioner, world.family, token=uuid.uuid4(), on=timezone.localdate(),
        kind="home_visit", present=list(world.family.people.all()), entries=[],
        stage=Session.Stage.STARTED)
    return session


def by_name(world):
    return {p.first_name: p for p in world.family.people.all()}


def rate_url(session, person, tool):
    return reverse("session_rate", args=[session.pk, person.pk, tool])


LINES = {"rating-item_1": "4.5", "rating-item_2": "5", "rating-item_3": "6.1",
         "rating-item_4": "3.2"}


def test_an_adult_rates_on_the_tablet_and_the_next_person_is_handed_it(world, signed_in):
    client = signed_in(world.practitioner)
    session = started(world)
    people = by_name(world)
    page = client.get(rate_url(session, people["Person1"], "ORS"))
    assert page.status_code == 200
    assert "Sign out" not in page.text and "Person2" not in page.text
    assert AuditEntry.objects.filter(action="session.view_rating_screen").count() == 1
    sent = client.post(rate_url(session, people["Person1"], "ORS"),
                       {**LINES, "rating-shown_measure": "ORS", "rating-helped": "on"})
    assert sent.status_code == 302
    saved = Administration.objects.get(session=session)
    assert (saved.total, saved.channel, saved.helped) == (Decimal("18.8"), "tablet", True)
    hand = client.get(sent["Location"])
    assert "Hand the tablet to Person2" in hand.text


def test_a_second_send_keeps_the_first(world, signed_in):
    client = signed_in(world.practitioner)
    session = started(world)
    mum = by_name(world)["Person1"]
    client.post(rate_url(session, mum, "ORS"), {**LINES, "rating-shown_measure": "ORS"})
    client.post(rate_url(session, mum, "ORS"),
                {**LINES, "rating-item_1": "0", "rating-shown_measure": "ORS"})
    assert Administration.objects.get(session=session).items()["item_1"] == Decimal("4.5")


def test_bad_marks_redraw_the_screen_with_what_was_typed(world, signed_in):
    client = signed_in(world.practitioner)
    session = started(world)
    page = client.post(rate_url(session, by_name(world)["Person1"], "ORS"),
                       {**LINES, "rating-item_2": "11", "rating-shown_measure": "ORS"})
    assert page.status_code == 200
    assert "There is a problem" in page.text and 'value="11"' in page.text
    assert 'value="6.1"' in page.text
    assert not Administration.objects.exists()


def test_the_child_and_young_child_screens(world, signed_in):
    client = signed_in(world.practitioner)
    session = started(world)
    people = by_name(world)
    child = client.get(rate_url(session, people["Person3"], "ORS")).text
    assert child.count('class="ff-face"') == 8  # a sad and a happy face on each of four lines
    young = client.get(rate_url(session, people["Person4"], "SRS")).text
    assert 'capture="environment"' in young and "not about the worker" in young
    sent = client.post(rate_url(session, people["Person4"], "SRS"),
                       {"rating-face": "happy", "rating-shown_measure": "YCSRS"})
    assert sent.status_code == 302
    assert Administration.objects.get(session=session).face == "happy"


def test_a_rating_after_the_end_gets_a_kind_page(world, signed_in):
    client = signed_in(world.practitioner)
    session = started(world)
    session.stage = Session.Stage.COMPLETE
    session.save()
    page = client.post(rate_url(session, by_name(world)["Person1"], "ORS"),
                       {**LINES, "rating-shown_measure": "ORS"})
    assert page.status_code == 200 and "This session has ended" in page.text


def test_another_teams_practitioner_gets_404(world, signed_in):
    session = started(world)
    client = signed_in(world.colleague_other_team)
    mum = by_name(world)["Person1"]
    assert client.get(rate_url(session, mum, "ORS")).status_code == 404
    assert client.post(rate_url(session, mum, "ORS"), LINES).status_code == 404
    assert client.get(reverse("session_hand_over", args=[session.pk, "ORS"])).status_code == 404


def start_post(world, **extra):
    on = timezone.localdate()
    return {"token": str(uuid.uuid4()), "date-day": on.day, "date-month": on.month,
            "date-year": on.year, "kind": "home_visit",
            "present": [str(p.pk) for p in world.family.people.all()], **extra}


def test_a_session_starts_on_its_own_page_and_hands_the_tablet_to_the_oldest(world, signed_in):
    client = signed_in(world.practitioner)
    page = client.get(reverse("start_session", args=[world.family.pk]))
    assert page.status_code == 200
    assert AuditEntry.objects.filter(action="family.view_start_session").count() == 1
    sent = client.post(reverse("start_session", args=[world.family.pk]), start_post(world))
    session = Session.objects.get()
    assert session.stage == Session.Stage.STARTED
    assert sent["Location"] == reverse("session_hand_over", args=[session.pk, "ORS"])
    oldest = world.family.people.order_by("date_of_birth").first()
    assert f"Hand the tablet to {oldest.first_name}" in client.get(sent["Location"]).text


def test_a_bad_start_keeps_what_was_typed(world, signed_in):
    client = signed_in(world.practitioner)
    page = client.post(reverse("start_session", args=[world.family.pk]),
                       start_post(world, **{"date-month": "13", "kind": "group"}))
    assert page.status_code == 200 and "There is a problem" in page.text
    assert 'value="13"' in page.text
    assert not Session.objects.exists()


def test_a_started_session_waits_on_the_caseload_until_it_is_ended(world, signed_in):
    client = signed_in(world.practitioner)
    session = started(world)
    people = by_name(world)
    for name in ("Person1", "Person2"):
        client.post(rate_url(session, people[name], "ORS"),
                    {**LINES, "rating-shown_measure": "ORS"})
    home = client.get(reverse("home")).text
    assert "Sessions waiting for end ratings" in home
    assert reverse("session", args=[session.pk]) in home
    hub = client.get(reverse("session", args=[session.pk])).text
    assert "Waiting for end ratings" in hub and "Still to say how things have been: Person3" in hub
    assert "Given on the practitioner&#39;s tablet" in hub
    end = client.get(reverse("end_session", args=[session.pk]))
    assert AuditEntry.objects.filter(action="session.view_end_form").count() == 1
    # Two start ratings and four end ratings are missing: each gets a reason.
    reasons = {}
    for prefix in ("p{}-ors".format(people["Person3"].pk), "p{}-ors".format(people["Person4"].pk),
                   *(f"p{p.pk}-srs" for p in people.values())):
        assert f'name="{prefix}-status"' in end.text
        reasons |= {f"{prefix}-status": "not_administered", f"{prefix}-reason": "declined"}
    half = dict(reasons, **{f"p{people['Person4'].pk}-srs-reason": ""})
    wrong = client.post(reverse("end_session", args=[session.pk]), half)
    assert wrong.status_code == 200 and "There is a problem" in wrong.text
    assert Session.objects.get().stage == Session.Stage.STARTED
    ended = client.post(reverse("end_session", args=[session.pk]), reasons)
    assert ended["Location"] == reverse("session", args=[session.pk])
    assert Session.objects.get().stage == Session.Stage.COMPLETE
    assert Administration.objects.filter(session=session, status="not_administered").count() == 6
    assert "Sessions waiting for end ratings" not in client.get(reverse("home")).text
    assert "Waiting for end ratings" not in client.get(reverse("session", args=[session.pk])).text


def test_the_new_pages_are_404_to_another_team(world, signed_in):
    session = started(world)
    client = signed_in(world.colleague_other_team)
    assert client.get(reverse("start_session", args=[world.family.pk])).status_code == 404
    assert client.post(reverse("start_session", args=[world.family.pk]),
                       start_post(world)).status_code == 404
    assert client.get(reverse("end_session", args=[session.pk])).status_code == 404
    assert client.post(reverse("end_session", args=[session.pk]), {}).status_code == 404
    assert Session.objects.get().stage == Session.Stage.STARTED


def test_the_tablet_can_go_to_someone_else_first(world, signed_in):
    client = signed_in(world.practitioner)
    session = started(world)
    people = by_name(world)
    hand = client.get(reverse("session_hand_over", args=[session.pk, "SRS"])).text
    assert "Hand the tablet to Person1" in hand
    assert rate_url(session, people["Person4"], "SRS") in hand


def test_a_persons_own_screen_speaks_to_them_and_names_no_one_in_its_messages(world, signed_in):
    client = signed_in(world.practitioner)
    session = started(world)
    people = by_name(world)
    lines = client.post(rate_url(session, people["Person1"], "ORS"),
                        {**LINES, "rating-item_2": "", "rating-shown_measure": "ORS"}).text
    faces = client.post(rate_url(session, people["Person4"], "ORS"),
                        {"rating-shown_measure": "YCORS"}).text
    assert "Choose a face" in faces and "Put a mark on the line for" in lines
    assert "Person1&#39;s" not in lines and "Person4 chose" not in faces


def test_an_unnamed_screen_shows_no_name_anywhere(world, rf):
    session = started(world)
    mum = by_name(world)["Person1"]
    request = rf.get("/")
    request.user = world.practitioner
    page = rating_screen(request, session, mum, "SRS", channel="own_device", then="/",
                         actor=None, named=False).content.decode()
    assert "How was today's session?" in page
    assert mum.first_name not in page and world.family.name not in page
    assert "<title>How was today's session? – " in page
