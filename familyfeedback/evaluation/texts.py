"""The text of a document the evaluators code: read from an upload, and cut into paragraphs.

A document's text is plain, its paragraphs separated by blank lines, and a coding names
characters of it; so the text is fixed once read, and everything that shows or counts
paragraphs finds them here, the same way."""

import io
import re
import zipfile
from dataclasses import dataclass

import docx
from django.core.exceptions import ValidationError
from docx.opc.exceptions import PackageNotFoundError
from lxml.etree import XMLSyntaxError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A .docx is a zip: a small file can unpack to gigabytes. A long interview's transcript is a
# few megabytes unpacked.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
UPLOAD_KINDS = (".txt", ".docx")

# A run of lines that each have something on them: one paragraph.
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_BLANK_LINES = re.compile(r"\n[ \t]*\n[\s]*")


@dataclass(frozen=True)
class Paragraph:
    number: int  # from 1, as the page shows it
    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[Paragraph]:
    """The text's paragraphs, each its characters [start, end) without the spaces around it."""
    found = []
    for match in _PARAGRAPH.finditer(text):
        body = match.group()
        start = match.start() + len(body) - len(body.lstrip())
        end = match.start() + len(body.rstrip())
        found.append(Paragraph(len(found) + 1, start, end, text[start:end]))
    return found


def one_paragraph(text: str) -> str:
    """Text kept as one paragraph (a survey answer): blank lines inside it become line breaks."""
    return _BLANK_LINES.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def read_upload(name: str, content: bytes) -> str:
    """The text of an uploaded .txt (UTF-8) or .docx (its paragraphs' text), paragraphs
    separated by blank lines. ValidationError, in words the evaluator can act on, otherwise."""
    lowered = name.lower()
    if not lowered.endswith(UPLOAD_KINDS):
        raise ValidationError("The file must be a .txt or a .docx file", code="kind")
    text = _read_docx(content) if lowered.endswith(".docx") else _read_txt(content)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in text:
        raise ValidationError("The file has characters that are not text in it: save it again "
                              "as plain text (UTF-8) or as a Word document", code="binary")
    if not paragraphs(text):
        raise ValidationError("The file has no text in it", code="no_text")
    return text


def _read_txt(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")  # a byte order mark, as Notepad writes, is dropped
    except UnicodeDecodeError:
        raise ValidationError("The file is not UTF-8 text: save it again as UTF-8 (in Notepad, "
                              "Save as, Encoding UTF-8), or upload the Word document",
                              code="encoding") from None


def _read_docx(content: bytes) -> str:
    unreadable = ValidationError("The file could not be read as a Word document (.docx): open "
                                 "it in Word and save it again as a .docx", code="docx")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile:
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError("The Word document is too large to read: split it into parts",
                              code="too_large")
    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError):
        raise unreadable from None
    # A paragraph's own line breaks stay; empty paragraphs (Word's spacing) go.
    return "\n\n".join(p.text.strip() for p in document.paragraphs if p.text.strip())
