"""What a URL names is found through evaluation.access or refused with the service's own 404
page: an unknown research question, or anyone but an evaluator asking for one."""

from django.urls import reverse

from tests.evaluation.test_trial_pages import make_trial


def test_an_unknown_research_question_is_no_such_page(world, client):
    trial, _ = make_trial(world, client)
    response = client.get(reverse("research_question", args=[trial.pk, "9.9"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_only_an_evaluator_reaches_a_research_question(world, client):
    trial, _ = make_trial(world, client)
    url = reverse("research_question", args=[trial.pk, "1.1"])
    assert client.get(url).status_code == 200
    client.force_login(world.practitioner)
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Changed"}).status_code == 404
