"""Finding a family by part of its case reference or name, in any case, among the families the
person may see, open or closed; the words searched for never reach a URL."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from familyfeedback.casework import actions
from tests import factories

URL = "/families/find/"


def found(client, words: str) -> str:
    response = client.post(URL, {"words": words})
    assert response.status_code == 200
    return response.content.decode()


def test_the_url_is_the_one_the_page_names():
    assert reverse("find_family") == URL


def test_part_of_a_name_in_any_case_finds_the_family(world, signed_in):
    page = found(signed_in(world.practitioner), "ashD")
    assert "1 family found" in page and "Ashdown family" in page
    assert world.family.case_reference in page


def test_part_of_a_case_reference_finds_the_family(world, signed_in):
    world.family.case_reference = "EH-40412"
    world.family.save()
    page = found(signed_in(world.practitioner), "eh-404")
    assert "Ashdown family" in page


def test_another_teams_family_is_not_found(world, signed_in):
    page = found(signed_in(world.practitioner), "Birchley")
    assert "Birchley family" not in page
    assert "No family you work with has a case reference or name containing that" in page
    assert world.other_family.case_reference not in page


def test_a_manager_finds_the_families_of_the_teams_they_manage(world, signed_in):
    assert "Ashdown family" in found(signed_in(world.manager), "family")
    assert "Birchley family" not in found(signed_in(world.manager), "family")


def test_a_closed_family_is_found_and_says_so(world, signed_in):
    closed_on = timezone.localdate() - timedelta(days=2)
    actions.close_support(world.practitioner, world.family, on=closed_on)
    factories.family(world.team, world.practitioner, name="Ashford family")
    page = found(signed_in(world.practitioner), "ash")
    assert "2 families found" in page
    assert "Closed on" in page and "Open" in page
    assert f'href="{reverse("closed_families")}"' in page


def test_an_empty_search_asks_for_words(world, signed_in):
    page = found(signed_in(world.practitioner), "  ")
    assert "Enter a case reference or a family name, or part of one" in page


def test_the_search_is_posted_so_the_words_stay_out_of_the_address(world, signed_in):
    page = signed_in(world.practitioner).get(reverse("home")).content.decode()
    form = page.split('role="search"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form and f'action="{URL}"' in form
    # Asked as a GET with the words in the query string, the page searches nothing.
    response = signed_in(world.practitioner).get(URL, {"words": "Ashdown"})
    assert "Ashdown family" not in response.content.decode()


@pytest.mark.parametrize("persona", ["data team", "evaluator", "administrator", "outsider"])
def test_no_one_else_reaches_the_search(world, signed_in, persona):
    client = signed_in(world.everyone()[persona])
    assert client.post(URL, {"words": "Ashdown"}).status_code == 404
    assert client.get(URL).status_code == 404
