"""The casework pages' access beyond the service's access matrix (tests/test_access_matrix.py,
which holds who reaches every page): the colleague's own family, a manager of another team, a
switched-off account, signing in first, and addresses that identify nobody."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests import factories


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def object_urls(world) -> dict[str, str]:
    family = world.family
    person = family.people.first()
    session = factories.session(world.practitioner, family,
                                timezone.localdate() - timedelta(days=3))
    record = session.administrations.first()
    drawing = session.administrations.get(measure="YCORS")
    drawing.picture.save("drawing.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    today = timezone.localdate()
    earlier = family.episodes.create(opened_on=today - timedelta(days=400),
                                     closed_on=today - timedelta(days=300))
    return {
        "family": reverse("family", args=[family.pk]),
        "add person": reverse("add_person", args=[family.pk]),
        "edit person": reverse("edit_person", args=[person.pk]),
        "record session": reverse("record_session", args=[family.pk]),
        "session": reverse("session", args=[session.pk]),
        "correct record": reverse("correct_administration", args=[record.pk]),
        "picture": reverse("administration_picture", args=[drawing.pk]),
        "acknowledge alert": reverse("acknowledge_alert", args=[person.pk]),
        "close support": reverse("close_support", args=[family.pk]),
        "reopen support": reverse("reopen_support", args=[family.pk]),
        "transfer family": reverse("transfer_family", args=[family.pk]),
        "closure summary": reverse("closure_summary", args=[earlier.pk]),
    }


def test_the_colleague_reaches_their_own_family_but_not_ours(world, client):
    client.force_login(world.colleague_other_team)
    assert client.get(reverse("family", args=[world.other_family.pk])).status_code == 200
    assert client.get(reverse("family", args=[world.family.pk])).status_code == 404


def test_a_manager_does_not_reach_a_team_they_do_not_manage(world, client):
    client.force_login(world.manager)
    assert client.get(reverse("family", args=[world.other_family.pk])).status_code == 404


def test_a_switched_off_account_reaches_nothing(world, client):
    world.practitioner.is_active = False
    world.practitioner.save()
    client.force_login(world.practitioner)
    response = client.get(reverse("family", args=[world.family.pk]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_every_page_but_sign_in_and_health_asks_to_sign_in(world, client):
    for url in [*object_urls(world).values(), reverse("home"), reverse("audit_log")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("health")).json() == {"status": "ok"}


def test_urls_carry_no_names_dates_of_birth_or_case_references(world):
    family = world.family
    people = list(family.people.all())
    identifying = [family.name, family.case_reference] + [
        value for p in people for value in (p.first_name, p.last_name, p.date_of_birth.isoformat())
    ]
    for url in object_urls(world).values():
        assert not any(value.lower() in url.lower() for value in identifying), url


def test_only_administrators_read_the_audit_log(world, client):
    for persona, user in world.everyone().items():
        client.force_login(user)
        expected = 200 if persona == "administrator" else 404
        assert client.get(reverse("audit_log")).status_code == expected, persona


def test_a_post_to_a_page_that_only_shows_is_refused_alike_for_real_and_missing_records(
    world, client
):
    client.force_login(world.colleague_other_team)
    real = client.post(reverse("family", args=[world.family.pk])).status_code
    missing = client.post(reverse("family", args=[999999])).status_code
    assert real == missing == 405
