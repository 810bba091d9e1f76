"""A young child's drawn face, photographed, is kept with the record and shown only to the people
working with the family."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from familyfeedback.casework.models import Administration
from tests import factories
from tests.casework.forms_data import record_session_post

pytestmark = pytest.mark.usefixtures("media_root")


def post_with_picture(world, client, content: bytes, name="drawing.png"):
    child = world.family.people.get(first_name="Person4")
    data = record_session_post(world.family, timezone.localdate())
    data[f"p{child.pk}-ors-picture"] = SimpleUploadedFile(name, content)
    return child, client.post(reverse("record_session", args=[world.family.pk]), data)


def test_a_photo_of_a_drawn_face_is_stored_and_shown_to_the_practitioner(world, signed_in):
    client = signed_in(world.practitioner)
    child, response = post_with_picture(world, client, factories.PNG, name="Person4 face 2026.png")
    record = Administration.objects.get(person=child, tool="ORS")
    assert response.status_code == 302
    assert record.picture.name.startswith("pictures/") and "Person4" not in record.picture.name
    picture = client.get(reverse("administration_picture", args=[record.pk]))
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/png"
    assert picture["Cache-Control"] == "private, no-store"
    # The stored copy, re-encoded (tests/casework/test_picture_sizes.py): still the one pixel.
    content = b"".join(picture.streaming_content)
    with record.picture.open("rb") as stored:
        assert content == stored.read()
    assert Image.open(io.BytesIO(content)).size == (1, 1)
    page = client.get(response["Location"]).content.decode()
    assert 'alt="Photo of the face Person4 drew on' in page


def test_the_photo_is_not_shown_to_another_team(world, signed_in, client):
    _, response = post_with_picture(world, signed_in(world.practitioner), factories.PNG)
    record = Administration.objects.exclude(picture="").get()
    for user in (world.colleague_other_team, world.evaluator, world.data_team, world.outsider):
        client.force_login(user)
        assert client.get(reverse("administration_picture", args=[record.pk])).status_code == 404


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(world, signed_in):
    client = signed_in(world.practitioner)
    _, response = post_with_picture(world, client, b"%PDF-1.4 not a picture", "face.png")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Person4&#39;s YCORS: The photo must be a JPG, PNG or WebP image" in page
    assert "Choose the photos of drawn faces again" in page
    assert not Administration.objects.exists()


def test_a_session_that_fails_to_save_leaves_no_photo_behind(world, signed_in, settings,
                                                             monkeypatch):
    from familyfeedback.accounts import audit

    def fail(*args, **kwargs):
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr(audit, "record_many", fail)
    client = signed_in(world.practitioner)
    client.raise_request_exception = False
    _, response = post_with_picture(world, client, factories.PNG)
    assert response.status_code == 500
    assert not Administration.objects.exists()
    stored = list((settings.MEDIA_ROOT / "pictures").glob("*")) if (
        settings.MEDIA_ROOT / "pictures").exists() else []
    assert stored == []


def test_a_missing_photo_file_is_a_404_not_an_error(world, signed_in, settings):
    client = signed_in(world.practitioner)
    post_with_picture(world, client, factories.PNG)
    record = Administration.objects.exclude(picture="").get()
    (settings.MEDIA_ROOT / record.picture.name).unlink()
    assert client.get(reverse("administration_picture", args=[record.pk])).status_code == 404
