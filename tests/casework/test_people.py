from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import Person
from tests.edit_pages import opened


def test_a_practitioner_adds_a_child_to_the_family(world, signed_in):
    client = signed_in(world.practitioner)
    response = client.post(reverse("add_person", args=[world.family.pk]), {
        "first_name": "Nia", "last_name": "Ashdown", "date_of_birth-day": "3",
        "date_of_birth-month": "6", "date_of_birth-year": "2019",
        "preferred_language": "Welsh", "needs_interpreter": "on",
    })
    person = Person.objects.get(first_name="Nia")
    assert response.status_code == 302
    assert (person.family, person.preferred_language, person.needs_interpreter) == (
        world.family, "cy", True)
    assert AuditEntry.objects.filter(action="person.create", object_id=person.pk).exists()


def test_a_date_of_birth_in_the_future_is_refused_and_the_name_kept(world, signed_in):
    client = signed_in(world.practitioner)
    page = client.post(reverse("add_person", args=[world.family.pk]), {
        "first_name": "Nia", "date_of_birth-day": "3", "date_of_birth-month": "6",
        "date_of_birth-year": "2099", "preferred_language": "en",
    }).content.decode()
    assert "The date of birth cannot be in the future" in page
    assert 'value="Nia"' in page
    assert not Person.objects.filter(first_name="Nia").exists()


def test_a_missing_month_is_named(world, signed_in):
    client = signed_in(world.practitioner)
    page = client.post(reverse("add_person", args=[world.family.pk]), {
        "first_name": "Nia", "date_of_birth-day": "3", "date_of_birth-year": "2019",
        "preferred_language": "en",
    }).content.decode()
    assert "The date of birth must include a month" in page


def test_editing_a_name_is_audited_without_the_name(world, signed_in):
    person = world.family.people.first()
    client = signed_in(world.practitioner)
    url = reverse("edit_person", args=[person.pk])
    client.post(url, {**opened(client, url),
        "first_name": "Renamed", "last_name": "Test",
        "date_of_birth-day": str(person.date_of_birth.day),
        "date_of_birth-month": str(person.date_of_birth.month),
        "date_of_birth-year": str(person.date_of_birth.year),
        "preferred_language": "pl",
    })
    person.refresh_from_db()
    entry = AuditEntry.objects.get(action="person.update")
    assert person.first_name == "Renamed"
    assert entry.changes["first_name"] == ["(changed)", "(changed)"]
    assert entry.changes["preferred_language"] == ["en", "pl"]
    assert "Renamed" not in str(entry.changes)


def edit_post(person, born):
    return {"first_name": person.first_name, "last_name": "Test",
            "date_of_birth-day": str(born.day), "date_of_birth-month": str(born.month),
            "date_of_birth-year": str(born.year), "preferred_language": "en"}


def test_a_date_of_birth_after_a_session_they_came_to_is_refused(world, signed_in):
    from datetime import timedelta

    from django.utils import timezone

    from tests import factories

    session = factories.session(world.practitioner, world.family,
                                timezone.localdate() - timedelta(days=10))
    child = world.family.people.get(first_name="Person4")
    client = signed_in(world.practitioner)
    url = reverse("edit_person", args=[child.pk])
    page = client.post(url, {**edit_post(child, session.date + timedelta(days=1)),
                             **opened(client, url)}).content.decode()
    child.refresh_from_db()
    assert "so the date of birth cannot be after it" in page
    assert child.date_of_birth < session.date


def test_a_date_of_birth_that_would_change_a_recorded_form_is_refused(world, signed_in):
    from datetime import timedelta

    from django.utils import timezone

    from tests import factories

    on = timezone.localdate() - timedelta(days=10)
    factories.session(world.practitioner, world.family, on)
    child = world.family.people.get(first_name="Person3")  # 9 and a half: CORS
    fourteen = on.replace(year=on.year - 14)
    client = signed_in(world.practitioner)
    url = reverse("edit_person", args=[child.pk])
    page = client.post(url, {**edit_post(child, fourteen),
                             **opened(client, url)}).content.decode()
    assert "would have had the ORS" in page and "not the CORS recorded" in page


def person_with_language(**language) -> dict:
    return {"first_name": "Nia", "date_of_birth-day": "3", "date_of_birth-month": "6",
            "date_of_birth-year": "2019", **language}


def test_a_language_not_in_the_list_is_given_by_its_name_or_code(world, signed_in):
    client = signed_in(world.practitioner)
    url = reverse("add_person", args=[world.family.pk])
    form = client.get(url).content.decode()
    assert '<option value="en" selected>English</option>' in form
    assert '<option value="pl">Polish (Polski)</option>' in form
    assert client.post(url, person_with_language(preferred_language="other",
                                                 other_language="Hausa")).status_code == 302
    nia = Person.objects.get(first_name="Nia")
    assert nia.preferred_language == "ha"
    edit = client.get(reverse("edit_person", args=[nia.pk])).content.decode()
    assert '<option value="ha" selected>Hausa</option>' in edit


def test_a_language_we_do_not_know_is_refused_and_what_was_typed_kept(world, signed_in):
    client = signed_in(world.practitioner)
    url = reverse("add_person", args=[world.family.pk])
    page = client.post(url, person_with_language(preferred_language="other",
                                                 other_language="Elvish")).content.decode()
    assert "We do not know a language called &#39;Elvish&#39;" in page
    assert 'value="Elvish"' in page and '<option value="other" selected>' in page
    page = client.post(url, person_with_language(preferred_language="other")).content.decode()
    assert "Enter the language, for example Hausa" in page
    assert not Person.objects.filter(first_name="Nia").exists()
