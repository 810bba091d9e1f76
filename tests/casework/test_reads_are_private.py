"""A shared tablet must not keep a family's pages in its cache, and every look at a family's
identifiable data is in the audit log, not only the family page."""

import pytest
from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry
from tests.casework.test_access_matrix import media_in_tmp, object_urls  # noqa: F401

FAMILY_PAGES = ["family", "session", "edit person", "correct record", "picture",
                "closure summary", "record session", "add person", "close support",
                "reopen support"]


@pytest.mark.parametrize("name", FAMILY_PAGES)
def test_no_page_with_a_familys_data_may_be_cached(world, signed_in, name):
    url = object_urls(world)[name]
    response = signed_in(world.practitioner).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("persona", "url_name"), [
    ("practitioner", "home"), ("practitioner", "overdue"), ("manager", "team"),
    ("manager", "dashboards"), ("data_team", "dashboards"),
])
def test_no_list_of_families_or_figures_may_be_cached(world, signed_in, persona, url_name):
    response = signed_in(getattr(world, persona)).get(reverse(url_name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_manager_s_supervision_page_may_not_be_cached(world, signed_in):
    url = reverse("supervision", args=[world.practitioner.pk])
    response = signed_in(world.manager).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("name", "action", "object_type"), [
    ("session", "session.view", "session"),
    ("picture", "administration.view_picture", "administration"),
    ("edit person", "person.view", "person"),
    ("correct record", "administration.view", "administration"),
    ("closure summary", "episode.view_summary", "episode"),
    ("record session", "family.view_record_form", "family"),
])
def test_opening_a_page_with_identifiable_data_is_audited(world, signed_in, name, action,
                                                          object_type):
    url = object_urls(world)[name]
    before = AuditEntry.objects.count()
    signed_in(world.practitioner).get(url)
    entry = AuditEntry.objects.get(action=action)
    assert AuditEntry.objects.count() == before + 1
    assert (entry.actor, entry.object_type) == (world.practitioner, object_type)
    assert str(entry.object_id) in url
