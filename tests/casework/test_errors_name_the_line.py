"""An error on a lines measure names the line as the page shows it ("How I am doing in myself is
missing"), not its number: the practitioner on a doorstep sees words, not "Item 2"."""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from familyfeedback.casework.models import Session
from tests import factories
from tests.casework.forms_data import record_session_post

PACK = {
    "format": "family-feedback-text-pack",
    "version": 1,
    "licence": {"holder": "Example Council", "reference": "LIC-0001"},
    "languages": {"en": {"ORS": {
        "title": "Example outcome form", "instructions": "Mark each line.",
        "items": {f"item_{n}": {"label": f"Licensed line {n}", "low": "Low", "high": "High"}
                  for n in range(1, 5)},
    }}},
}


def load_pack(tmp_path):
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(PACK))
    call_command("load_text_pack", str(path), stdout=StringIO())


def person(world, name):
    return world.family.people.get(first_name=name)


def record_page(world, signed_in, overrides):
    data = record_session_post(world.family, timezone.localdate(), overrides)
    return signed_in(world.practitioner).post(
        reverse("record_session", args=[world.family.pk]), data).content.decode()


def test_a_missing_mark_on_the_record_form_names_the_line(world, signed_in):
    adult, child = person(world, "Person1"), person(world, "Person3")
    page = record_page(world, signed_in, {f"p{adult.pk}-ors-item_1": "",
                                          f"p{child.pk}-srs-item_4": "6.45"})
    assert "Person1&#39;s ORS: How I am doing in myself is missing" in page
    assert "Person3&#39;s CSRS: " in page and "Item " not in page
    assert Session.objects.count() == 0


def test_the_record_form_names_the_line_in_the_licensed_wording_when_loaded(world, signed_in,
                                                                             tmp_path):
    load_pack(tmp_path)
    adult = person(world, "Person2")
    page = record_page(world, signed_in, {f"p{adult.pk}-ors-item_3": "12"})
    assert "Person2&#39;s ORS: Licensed line 3 must be between 0.0 and 10.0" in page


def recorded_ors(world):
    session = factories.session(world.practitioner, world.family,
                                timezone.localdate() - timedelta(days=2))
    return session.administrations.get(person__first_name="Person1", tool="ORS")


def correct(world, signed_in, record, **marks):
    data = {"item_1": "5.0", "item_2": "5.0", "item_3": "5.0", "item_4": "5.0",
            "reason": "Typed from the paper form", **marks}
    return signed_in(world.practitioner).post(reverse("correct_administration", args=[record.pk]),
                                              data).content.decode()


def test_the_correction_form_names_the_line(world, signed_in):
    record = recorded_ors(world)
    page = correct(world, signed_in, record, item_2="", item_4="11")
    assert "The people closest to me is missing" in page
    assert "How things are as a whole must be between 0.0 and 10.0" in page
    assert "Item " not in page


def test_the_correction_form_names_the_line_in_the_licensed_wording(world, signed_in, tmp_path):
    record = recorded_ors(world)
    load_pack(tmp_path)
    page = correct(world, signed_in, record, item_1="abc")
    assert "Licensed line 1 must be a number, for example 6.4" in page
