"""The family picture on the family page, on the family-facing session page and on the printed
page: who may open them, that each look is audited, and that the family sees only its own
picture, in words for the family."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.presenters import family_picture
from familyfeedback.casework.queries import by_person, episode_records
from tests import factories


@pytest.fixture
def pictured(world):
    """The Ashdown family (35, 34, 9 and 4): two sessions, the second far apart and with one
    parent reliably up while the others went down."""
    family = world.family
    mum, dad, child, little = family.people.order_by("-date_of_birth").reverse()
    today = timezone.localdate()
    factories.session(world.practitioner, family, today - timedelta(days=14), {
        mum.pk: ((5, 5, 5, 5), (9, 9, 9, 9)), dad.pk: ((6, 6, 6, 6), (9, 9, 9, 9)),
        child.pk: ((7, 7, 7, 7), (9, 9, 9, 9))})
    last = factories.session(world.practitioner, family, today - timedelta(days=1), {
        mum.pk: ((8, 8, 8, 8), (9, 9, 9, 9)), dad.pk: ((5, 5, 5, 4), (8, 8, 8, 8)),
        child.pk: ((6.5, 6.5, 6.5, 6.5), (9, 9, 9, 9))})
    last.notes = "Internal: worried about the housing"
    last.save()
    return family, (mum, dad, child, little), last


def test_the_picture_says_who_is_far_apart_and_who_moved_against_the_others(world, pictured):
    family, (mum, dad, child, little), _ = pictured
    records = episode_records(family.episodes.get())
    picture = family_picture(list(family.people.all()), by_person(records), timezone.localdate())
    # Mum 32, Dad 19, the child 26 at the last session: 13 points apart.
    assert any(f"{dad.first_name} rated things 13 points lower than {mum.first_name}. Ask each"
               in p for p in picture.prompts), picture.prompts
    assert any(f"{mum.first_name}'s rating went up 12 points while" in p
               for p in picture.prompts), picture.prompts
    assert picture.left_out == [f"{little.first_name} chose faces, which have no number to "
                                f"draw: {little.first_name} is not on the chart."]
    assert [s.name for s in picture.chart.series] == [mum.first_name, dad.first_name,
                                                      child.first_name]
    # Each person's own cut-off: 25 for the adults, 32 for the child's CORS.
    assert {c.value: c.names for c in picture.chart.cutoffs} == {
        25: (mum.first_name, dad.first_name), 32: (child.first_name,)}
    faces = [r for r in picture.session_ratings if r.name == little.first_name]
    assert faces[0].face == "happy" and faces[0].total is None


def test_the_family_page_has_the_family_picture(world, pictured, signed_in):
    family, _, _ = pictured
    page = signed_in(world.practitioner).get(reverse("family", args=[family.pk])).content.decode()
    assert "Family picture" in page and "Ask each of them what they see." in page
    assert reverse("family_picture_print", args=[family.pk]) in page


@pytest.mark.parametrize("name", ["session_family_picture", "family_picture_print"])
def test_the_family_facing_pages_show_only_this_family_and_no_internal_notes(world, pictured,
                                                                          signed_in, name):
    family, _, session = pictured
    arg = session.pk if name == "session_family_picture" else family.pk
    response = signed_in(world.practitioner).get(reverse(name, args=[arg]))
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "What does each of you see?" in page
    for hidden in (family.case_reference, session.notes, "Act now", "Talk about it",
                   world.other_family.name, "Ask each of them"):
        assert hidden not in page
    assert "<title>Your family picture" in page


@pytest.mark.parametrize("name", ["session_family_picture", "family_picture_print"])
def test_a_practitioner_in_another_team_gets_not_found(world, pictured, signed_in, name):
    family, _, session = pictured
    arg = session.pk if name == "session_family_picture" else family.pk
    assert signed_in(world.colleague_other_team).get(reverse(name, args=[arg])).status_code == 404


@pytest.mark.parametrize(("name", "action", "object_type"), [
    ("session_family_picture", "session.view_family_picture", "session"),
    ("family_picture_print", "family.view_family_picture", "family"),
])
def test_opening_a_family_picture_is_audited(world, pictured, signed_in, name, action,
                                             object_type):
    family, _, session = pictured
    obj = session if object_type == "session" else family
    before = AuditEntry.objects.count()
    signed_in(world.practitioner).get(reverse(name, args=[obj.pk]))
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.get(action=action)
    assert (entry.actor, entry.object_type, str(entry.object_id)) == (
        world.practitioner, object_type, str(obj.pk))


def test_the_session_picture_shows_the_family_as_it_was_at_that_session(world, pictured,
                                                                        signed_in):
    family, (mum, _, _, _), last = pictured
    factories.session(world.practitioner, family, timezone.localdate(),
                      {mum.pk: ((1, 1, 1, 1), (9, 9, 9, 9))})
    page = signed_in(world.practitioner).get(
        reverse("session_family_picture", args=[last.pk])).content.decode()
    # Two sessions in the table: the later one is not yet part of that session's picture.
    assert page.count('<th scope="row"') == 2
    assert ">4.0<" not in page and ">32.0<" in page


def test_the_spread_setting_changes_what_the_page_says(world, pictured, signed_in, settings):
    family, _, session = pictured
    settings.FAMILY_SPREAD = 14
    page = signed_in(world.practitioner).get(
        reverse("session_family_picture", args=[session.pk])).content.decode()
    assert "lower than" not in page and "within 13 points of each other" in page


def test_a_family_who_all_rate_the_same_is_told_so_plainly(world, signed_in):
    family = factories.family(world.team, world.practitioner, ages=(35, 34))
    session = factories.session(world.practitioner, family, timezone.localdate())
    page = signed_in(world.practitioner).get(
        reverse("session_family_picture", args=[session.pk])).content.decode()
    assert "everyone rated things the same" in page and "within 0" not in page
