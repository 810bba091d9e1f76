"""Two people editing one record never overwrite each other silently: the second save sees what
changed since they opened the page, with their own values kept, and nothing is overwritten until
they save again having seen it."""

from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from tests import factories
from tests.edit_pages import opened, version_in


def person_post(person, **changes):
    born = person.date_of_birth
    return {"first_name": person.first_name, "last_name": person.last_name,
            "date_of_birth-day": str(born.day), "date_of_birth-month": str(born.month),
            "date_of_birth-year": str(born.year), "preferred_language": person.preferred_language,
            **changes}


def two_clients(world):
    first, second = Client(), Client()
    first.force_login(world.practitioner)
    second.force_login(world.manager)
    return first, second


def test_a_second_edit_of_a_persons_details_sees_the_first_and_overwrites_nothing(world):
    person = world.family.people.get(first_name="Person1")
    url = reverse("edit_person", args=[person.pk])
    first, second = two_clients(world)
    first_version, second_version = opened(first, url), opened(second, url)
    assert first.post(url, {**person_post(person, last_name="Ashdown"),
                            **first_version}).status_code == 302
    response = second.post(url, {**person_post(person, preferred_language="pl"),
                                 **second_version})
    page = response.content.decode()
    person.refresh_from_db()
    assert response.status_code == 200
    assert (person.last_name, person.preferred_language) == ("Ashdown", "en")
    assert "Changed by someone else since you opened this page" in page
    assert "Last name" in page and "Test" in page and "Ashdown" in page
    # The second person's own change, kept to save again.
    assert '<option value="pl" selected>' in page
    # The field they did not touch shows the colleague's value, so saving again reverts nothing.
    assert 'value="Ashdown"' in page
    assert AuditEntry.objects.filter(action="person.update").count() == 1

    # Having seen it, saving again saves what the second person now sends.
    again = second.post(url, {**person_post(person, preferred_language="pl"),
                              **version_in(page)})
    person.refresh_from_db()
    assert again.status_code == 302
    assert (person.last_name, person.preferred_language) == ("Ashdown", "pl")


def test_a_second_correction_of_a_record_sees_the_first_and_overwrites_nothing(world):
    session = factories.session(world.practitioner, world.family,
                                timezone.localdate() - timedelta(days=2))
    record = session.administrations.get(person__first_name="Person1", tool="ORS")
    url = reverse("correct_administration", args=[record.pk])
    first, second = two_clients(world)
    first_version, second_version = opened(first, url), opened(second, url)
    marks = {"item_1": "5.0", "item_2": "5.0", "item_3": "5.0", "item_4": "5.0"}
    assert first.post(url, {**marks, "item_2": "7.2", "reason": "Typed 5.0 for 7.2",
                            **first_version}).status_code == 302
    response = second.post(url, {**marks, "item_4": "2.5", "reason": "Typed 5.0 for 2.5",
                                 **second_version})
    page = response.content.decode()
    record.refresh_from_db()
    assert response.status_code == 200
    assert (record.item_2, record.item_4) == (Decimal("7.2"), Decimal("5.0"))
    assert "Changed by someone else since you opened this page" in page
    assert 'value="7.2"' in page and 'value="2.5"' in page and "Typed 5.0 for 2.5" in page
    assert AuditEntry.objects.filter(action="administration.correct").count() == 1


def test_a_page_whose_version_was_tampered_with_is_refused_plainly(world, signed_in):
    person = world.family.people.get(first_name="Person1")
    url = reverse("edit_person", args=[person.pk])
    response = signed_in(world.practitioner).post(url, {**person_post(person, last_name="X"),
                                                        "version": "not-a-version"})
    person.refresh_from_db()
    assert response.status_code == 200
    assert "open the page again" in response.content.decode()
    assert person.last_name == "Test"
