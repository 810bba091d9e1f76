import uuid
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework import actions
from tests import factories


def test_opening_a_family_is_logged(world, signed_in):
    client = signed_in(world.practitioner)
    client.get(reverse("family", args=[world.family.pk]))
    entry = AuditEntry.objects.get(action="family.view")
    assert (entry.actor, entry.object_id) == (world.practitioner, world.family.pk)


def test_the_family_page_draws_each_persons_scores_with_a_table(world, signed_in):
    adult = world.family.people.get(first_name="Person1")
    today = timezone.localdate()
    for days_ago, marks in ((60, (3, 3, 3, 3)), (30, (4, 4, 4, 4)), (1, (5, 5, 5, 5))):
        factories.session(world.practitioner, world.family, today - timedelta(days=days_ago),
                          {adult.pk: (marks, (9, 9, 9, 9))})
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert page.count('class="ff-chart"') == 6  # ORS and SRS for 3 people; faces have no total
    assert f'id="ors-{adult.pk}"' in page
    for total in ("12.0", "16.0", "20.0"):
        assert total in page
    # 12 to 20 is a rise of 8, more than the 5 points of reliable change.
    assert "reliable improvement" in page
    assert "Cut-off 25" in page


def test_the_family_page_says_licensed_wording_is_not_loaded(world, signed_in):
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert "licensed wording" in page.lower()


def test_my_families_shows_latest_ors_and_direction(world, signed_in):
    adult = world.family.people.get(first_name="Person1")
    today = timezone.localdate()
    factories.session(world.practitioner, world.family, today - timedelta(days=8),
                      {adult.pk: ((6, 6, 6, 6), (9, 9, 9, 9))})
    factories.session(world.practitioner, world.family, today - timedelta(days=1),
                      {adult.pk: ((5, 5, 5, 5), (9, 9, 9, 9))})
    page = signed_in(world.practitioner).get(reverse("home")).content.decode()
    assert "Ashdown family" in page
    assert "Person1: 20.0 (down)" in page
    assert "Birchley family" not in page


def test_a_manager_sees_the_families_of_the_teams_they_manage(world, signed_in):
    page = signed_in(world.manager).get(reverse("home")).content.decode()
    assert "Ashdown family" in page and "Birchley family" not in page


def test_the_evaluator_home_shows_no_families(world, signed_in):
    page = signed_in(world.evaluator).get(reverse("home")).content.decode()
    assert "Ashdown" not in page and "Signed in as Evaluator" in page


def test_a_reliable_improvement_across_the_cutoff_is_called_clinically_significant(
        world, signed_in):
    adult = world.family.people.get(first_name="Person1")
    today = timezone.localdate()
    for days_ago, marks in ((30, (5, 5, 5, 5)), (1, (6.5, 6.5, 6.5, 6.5))):  # 20 -> 26
        factories.session(world.practitioner, world.family, today - timedelta(days=days_ago),
                          {adult.pk: (marks, (9, 9, 9, 9))})
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert "clinically significant improvement" in page


def test_a_young_childs_faces_count_as_completed_ratings(world, signed_in):
    child = world.family.people.get(first_name="Person4")  # 4: the YCORS, with faces
    today = timezone.localdate()
    for days_ago in (20, 10, 1):
        factories.session(world.practitioner, world.family, today - timedelta(days=days_ago))
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    section = page.split(f'id="person-{child.pk}-name"')[1].split("</section>")[0]
    assert "not administered" not in section
    assert "No outcome rating" not in section
    assert section.count("happy") == 6  # three outcome and three session ratings
    assert "Outcome rating (YCORS): 3 completed" in section
    assert "Session rating (YCSRS): 3 completed" in section


def test_the_not_administered_count_counts_only_those_not_administered(world, signed_in):
    adult = world.family.people.get(first_name="Person1")
    on = timezone.localdate() - timedelta(days=3)
    actions.record_session(world.practitioner, world.family, token=uuid.uuid4(), on=on,
                           kind="home_visit", present=[adult], entries=[actions.NewAdministration(
                               person=adult, tool="ORS", measure="ORS",
                               status="not_administered", reason="declined")])
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert "No outcome rating completed yet (1 not administered)" in page


def test_a_chart_table_names_the_reason_a_form_was_not_given(world, signed_in):
    adult = world.family.people.get(first_name="Person1")
    today = timezone.localdate()
    marks = {item: Decimal(5) for item in ("item_1", "item_2", "item_3", "item_4")}
    for days, entry in ((10, {"status": "completed", "items": marks}),
                        (3, {"status": "not_administered", "reason": "declined"})):
        actions.record_session(world.practitioner, world.family, token=uuid.uuid4(),
                               on=today - timedelta(days=days), kind="home_visit",
                               present=[adult], entries=[actions.NewAdministration(
                                   person=adult, tool="ORS", measure="ORS", **entry)])
    page = signed_in(world.practitioner).get(
        reverse("family", args=[world.family.pk])).content.decode()
    assert "Not administered: Declined" in page
