"""A phone's full-size photo of a drawn face is stored as a re-encoded copy at most 1600 px on its
long side, without the photo's metadata (EXIF, GPS), and the family page shows a small thumbnail
of it, served through the same access check as the photo."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import Administration
from tests.casework.forms_data import record_session_post

GPS = 0x8825  # the EXIF pointer to the GPS tags

pytestmark = pytest.mark.usefixtures("media_root")


def phone_photo(width=4000, height=3000) -> bytes:
    """A large JPEG as a phone takes it: grainy (so it is megabytes, like a real photo), with
    EXIF naming the camera and where it was taken."""
    rng = random.Random(8)
    small = Image.frombytes("RGB", (width // 4, height // 4),
                            rng.randbytes(width * height * 3 // 16))
    image = small.resize((width, height), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def upload(world, client, content: bytes, name="IMG_0001.jpg"):
    child = world.family.people.get(first_name="Person4")
    data = record_session_post(world.family, timezone.localdate())
    data[f"p{child.pk}-ors-picture"] = SimpleUploadedFile(name, content)
    response = client.post(reverse("record_session", args=[world.family.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Administration.objects.exclude(picture="").get()


def served(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_large_photo_is_stored_and_served_bounded_and_without_its_metadata(world, signed_in,
                                                                              settings):
    photo = phone_photo()
    assert len(photo) > 4_000_000 and Image.open(io.BytesIO(photo)).getexif()[GPS]
    client = signed_in(world.practitioner)
    record = upload(world, client, photo)

    stored = (settings.MEDIA_ROOT / record.picture.name).read_bytes()
    assert record.picture.name.endswith(".jpg")
    assert len(stored) < len(photo) / 4
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (1600, 1200)
        assert not image.getexif() and "exif" not in image.info

    response = client.get(reverse("administration_picture", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert served(response) == stored


def test_a_small_png_stays_a_png_of_its_own_size(world, signed_in, settings):
    image = Image.new("RGBA", (300, 200), (255, 0, 0, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    record = upload(world, signed_in(world.practitioner), out.getvalue(), "face.png")
    with Image.open(settings.MEDIA_ROOT / record.picture.name) as stored:
        assert (stored.format, stored.size, stored.mode) == ("PNG", (300, 200), "RGBA")


def test_a_thumbnail_of_a_file_that_is_not_an_image_is_a_404_not_an_error(world, signed_in,
                                                                         settings):
    # As a photo kept before uploads were re-encoded could be: only its first bytes were checked.
    client = signed_in(world.practitioner)
    record = upload(world, client, phone_photo(800, 600))
    (settings.MEDIA_ROOT / record.picture.name).write_bytes(b"\xff\xd8\xff not a photo")
    small = reverse("administration_picture_thumbnail", args=[record.pk])
    assert client.get(small).status_code == 404


def test_the_manager_sees_the_thumbnail_too(world, signed_in, client):
    record = upload(world, signed_in(world.practitioner), phone_photo(800, 600))
    client.force_login(world.manager)
    response = client.get(reverse("administration_picture_thumbnail", args=[record.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_the_family_page_shows_a_thumbnail_served_to_the_practitioner(world, signed_in):
    client = signed_in(world.practitioner)
    record = upload(world, client, phone_photo(2000, 1500))
    thumbnail_url = reverse("administration_picture_thumbnail", args=[record.pk])
    page = client.get(reverse("family", args=[world.family.pk])).content.decode()
    assert f'src="{thumbnail_url}"' in page
    assert 'alt="Photo of the face Person4 drew on' in page

    response = client.get(thumbnail_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    with Image.open(io.BytesIO(served(response))) as thumbnail:
        assert thumbnail.size == (240, 180)
    assert len(served(response)) < 60_000
    assert AuditEntry.objects.filter(action="administration.view_picture",
                                     object_id=record.pk, actor=world.practitioner).exists()


@pytest.mark.parametrize("persona", ["colleague in another team", "evaluator", "data team",
                                     "administrator", "outsider"])
def test_the_thumbnail_is_not_shown_to_anyone_else(world, signed_in, client, persona):
    record = upload(world, signed_in(world.practitioner), phone_photo(800, 600))
    client.force_login(world.everyone()[persona])
    small = reverse("administration_picture_thumbnail", args=[record.pk])
    assert client.get(small).status_code == 404


def test_a_record_without_a_photo_has_no_thumbnail(world, signed_in):
    client = signed_in(world.practitioner)
    client.post(reverse("record_session", args=[world.family.pk]),
                record_session_post(world.family, timezone.localdate()))
    record = Administration.objects.filter(measure="YCORS").get()
    small = reverse("administration_picture_thumbnail", args=[record.pk])
    assert client.get(small).status_code == 404


def test_a_file_that_only_starts_like_an_image_is_refused(world, signed_in):
    client = signed_in(world.practitioner)
    child = world.family.people.get(first_name="Person4")
    data = record_session_post(world.family, timezone.localdate())
    data[f"p{child.pk}-ors-picture"] = SimpleUploadedFile(
        "face.jpg", b"\xff\xd8\xff\xe0" + b"not really a photo" * 50)
    response = client.post(reverse("record_session", args=[world.family.pk]), data)
    assert response.status_code == 200
    assert "Person4&#39;s YCORS: The photo could not be read: take it again" in (
        response.content.decode())
    assert not Administration.objects.exists()
