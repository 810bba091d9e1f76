"""Sending a survey with questions left unanswered asks, once, whether to send it anyway."""

import pytest
from django.test import Client
from django.urls import reverse

from familyfeedback.evaluation.models import Response
from familyfeedback.measures.surveys import get_survey_measure
from tests.evaluation.builders import open_baseline


@pytest.fixture
def survey(world, client):
    _, me, wave = open_baseline(world, client)
    practitioner = Client()
    practitioner.force_login(world.practitioner)
    questions = [item.key for code in wave.measures for item in get_survey_measure(code).items]
    return practitioner, me, reverse("survey_answer", args=[me.pk, wave.pk]), questions


def test_the_first_send_with_blanks_asks_and_keeps_the_answers(survey):
    practitioner, me, url, questions = survey
    page = practitioner.post(url, {"proqol_cs_1": "4", "action": "submit"})
    text = page.content.decode()
    assert page.status_code == 200
    assert f"You have not answered {len(questions) - 1} questions. Send anyway?" in text
    assert 'name="send_anyway" value="yes"' in text
    assert 'name="proqol_cs_1" type="radio" value="4" checked' in text
    assert not Response.objects.filter(respondent=me).exists()
    sent = practitioner.post(url, {"proqol_cs_1": "4", "action": "submit",
                                   "send_anyway": "yes"})
    assert sent.status_code == 302
    assert Response.objects.get(respondent=me).value == "4"


def test_answers_given_before_count_as_answered(survey):
    practitioner, me, url, questions = survey
    practitioner.post(url, dict.fromkeys(questions[:-1], "1") | {"action": "later"})
    page = practitioner.post(url, {"action": "submit"}).content.decode()
    assert "You have not answered 1 question. Send anyway?" in page


def test_a_survey_answered_in_full_is_sent_at_once(survey):
    practitioner, me, url, questions = survey
    sent = practitioner.post(url, dict.fromkeys(questions, "1") | {"action": "submit"})
    assert sent.status_code == 302
    assert Response.objects.filter(respondent=me).count() == len(questions)


def test_saving_for_later_never_asks(survey):
    practitioner, me, url, _ = survey
    sent = practitioner.post(url, {"proqol_cs_1": "2", "action": "later"})
    assert sent.status_code == 302
