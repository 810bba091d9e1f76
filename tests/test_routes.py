from django.urls import reverse

from tests.routes import names_reverse_knows, routes


def test_the_walk_reaches_every_route_once():
    found = [route.name for route in routes()]
    assert sorted(found) == sorted(names_reverse_knows())


def test_an_included_route_keeps_the_prefix_and_parts_of_the_path_that_includes_it():
    walked = {route.name: route for route in routes()}
    trial = walked["change_survey_link"]
    assert trial.route == "evaluation/<int:trial_id>/respondents/<int:respondent_id>/link/"
    assert set(trial.converters) == {"trial_id", "respondent_id"}
    assert reverse("change_survey_link", kwargs={"trial_id": 3, "respondent_id": 4}) == (
        "/evaluation/3/respondents/4/link/")
