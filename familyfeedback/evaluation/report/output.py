"""The report drawn: as a page's context, as one self-contained HTML file, and as a PDF
(WeasyPrint, from that same file, so the two never differ)."""

from __future__ import annotations

from django.template.loader import render_to_string

from familyfeedback.evaluation.models import Trial
from familyfeedback.evaluation.report import presenter, reading


def context(trial: Trial) -> dict:
    return presenter.build(reading.read(trial))


def html(trial: Trial) -> str:
    """The report as a document: its styles inside it, nothing that changes from one making to
    the next (no clock, no token), so the same data gives the same file."""
    return render_to_string("evaluation/report_document.html", {"report": context(trial)})


def pdf(trial: Trial) -> bytes:
    # Imported here: WeasyPrint takes a second to load, and only the PDF needs it.
    from weasyprint import HTML

    return HTML(string=html(trial)).write_pdf()
