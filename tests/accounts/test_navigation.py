"""Each role's service navigation, as the header draws it."""

import re

import pytest
from django.urls import reverse

EXPECTED = {
    "practitioner": ["My families", "Surveys", "Email reminders"],
    "manager": ["My families", "Is it happening?", "Supervision", "Training", "Surveys",
                "Email reminders"],
    "data_team": ["Is it happening?", "Training"],
    "evaluator": ["Trials"],
    "administrator": ["Administration", "Audit log", "Data dictionary"],
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_role_sees_its_own_pages_in_the_navigation(world, signed_in, persona):
    page = signed_in(getattr(world, persona)).get(reverse("home")).content.decode()
    links = re.findall(r"<a [^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*<", navigation_of(page))
    assert links == EXPECTED[persona]


def test_the_current_page_is_marked_in_the_navigation(world, signed_in):
    page = signed_in(world.manager).get(reverse("training")).content.decode()
    current = re.findall(r'aria-current="[^"]+"[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*<',
                         navigation_of(page))
    assert current == ["Training"]


def navigation_of(page: str) -> str:
    start = page.index('id="navigation"')
    return page[start:page.index("</ul>", start)]
