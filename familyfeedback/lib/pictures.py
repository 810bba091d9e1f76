"""Checks on an uploaded photo of a child's drawing: a real JPEG, PNG or WebP of sensible size.

The first bytes are read rather than trusting the browser's content type or the file name, which
a renamed file or a phone's odd default can get wrong. Pillow would do more, but the app never
opens or resizes the image, so a signature check is all it needs.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}


def picture_kind(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) for the file's first bytes, or None."""
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    return None


def check_picture(upload: UploadedFile) -> UploadedFile:
    if upload.size > MAX_BYTES:
        raise ValidationError("The photo must be smaller than 10 MB")
    head = upload.read(12)
    upload.seek(0)
    kind = picture_kind(head)
    if kind is None:
        raise ValidationError("The photo must be a JPG, PNG or WebP image")
    upload.name = f"drawing.{kind[0]}"
    return upload
