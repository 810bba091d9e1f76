"""The family's own rating screen (casework.views.rating.rating_screen), which the tablet's
hand-round and the phone link both draw: reached here through a route made for the test, so that
it is tried the same way whichever page uses it."""

import uuid

import pytest
from django.urls import include, path
from django.utils import timezone

from familyfeedback.casework import actions
from familyfeedback.casework.access import get_session_for
from familyfeedback.casework.models import Person, Session
from familyfeedback.casework.views.rating import rating_screen


def _screen(request, session_id: int, person_id: int, tool: str):
    session = get_session_for(request.user, session_id)
    person = session.present.get(pk=person_id)
    return rating_screen(request, session, person, tool, channel="tablet", then="/done/",
                         actor=request.user, named=request.GET.get("named") != "no")


urlpatterns = [path("test-rate/<int:session_id>/<int:person_id>/<str:tool>/", _screen),
               path("", include("familyfeedback.urls"))]


@pytest.fixture
def started(world):
    people = list(world.family.people.order_by("date_of_birth"))
    session, _ = actions.record_session(
        world.practitioner, world.family, token=uuid.uuid4(), on=timezone.localdate(),
        kind="home_visit", present=people, entries=[], stage=Session.Stage.STARTED)
    return session, people


pytestmark = pytest.mark.urls(__name__)


def test_an_adult_marks_four_lines_and_the_rating_is_saved_as_given_on_the_tablet(
        world, client, started):
    session, people = started
    client.force_login(world.practitioner)
    url = f"/test-rate/{session.pk}/{people[0].pk}/ORS/"
    page = client.get(url).content.decode()
    assert "How have things been?" in page and f"For {people[0].first_name}" in page
    marks = {f"rating-item_{n}": "6.5" for n in range(1, 5)}
    response = client.post(url, {**marks, "rating-shown_measure": "ORS", "rating-helped": "on"})
    assert response.status_code == 302 and response["Location"] == "/done/"
    given = session.administrations.get()
    assert (given.total, given.channel, given.helped) == (26, "tablet", True)


def test_a_missing_line_is_named_and_what_was_typed_is_kept(world, client, started):
    session, people = started
    client.force_login(world.practitioner)
    response = client.post(f"/test-rate/{session.pk}/{people[0].pk}/SRS/", {
        "rating-item_1": "7.1", "rating-item_2": "8", "rating-item_3": "",
        "rating-item_4": "12", "rating-shown_measure": "SRS"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert page.count("Put a mark on the line for") == 4  # two lines, in summary and field
    assert 'value="7.1"' in page and 'value="12"' in page
    assert "not about the worker" in page
    assert session.administrations.count() == 0


def test_a_child_sees_faces_at_the_line_ends_and_a_young_child_chooses_a_face(
        world, client, started):
    session, people = started
    client.force_login(world.practitioner)
    nine, four = people[2], people[3]
    child = client.get(f"/test-rate/{session.pk}/{nine.pk}/ORS/").content.decode()
    assert child.count('class="ff-face"') == 8  # a sad and a happy face on each of four lines
    young = f"/test-rate/{session.pk}/{four.pk}/SRS/"
    assert "Which face shows how today was?" in client.get(young).content.decode()
    assert client.post(young, {"rating-face": "happy",
                               "rating-shown_measure": "YCSRS"}).status_code == 302
    assert session.administrations.get(person=four).face == "happy"


def test_unnamed_the_screen_names_no_one_and_in_welsh_it_speaks_welsh(world, client, started):
    session, people = started
    Person.objects.filter(pk=people[0].pk).update(preferred_language="cy")
    client.force_login(world.practitioner)
    url = f"/test-rate/{session.pk}/{people[0].pk}/SRS/"
    page = client.get(url + "?named=no").content.decode()
    assert people[0].first_name not in page and people[0].last_name not in page
    assert '<html lang="cy" dir="ltr"' in page and "Sut oedd sesiwn heddiw?" in page
    assert "Nid yw am y gweithiwr" in page
    english = client.get(url + "?named=no&lang=en").content.decode()
    assert '<html lang="en"' in english and "How was today's session?" in english


def test_a_rating_sent_after_the_session_ended_gets_a_kind_page(world, client, started):
    session, people = started
    actions.finish_session(world.practitioner, session, [])
    client.force_login(world.practitioner)
    response = client.post(f"/test-rate/{session.pk}/{people[0].pk}/SRS/", {
        **{f"rating-item_{n}": "9" for n in range(1, 5)}, "rating-shown_measure": "SRS"})
    assert "This session has ended" in response.content.decode()
    assert session.administrations.count() == 0
