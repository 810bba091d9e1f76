"""The data dictionary classes every field of every model Django knows, so that a new model or
field cannot be held without someone saying what it is; the record of processing is drawn from
it and the committed copy is what the command prints; administrators alone read it on a page."""

import dataclasses
import os
import subprocess
import sys
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from familyfeedback.casework.models import Person
from familyfeedback.privacy import dictionary
from familyfeedback.privacy.dictionary import DICTIONARY, held, unclassed
from familyfeedback.privacy.record import REGENERATE
from familyfeedback.privacy.retention import RULES

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "docs" / "record-of-processing.md"


def test_every_field_of_every_model_has_a_class_and_every_entry_names_what_exists():
    assert unclassed(dictionary.every_model()) == []


def test_the_registry_walked_includes_the_libraries_and_the_many_to_many_tables():
    labels = {model._meta.label for model in dictionary.every_model()}
    assert {"axes.AccessAttempt", "otp_totp.TOTPDevice", "sessions.Session",
            "casework.Session_present", "evaluation.Theme_research_questions"} <= labels


def test_every_rule_named_exists():
    named = {rule for entry in DICTIONARY.values()
             for rule in [entry.rule, *entry.field_rules.values()]}
    assert named <= RULES.keys()
    assert dictionary.unknown_rules() == []
    assert dictionary.unknown_rules({"casework.Person": held("x", "for_ever")}) == [
        "casework.Person: no rule 'for_ever'"]


def test_a_new_model_or_field_is_reported_until_it_is_classed():
    with isolate_apps("familyfeedback.privacy"):
        class CarerNote(models.Model):
            person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
            words = models.TextField()
            readers = models.ManyToManyField("accounts.User", related_name="+")

            class Meta:
                app_label = "privacy"

        through = CarerNote.readers.through
        everything = [*apps.get_models(include_auto_created=True), CarerNote, through]
        assert unclassed(everything) == ["privacy.CarerNote: not in the dictionary",
                                         "privacy.CarerNote_readers: not in the dictionary"]
        partly = {**DICTIONARY,
                  "privacy.CarerNote": held("Notes.", "closed_family", operational="id person"),
                  "privacy.CarerNote_readers": held("Who reads.", "closed_family",
                                                    operational="id carernote user")}
        assert unclassed(everything, partly) == ["privacy.CarerNote.words: no class",
                                                 "privacy.CarerNote.readers: no class"]


def test_a_model_in_an_app_that_had_none_needs_the_apps_purpose_too():
    with isolate_apps("familyfeedback.demo"):
        class Visitor(models.Model):
            class Meta:
                app_label = "demo"

        assert unclassed([*dictionary.every_model(), Visitor]) == [
            "demo.Visitor: not in the dictionary", "demo: an app with no purpose"]


PERSON_PERSONAL = " ".join(
    name for name, kind in DICTIONARY["casework.Person"].classes.items()
    if kind == dictionary.PERSONAL)


def test_an_entry_for_what_does_not_exist_or_a_field_in_two_classes_is_reported():
    stale = {**DICTIONARY,
             "casework.Person": held("People.", "closed_family", dictionary.FAMILIES,
                                     personal=PERSON_PERSONAL + " shoe_size",
                                     special="first_name", operational="id family"),
             "casework.Pet": held("Pets.", "closed_family")}
    assert unclassed(dictionary.every_model(), stale) == [
        "casework.Person.shoe_size: no such field",
        "casework.Person.first_name: in two classes",
        "casework.Pet: no such model"]


def test_personal_data_about_no_one_is_reported():
    unowned = {**DICTIONARY, "accounts.User": held(
        "Staff.", "account", personal="email full_name job_title",
        operational=" ".join(name for name, kind in DICTIONARY["accounts.User"].classes.items()
                             if kind == dictionary.OPERATIONAL))}
    assert unclassed(dictionary.every_model(), unowned) == [
        "accounts.User: holds personal data about no one"]


def test_a_childs_ratings_are_special_category_and_research_codes_pseudonymised():
    ratings = DICTIONARY["casework.Administration"].classes
    assert {ratings[f] for f in ("item_1", "total", "face", "picture", "notes")} == {
        dictionary.SPECIAL}
    assert DICTIONARY["casework.Person"].classes["date_of_birth"] == dictionary.PERSONAL
    assert DICTIONARY["evaluation.TrialPerson"].classes["code"] == dictionary.PSEUDONYMISED
    assert DICTIONARY["casework.Administration"].field_rules == {"picture": "pictures"}


def default_environment() -> dict[str, str]:
    """This machine's environment without any of the service's settings, but where it keeps
    its files."""
    return {name: value for name, value in os.environ.items()
            if not (name.startswith("FF_") or name == "DATABASE_URL") or name == "FF_VAR_DIR"}


def test_the_committed_record_of_processing_is_what_the_command_prints_by_default():
    printed = subprocess.run(  # noqa: S603 (our own manage.py, with this interpreter)
        [sys.executable, str(ROOT / "manage.py"), "record_of_processing"], cwd=ROOT,
        env=default_environment(), capture_output=True, text=True, check=True).stdout
    assert RECORD.read_text() == printed, (
        f"docs/record-of-processing.md is out of date: regenerate it with `{REGENERATE}`")


def test_the_record_names_the_controller_and_contact_and_each_duty(settings):
    settings.CONTROLLER_NAME = "Northshire County Council"
    settings.DATA_PROTECTION_CONTACT = "Sam Reyes, data protection officer"
    settings.DATA_PROTECTION_EMAIL = "dpo@northshire.example"
    settings.RETAIN_CLOSED_FAMILY_YEARS = 9
    out = call(["record_of_processing"])
    assert "- Controller: Northshire County Council\n" in out
    assert "- Data protection contact: Sam Reyes, data protection officer\n" in out
    assert "- Their email: dpo@northshire.example\n" in out
    for heading in ("Purposes of the processing", "Categories of data subjects",
                    "Categories of personal data", "Recipients", "Transfers to third countries",
                    "Time limits for erasure", "Security measures"):
        assert f"\n## {heading}\n" in out
    assert "Removed 9 years after the family's last period of support closed" in out
    assert "- **Person** (`casework.Person`)" in out
    assert "  - Special category: item 1, item 2, item 3, item 4, total, face, picture" in out
    assert "docs/security.md" in out


def test_the_record_is_refused_while_something_is_unclassed(monkeypatch):
    monkeypatch.delitem(DICTIONARY, "casework.Person")
    with pytest.raises(CommandError, match="casework.Person: not in the dictionary"):
        call(["record_of_processing"])


def test_the_record_is_refused_while_a_rule_is_unknown(monkeypatch):
    monkeypatch.setitem(DICTIONARY, "casework.Person",
                        dataclasses.replace(DICTIONARY["casework.Person"], rule="forever"))
    with pytest.raises(CommandError, match="casework.Person: no rule 'forever'"):
        call(["record_of_processing"])


def call(args: list[str]) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# The page -----------------------------------------------------------------------------------------

def test_an_administrator_reads_every_record_with_its_purpose_retention_and_classes(world,
                                                                                    client):
    client.force_login(world.administrator)
    page = client.get(reverse("data_dictionary"))
    assert page.status_code == 200
    body = unescape(page.content.decode())
    assert "<h1 class=\"govuk-heading-l\">Data dictionary</h1>" in body
    for model in dictionary.every_model():
        assert model._meta.label in body
    assert DICTIONARY["casework.Person"].purpose in body
    assert RULES["closed_family"].describe() in body
    assert "first name, last name, date of birth" in body
    assert body.count("govuk-summary-list__row") > len(dictionary.every_model())
    assert f'href="{reverse("data_dictionary")}"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona", ["practitioner", "manager", "data_team", "evaluator",
                                     "outsider"])
def test_anyone_but_an_administrator_is_refused_as_for_a_page_that_does_not_exist(
        persona, world, client):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("data_dictionary")).status_code == 404
    assert client.get(reverse("audit_log")).status_code == 404
