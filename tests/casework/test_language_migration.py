"""The migration that turned free-text preferred languages into codes, run on hand-made rows
written as the old records were."""

import importlib

from django.apps import apps
from django.urls import reverse

from familyfeedback.casework.models import Person

migration = importlib.import_module(
    "familyfeedback.casework.migrations.0004_preferred_language_is_a_code")

OLD = {"English": ("en", ""), "english ": ("en", ""), "Polish": ("pl", ""), "Urdu": ("ur", ""),
       "Farsi": ("fa", ""), "Portuguese (Brazil)": ("pt", ""), "": ("en", ""),
       "Klingon": ("", "Klingon"), "?": ("", "?"), " see notes ": ("", "see notes"),
       "cy": ("cy", "")}


def old_people(world) -> dict[str, Person]:
    return {text: Person.objects.create(family=world.family, first_name=f"P{n}",
                                        date_of_birth="2000-01-01", preferred_language=text)
            for n, text in enumerate(OLD)}


def test_matched_languages_become_codes_and_the_rest_wait_to_be_checked(world):
    people = old_people(world)
    migration.to_codes(apps, None)
    after = {text: tuple(Person.objects.values_list(
        "preferred_language", "language_to_check").get(pk=person.pk))
        for text, person in people.items()}
    assert after == OLD


def test_running_it_again_changes_nothing(world):
    old_people(world)
    migration.to_codes(apps, None)
    once = list(Person.objects.values_list("pk", "preferred_language", "language_to_check"))
    migration.to_codes(apps, None)
    assert list(Person.objects.values_list("pk", "preferred_language",
                                           "language_to_check")) == once


def test_the_family_page_asks_for_an_unmatched_language_until_one_is_chosen(world, signed_in):
    sam = Person.objects.create(family=world.family, first_name="Sam", date_of_birth="1990-05-01",
                                preferred_language="see notes")
    migration.to_codes(apps, None)
    client = signed_in(world.practitioner)
    page = client.get(reverse("family", args=[world.family.pk])).content.decode()
    assert "Check Sam&#39;s language: the record said &#39;see notes&#39;" in page
    edit = client.get(reverse("edit_person", args=[sam.pk])).content.decode()
    assert '<option value="" selected>Select a language</option>' in edit
    version = edit.split('name="version" value="')[1].split('"')[0]
    response = client.post(reverse("edit_person", args=[sam.pk]), {
        "first_name": "Sam", "date_of_birth-day": "1", "date_of_birth-month": "5",
        "date_of_birth-year": "1990", "preferred_language": "so", "version": version})
    assert response.status_code == 302
    sam.refresh_from_db()
    assert (sam.preferred_language, sam.language_to_check) == ("so", "")
    page = client.get(reverse("family", args=[world.family.pk])).content.decode()
    assert "Check Sam" not in page and "prefers Somali (Soomaali)" in page
