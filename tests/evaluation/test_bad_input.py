"""What an evaluator or a practitioner can type into the evaluation pages that the product cannot
use: each gets a plain message on the page, keeps what was typed, and saves nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from familyfeedback.evaluation.models import Question, ResearchQuestion, Response, Trial
from tests.evaluation.builders import open_baseline, teams_version
from tests.evaluation.test_package import EXAMPLE

HUGE = "99999999999999999999"


# A survey answer that is a digit to Python but not a number on the scale ----------------------

def test_a_superscript_two_is_not_an_answer_on_the_scale_signed_in(world, client):
    _, me, wave = open_baseline(world, client)
    client.force_login(world.practitioner)
    response = client.post(reverse("survey_answer", args=[me.pk, wave.pk]),
                           {"wai_1": "²", "wai_2": "5"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "are from 1 to 7" in page
    assert not Response.objects.exists()


def test_a_superscript_two_is_not_an_answer_through_a_personal_link(world, client):
    _, me, wave = open_baseline(world, client)
    client.logout()
    response = client.post(reverse("survey_link_answer", args=[me.link_token, wave.pk]),
                           {"proqol_cs_1": "²"})
    assert response.status_code == 200
    assert "are from 1 to 5" in response.content.decode()
    assert not Response.objects.exists()


def test_a_nul_in_a_free_text_answer_is_refused_and_the_answer_kept(world, client):
    _, me, wave = open_baseline(world, client, questions=[
        {"question_id": "comments", "wave": "baseline", "text": "Anything else?",
         "kind": "text"}])
    client.force_login(world.practitioner)
    response = client.post(reverse("survey_answer", args=[me.pk, wave.pk]),
                           {"comments": "Good\x00 so far", "wai_1": "6"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Null characters are not allowed" in page
    assert 'value="6" checked' in page
    assert not Response.objects.exists()


def test_a_survey_link_with_nul_characters_says_there_is_no_such_page(world, client):
    response = client.get("/surveys/link/%00%00/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# The power page -------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "value", "message"), [
    ("icc", "29", "Enter an ICC from 0 to 1"),
    ("icc", "nan", "Enter an ICC from 0 to 1"),
    ("alpha", "0", "Enter an alpha from 0.001 to 0.2"),
    ("alpha", "inf", "Enter an alpha from 0.001 to 0.2"),
    ("power", "1", "Enter a power from 0.5 to 0.99"),
    ("power", "-inf", "Enter a power from 0.5 to 0.99"),
    ("effect", "0", "Enter an effect from 0.01 to 5 standard deviations"),
    ("effect", "1e309", "Enter an effect from 0.01 to 5 standard deviations"),
    ("clusters", HUGE, "Enter the clusters in each arm as a whole number from 2 to 1000"),
    ("per_cluster", "abc", "Enter the practitioners in each cluster as a whole number"),
])
def test_the_power_page_says_which_value_is_out_of_range(world, client, name, value, message):
    client.force_login(world.evaluator)
    response = client.get(reverse("power"), {name: value})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{value}"' in page  # what was typed stays in the box


def test_the_power_page_works_out_the_figures_for_good_values(world, client):
    client.force_login(world.evaluator)
    page = client.get(reverse("power"), {"clusters": "3", "per_cluster": "8", "icc": "0.05",
                                         "alpha": "0.05", "power": "0.8",
                                         "effect": "0.5"}).content.decode()
    assert "Smallest effect you could detect" in page and "Design effect 1.35" in page


# The trial's teams ----------------------------------------------------------------------------

@pytest.mark.parametrize("teams", ["abc", HUGE])
def test_a_team_that_is_not_a_team_is_refused_plainly(world, client, teams):
    trial, _, _ = open_baseline(world, client)
    trial.allocation.delete()
    trial.teams.update(arm="")
    response = client.post(reverse("trial_teams", args=[trial.pk]),
                           {"teams": [teams, world.team.pk], **teams_version(client, trial)},
                           follow=True)
    assert response.status_code == 200
    assert "Choose the teams from the list" in response.content.decode()


def test_a_unit_name_longer_than_the_format_allows_is_refused_and_kept(world, client):
    client.force_login(world.evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot"})
    trial = Trial.objects.get()
    long = "U" * 41
    response = client.post(reverse("trial_teams", args=[trial.pk]), {
        "teams": [world.team.pk, world.other_team.pk], f"unit-{world.team.pk}": long,
        **teams_version(client, trial)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "40 characters or fewer" in page and long in page
    assert not trial.teams.exists()


@pytest.mark.parametrize("seed", [HUGE, "abc", "-1"])
def test_a_seed_that_is_not_a_whole_number_the_database_holds_is_refused(world, client, seed):
    client.force_login(world.evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot"})
    trial = Trial.objects.get()
    client.post(reverse("trial_teams", args=[trial.pk]),
                {"teams": [world.team.pk, world.other_team.pk], **teams_version(client, trial)})
    response = client.post(reverse("randomise", args=[trial.pk]),
                           {"method": "simple", "seed": seed, "ratio": "1:1"}, follow=True)
    assert response.status_code == 200
    assert "The seed must be a whole number" in response.content.decode()
    assert not hasattr(Trial.objects.get(), "allocation")


# NUL characters in the evaluator's text --------------------------------------------------------

def test_a_trial_name_or_note_with_a_nul_is_refused_and_kept(world, client):
    client.force_login(world.evaluator)
    for data in ({"name": "Pi\x00lot"}, {"name": "Pilot", "protocol_note": "Two\x00 arms"}):
        response = client.post(reverse("new_trial"), data)
        page = response.content.decode()
        assert response.status_code == 200, data
        assert "Null characters are not allowed" in page, data
        assert "Pilot" in page or "Pi" in page
    assert not Trial.objects.exists()


def test_a_research_question_with_a_nul_is_refused_and_kept(world, client):
    client.force_login(world.evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot"})
    trial = Trial.objects.get()
    before = ResearchQuestion.objects.get(trial=trial, number="1.1").text
    for data in ({"text": "Is it\x00 used?", "methods": "Survey"},
                 {"text": "Is it used?", "methods": "Sur\x00vey"}):
        response = client.post(reverse("research_question", args=[trial.pk, "1.1"]), data)
        page = response.content.decode()
        assert response.status_code == 200, data
        assert "Null characters are not allowed" in page and "Is it" in page, data
    assert ResearchQuestion.objects.get(trial=trial, number="1.1").text == before


def test_a_research_question_number_with_a_nul_is_no_such_page(world, client):
    client.force_login(world.evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot"})
    trial = Trial.objects.get()
    response = client.get(f"/evaluation/{trial.pk}/research-questions/1%001/")
    assert response.status_code == 404


def test_a_survey_question_with_a_nul_is_refused(world, client):
    client.force_login(world.evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot"})
    trial = Trial.objects.get()
    for data in ({"question_id": "q1", "wave": "baseline", "text": "Hel\x00lo", "kind": "text"},
                 {"question_id": "q1", "wave": "baseline", "text": "Pick", "kind": "choice",
                  "options": "Yes\x00\nNo"}):
        response = client.post(reverse("add_question", args=[trial.pk]), data, follow=True)
        assert response.status_code == 200, data
        assert "Null characters are not allowed" in response.content.decode(), data
    assert not Question.objects.exists()


# A survey question's wave and kind -------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [("wave", ""), ("wave", "midline"), ("kind", ""),
                                              ("kind", "essay")])
def test_a_question_with_a_wave_or_kind_not_on_the_list_is_refused(world, client, field, value):
    client.force_login(world.evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot"})
    trial = Trial.objects.get()
    data = {"question_id": "q1", "wave": "baseline", "text": "How was it?", "kind": "text",
            field: value}
    response = client.post(reverse("add_question", args=[trial.pk]), data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert ("Choose the wave" if field == "wave" else "Choose the kind of answer") in page
    assert not Question.objects.exists()


def test_the_question_form_keeps_what_was_typed_when_refused(world, client):
    client.force_login(world.evaluator)
    client.post(reverse("new_trial"), {"name": "Pilot"})
    trial = Trial.objects.get()
    page = client.post(reverse("add_question", args=[trial.pk]), {
        "question_id": "q1", "wave": "midline", "text": "How was the training day?",
        "kind": "text"}, follow=True).content.decode()
    assert 'value="How was the training day?"' in page and 'value="q1"' in page


# The analysis page when an arm has no answers to a question -------------------------------------

def test_the_analysis_shows_a_question_nobody_in_an_arm_answered(world, client):
    trial, me, wave = open_baseline(world, client, questions=[
        {"question_id": "prev_ors", "wave": "baseline", "text": "Used the ORS before?",
         "kind": "choice", "options": "Yes\nNo"}])
    Response.objects.create(trial=trial, respondent=me, wave="baseline", item="prev_ors",
                            value="Yes")
    # Someone in the other arm answered the baseline, but not this question.
    other = trial.practitioners.exclude(team__arm=me.team.arm).first()
    Response.objects.create(trial=trial, respondent=other, wave="baseline", item="wai_1",
                            value="4")
    response = client.get(reverse("trial_analysis", args=[trial.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 answered" in page and "0 answered" in page
    assert "Nobody in the " in page and " arm has answered it" in page


def test_the_analysis_of_the_shared_example_package_opens(world, client):
    call_command("import_evaluation", str(EXAMPLE), "--trial", "Example")
    client.force_login(world.evaluator)
    trial = Trial.objects.get(name="Example")
    response = client.get(reverse("trial_analysis", args=[trial.pk]))
    assert response.status_code == 200
