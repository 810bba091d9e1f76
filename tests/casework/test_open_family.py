"""The open-a-family page: a practitioner or manager opens a family with its household in one
go, the case reference is one in the whole service however it is written, the key worker is a
member of the team, and a page with a problem keeps everything typed."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry, Membership
from familyfeedback.casework.models import Episode, Family, Person
from tests import factories

TODAY = timezone.localdate()
URL = "/families/new/"


def person_row(n: int, first="", last="", born: date | None = None, language="en",
               interpreter=False) -> dict:
    row = {f"person-{n}-first_name": first, f"person-{n}-last_name": last,
           f"person-{n}-date_of_birth-day": str(born.day) if born else "",
           f"person-{n}-date_of_birth-month": str(born.month) if born else "",
           f"person-{n}-date_of_birth-year": str(born.year) if born else "",
           f"person-{n}-preferred_language": language}
    if interpreter:
        row[f"person-{n}-needs_interpreter"] = "on"
    return row


def family_post(world, **changes) -> dict:
    started = TODAY - timedelta(days=3)
    data = {"rows": "3", "name": "Carrow family", "case_reference": "EH-5001",
            "team": str(world.team.pk), "key_worker": str(world.practitioner.pk),
            "opened_on-day": str(started.day), "opened_on-month": str(started.month),
            "opened_on-year": str(started.year),
            **person_row(0, "Dee", "Carrow", date(1990, 4, 2)),
            **person_row(1, "Eli", "Carrow", date(2016, 9, 30), language="pl",
                         interpreter=True),
            **person_row(2, "Fin", "", date(2022, 1, 15))}
    data.update(changes)
    return data


def test_the_url_is_the_one_the_page_names():
    assert reverse("open_family") == URL


def test_a_practitioner_opens_a_family_of_three_in_one_page(world, signed_in):
    client = signed_in(world.practitioner)
    page = client.get(URL).content.decode()
    assert page.count('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
                      'Person') == 3
    response = client.post(URL, family_post(world))
    family = Family.objects.get(case_reference="EH-5001")
    assert response.status_code == 302 and response["Location"] == reverse(
        "family", args=[family.pk])
    assert (family.name, family.team, family.key_worker) == (
        "Carrow family", world.team, world.practitioner)
    assert Episode.objects.get(family=family).opened_on == TODAY - timedelta(days=3)
    people = [(p.first_name, p.last_name, p.date_of_birth, p.preferred_language,
               p.needs_interpreter) for p in family.people.order_by("date_of_birth")]
    assert people == [("Dee", "Carrow", date(1990, 4, 2), "en", False),
                      ("Eli", "Carrow", date(2016, 9, 30), "pl", True),
                      ("Fin", "", date(2022, 1, 15), "en", False)]
    log = AuditEntry.objects.filter(actor=world.practitioner)
    assert log.get(action="family.create").changes == {"team": world.team.pk,
                                                       "key_worker": world.practitioner.pk}
    assert log.filter(action="person.create").count() == 3
    assert log.filter(action="episode.open").count() == 1
    # The family's page opens for its practitioner straight away.
    assert "Carrow family" in client.get(response["Location"]).content.decode()


def test_blank_rows_are_no_one(world, signed_in):
    data = family_post(world, **person_row(1), **person_row(2))
    del data["person-1-needs_interpreter"]
    signed_in(world.practitioner).post(URL, data)
    assert Person.objects.filter(family__case_reference="EH-5001").count() == 1


def test_add_another_person_posts_back_with_a_row_more_and_everything_kept(world, signed_in):
    client = signed_in(world.practitioner)
    response = client.post(URL, {**family_post(world, name=""), "another": "yes"})
    page = response.content.decode()
    assert response.status_code == 200 and not Family.objects.filter(
        case_reference="EH-5001").exists()
    assert 'name="rows" value="4"' in page
    assert 'id="person-3-first_name"' in page
    assert 'value="EH-5001"' in page and 'value="Eli"' in page
    assert '<option value="pl" selected>' in page
    # Nothing was checked yet: the blank family name is not marked wrong until saving.
    assert "govuk-error-summary" not in page
    data = {**family_post(world, rows="4"), **person_row(3, "Gus", "Carrow", date(2024, 5, 5))}
    client.post(URL, data)
    assert Person.objects.filter(family__case_reference="EH-5001").count() == 4


def test_a_family_with_no_one_in_it_is_refused(world, signed_in):
    data = family_post(world, **person_row(0), **person_row(1), **person_row(2))
    del data["person-1-needs_interpreter"]
    page = signed_in(world.practitioner).post(URL, data).content.decode()
    assert "Enter at least one person in the household" in page
    assert not Family.objects.filter(case_reference="EH-5001").exists()


def test_a_case_reference_already_used_is_refused_in_any_case_without_saying_whose(
        world, signed_in):
    world.other_family.case_reference = "EH-5001"
    world.other_family.save()
    response = signed_in(world.practitioner).post(URL, family_post(world,
                                                                   case_reference="eh-5001 "))
    page = response.content.decode()
    assert response.status_code == 200
    assert "A family with this case reference is already recorded in the service" in page
    assert "Birchley" not in page and world.other_team.name not in page
    assert Family.objects.filter(case_reference__iexact="EH-5001").count() == 1
    # Everything typed is still there to correct.
    for kept in ('value="Carrow family"', 'value="eh-5001 "', 'value="Dee"', 'value="Eli"',
                 'value="Fin"', 'value="2016"', '<option value="pl" selected>'):
        assert kept in page


def test_every_problem_is_listed_and_everything_typed_kept(world, signed_in):
    future = TODAY + timedelta(days=2)
    data = family_post(world, name="", **{
        "opened_on-day": str(future.day), "opened_on-month": str(future.month),
        "opened_on-year": str(future.year), "person-1-date_of_birth-month": "13",
        "person-2-first_name": ""})
    page = signed_in(world.practitioner).post(URL, data).content.decode()
    assert "Enter the family&#39;s name, as your team refers to it" in page
    assert "The date support started cannot be in the future" in page
    assert "The date of birth must be a real date" in page
    assert "Enter the person&#39;s first name" in page
    assert 'href="#person-1-date_of_birth-day"' in page and 'href="#opened_on-day"' in page
    assert 'value="13"' in page and 'value="Dee"' in page
    assert not Family.objects.filter(case_reference="EH-5001").exists()


def test_the_key_worker_must_be_a_member_of_the_team(world, signed_in):
    data = family_post(world, key_worker=str(world.colleague_other_team.pk))
    page = signed_in(world.practitioner).post(URL, data).content.decode()
    assert "Select one of the key workers listed" in page
    assert not Family.objects.filter(case_reference="EH-5001").exists()


def test_a_practitioner_in_two_teams_chooses_a_key_worker_of_the_team_chosen(world, signed_in):
    Membership.objects.create(user=world.practitioner, team=world.other_team)
    data = family_post(world, team=str(world.team.pk),
                       key_worker=str(world.colleague_other_team.pk))
    page = signed_in(world.practitioner).post(URL, data).content.decode()
    assert f"Select a key worker who is a member of {world.team.name}" in page
    signed_in(world.practitioner).post(URL, family_post(
        world, team=str(world.other_team.pk), key_worker=str(world.colleague_other_team.pk)))
    family = Family.objects.get(case_reference="EH-5001")
    assert (family.team, family.key_worker) == (world.other_team, world.colleague_other_team)


def test_a_practitioner_cannot_open_a_family_in_a_team_they_are_not_in(world, signed_in):
    page = signed_in(world.practitioner).post(
        URL, family_post(world, team=str(world.other_team.pk), key_worker="")).content.decode()
    assert "Select one of the teams listed" in page
    assert not Family.objects.filter(case_reference="EH-5001").exists()


def test_a_manager_opens_a_family_in_the_team_they_manage_as_its_key_worker(world, signed_in):
    client = signed_in(world.manager)
    page = client.get(URL).content.decode()
    assert f'<option value="{world.manager.pk}" selected>' in page
    client.post(URL, family_post(world, key_worker=str(world.manager.pk)))
    assert Family.objects.get(case_reference="EH-5001").key_worker == world.manager


def test_the_key_worker_can_be_left_for_later(world, signed_in):
    signed_in(world.practitioner).post(URL, family_post(world, key_worker=""))
    assert Family.objects.get(case_reference="EH-5001").key_worker is None


@pytest.mark.parametrize("persona", ["data team", "evaluator", "administrator", "outsider"])
def test_no_one_else_reaches_the_page(world, signed_in, persona):
    client = signed_in(world.everyone()[persona])
    assert client.get(URL).status_code == 404
    assert client.post(URL, family_post(world)).status_code == 404
    assert not Family.objects.filter(case_reference="EH-5001").exists()


def test_my_families_offers_to_open_a_family(world, signed_in):
    page = signed_in(world.practitioner).get(reverse("home")).content.decode()
    assert f'href="{URL}"' in page


def test_two_families_with_one_reference_in_different_case_cannot_both_be_saved(world):
    from django.db import IntegrityError, transaction

    factories.family(world.team, reference="EH-9")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.family(world.team, reference="eh-9")


def test_a_post_with_nothing_in_it_shows_the_page_again(world, signed_in):
    response = signed_in(world.practitioner).post(URL)
    assert response.status_code == 200
    assert not Family.objects.filter(name="").exists()
