"""Two evaluators editing one research question never overwrite each other silently."""

from django.test import Client
from django.urls import reverse

from familyfeedback.accounts.models import Role
from tests import factories
from tests.edit_pages import opened, version_in
from tests.evaluation.test_trial_pages import make_trial


def test_a_second_edit_of_a_research_question_sees_the_first_and_overwrites_nothing(
        world, client):
    trial, _ = make_trial(world, client)
    url = reverse("research_question", args=[trial.pk, "1.4"])
    colleague = Client()
    colleague.force_login(factories.user("evan@example.test", Role.EVALUATOR))
    mine, theirs = opened(client, url), opened(colleague, url)
    question = trial.questions_asked.get(number="1.4")
    methods = "\n".join(question.methods)
    assert colleague.post(url, {"text": "Reach: who took part?", "methods": methods,
                                **theirs}).status_code == 302
    response = client.post(url, {"text": question.text, "methods": "Admin data\nInterviews",
                                 **mine})
    page = response.content.decode()
    question.refresh_from_db()
    assert response.status_code == 200
    assert question.text == "Reach: who took part?"
    assert question.methods == methods.split("\n")
    assert "Changed by someone else since you opened this page" in page
    assert "Reach: who took part?" in page and "Admin data\nInterviews" in page
    # Saving again, having seen the colleague's question, keeps it and adds the methods.
    assert client.post(url, {"text": "Reach: who took part?", "methods": "Admin data\nInterviews",
                             **version_in(page)}).status_code == 302
    question.refresh_from_db()
    assert (question.text, question.methods) == ("Reach: who took part?",
                                                 ["Admin data", "Interviews"])
