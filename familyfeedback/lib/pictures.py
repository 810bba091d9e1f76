"""Photos of children's drawings: checked, then kept as a re-encoded copy of bounded size.

A phone's photo is megabytes and thousands of pixels wide, and carries EXIF metadata: the camera,
the time and often the GPS position of the family's home. So an upload is decoded with Pillow
and written again, at most LONG_SIDE pixels on its long side, as JPEG (or PNG if it came as PNG,
to keep a drawing's transparency), with no metadata at all: only the pixels are copied. The
first bytes are checked first, rather than trusting the browser's content type or the file
name, which a renamed file or a phone's odd default can get wrong.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import Http404
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
# Beyond any phone's camera (a 200-megapixel sensor is 16,320 x 12,240); refusing more keeps a
# crafted small file that decodes to gigabytes (a "decompression bomb") from being opened.
MAX_PIXELS = 200_000_000
LONG_SIDE = 1600
THUMBNAIL_SIDE = 240  # twice the size the family page shows it at, for sharp high-density screens
SIGNATURES = {
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}
UNREADABLE = "The photo could not be read: take it again"
# What Pillow raises for a truncated, corrupt or oversized file.
UNREADABLE_IMAGE = (OSError, SyntaxError, ValueError, Image.DecompressionBombError)


def open_picture(picture: FieldFile) -> FieldFile:
    """A kept photo, open for reading; a 404 when there is none or its file has gone."""
    if not picture:
        raise Http404("No picture")
    try:
        return picture.open("rb")
    except FileNotFoundError:
        raise Http404("The picture's file is missing") from None


def picture_kind(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) for the file's first bytes, or None."""
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    return None


def check_picture(upload: UploadedFile) -> UploadedFile:
    """The upload as it is to be stored: re-encoded, bounded, without metadata. Raises
    ValidationError with a message for the person if it is not a photo we can keep."""
    if upload.size > MAX_BYTES:
        raise ValidationError("The photo must be smaller than 10 MB")
    head = upload.read(12)
    upload.seek(0)
    if picture_kind(head) is None:
        raise ValidationError("The photo must be a JPG, PNG or WebP image")
    try:
        content, extension = _reencode(upload)
    except UNREADABLE_IMAGE:
        raise ValidationError(UNREADABLE) from None
    content_type = "image/png" if extension == "png" else "image/jpeg"
    return SimpleUploadedFile(f"drawing.{extension}", content, content_type)


def _reencode(upload: UploadedFile) -> tuple[bytes, str]:
    with Image.open(upload) as image:
        if image.width * image.height > MAX_PIXELS:
            raise ValueError("too many pixels")
        png = image.format == "PNG"
        # A JPEG decodes straight at a fraction of its size, far faster than in full.
        image.draft("RGB", (LONG_SIDE, LONG_SIDE))
        # Turned as the phone meant it: the orientation is EXIF, which is not copied.
        upright = ImageOps.exif_transpose(image)
        return _encode(upright, LONG_SIDE, png), "png" if png else "jpg"


def _encode(image: Image.Image, side: int, png: bool) -> bytes:
    image = image.copy()
    image.thumbnail((side, side))
    out = io.BytesIO()
    if png:
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image.convert("RGBA" if transparent else "RGB").save(out, "PNG", optimize=True)
    else:
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def thumbnail(stored) -> tuple[bytes, str]:
    """A small copy of a stored photo (a file object), THUMBNAIL_SIDE pixels on its long side,
    and its content type. Made when asked rather than stored: the stored photo is already
    bounded, so this is quick, and there is no second file to keep in step with the record."""
    with Image.open(stored) as image:
        png = image.format == "PNG"
        image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        return _encode(image, THUMBNAIL_SIDE, png), "image/png" if png else "image/jpeg"
