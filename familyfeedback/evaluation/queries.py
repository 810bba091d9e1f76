"""What the evaluation's pages read about a trial the evaluator has already been let into (see
evaluation.access), so that views make no queries of their own."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from familyfeedback.evaluation.models import (
    Coding,
    Consent,
    Document,
    Erasure,
    Finding,
    MatrixCell,
    Question,
    ResearchQuestion,
    Theme,
    Trial,
    TrialPractitioner,
    TrialTeam,
    Wave,
)
from familyfeedback.lib.dates import years_after


def teams_in(trial: Trial) -> list[TrialTeam]:
    return list(trial.teams.all())


def waves_by_kind(trial: Trial) -> dict[str, Wave]:
    return {w.kind: w for w in trial.waves.all()}


def open_wave(trial: Trial, kind: str) -> Wave | None:
    """The wave, if it takes answers today (opened, not closed, within its dates)."""
    wave = trial.waves.filter(kind=kind, is_open=True).first()
    return wave if wave is not None and wave.accepts_answers(timezone.localdate()) else None


def practitioners_in(trial: Trial) -> list[TrialPractitioner]:
    return list(trial.practitioners.select_related("team"))


def research_questions(trial: Trial) -> list[ResearchQuestion]:
    return list(trial.questions_asked.all())


def admin_record_count(trial: Trial) -> int:
    return trial.admin_records.count()


def custom_questions(trial: Trial, wave_kind: str | None = None) -> list[Question]:
    questions = trial.custom_questions.all()
    return list(questions if wave_kind is None else questions.filter(wave=wave_kind))


def answers_given(respondent: TrialPractitioner, wave_kind: str) -> dict[str, str]:
    return dict(respondent.responses.filter(wave=wave_kind).values_list("item", "value"))


def withdrawn(trial: Trial, activity: str) -> set[str]:
    """The pseudonyms of the practitioners who withdrew from this evaluation activity (a
    models.CONSENT_ACTIVITIES code): from then on, nothing of theirs it covers is analysed or
    exported."""
    return set(trial.consents.filter(activity=activity, withdrawn_on__isnull=False)
               .values_list("practitioner__practitioner_code", flat=True))


def answered_by_wave(trial: Trial) -> set[tuple[int, str]]:
    """(practitioner id, wave) for everyone who answered anything in a wave."""
    return set(trial.responses.values_list("respondent_id", "wave").distinct())


def consents_by_practitioner(trial: Trial) -> dict[int, dict[str, Consent]]:
    """Each practitioner's consent records, by activity."""
    found: dict[int, dict] = {}
    for consent in trial.consents.all():
        found.setdefault(consent.practitioner_id, {})[consent.activity] = consent
    return found


# Research data are kept this many years after the study, unless the trial says otherwise.
RETENTION_YEARS = 2


def retention_date(trial: Trial) -> date | None:
    """When the trial's research data are due to be erased: its own date, or two years after
    its last wave closed (closed by hand, or its closing date); None while a wave has no end."""
    if trial.retention_date is not None:
        return trial.retention_date
    ends = [w.closed_on or w.closes_on for w in trial.waves.filter(is_open=True)]
    if not ends or None in ends:
        return None
    return years_after(max(ends), RETENTION_YEARS)


def erasure(trial: Trial) -> Erasure | None:
    return trial.erasures.first()


def research_data_counts(trial: Trial) -> dict[str, int]:
    """The research data a trial holds about people, by kind: what an erasure removes."""
    return {"practitioners": trial.practitioners.count(),
            "survey answers": trial.responses.count(),
            "admin records": trial.admin_records.count(),
            "training records": trial.training.count(),
            "consent records": trial.consents.count(),
            "family members": trial.people.count(),
            "documents": trial.documents.count(),
            "matrix cells": trial.matrix_cells.count()}


def trials_due_for_erasure(today: date) -> list[tuple[Trial, date]]:
    """Trials whose retention date has come (on or before today) and whose research data are
    not yet erased, with that date."""
    due = []
    for trial in Trial.objects.filter(erasures__isnull=True).order_by("name"):
        when = retention_date(trial)
        if when is not None and when <= today:
            due.append((trial, when))
    return due


def qualitative_counts(trial: Trial) -> dict[str, int]:
    """How much of the trial's qualitative work a REFI-QDA project would carry."""
    return {"themes": trial.themes.count(), "documents": trial.documents.count(),
            "codings": Coding.objects.filter(document__trial=trial).count()}
# The framework matrix (issue 12): participants by themes.
def matrix_participants(trial: Trial, *, arm: str = "", role: str = "") -> list[TrialPractitioner]:
    """The matrix's rows: the participants with a document of their own (an interview) or a
    summary already written, of the arm and role asked ("" for any)."""
    rows = (trial.practitioners.filter(Q(documents__isnull=False)
                                       | Q(matrix_cells__isnull=False))
            .distinct().select_related("team"))
    if arm:
        rows = rows.filter(team__arm=arm)
    if role:
        rows = rows.filter(role=role)
    return list(rows.order_by("practitioner_code"))


def roles_in(trial: Trial) -> list[str]:
    return list(trial.practitioners.order_by("role").values_list("role", flat=True).distinct())


def matrix_themes(trial: Trial, question: ResearchQuestion | None = None) -> list[Theme]:
    """The trial's themes and sub-themes; given a research question, those linked to it and
    the sub-themes of a theme that is."""
    themes = trial.themes.select_related("parent")
    if question is not None:
        themes = themes.filter(Q(research_questions=question)
                               | Q(parent__research_questions=question)).distinct()
    return list(themes.order_by("name", "id"))


def matrix_cells(trial: Trial, participants: list[TrialPractitioner],
                 themes: list[Theme]) -> list[MatrixCell]:
    return list(trial.matrix_cells.filter(participant__in=participants, theme__in=themes))


def matrix_codings(trial: Trial, participants: list[TrialPractitioner], themes: list[Theme], *,
                   with_text: bool = False) -> list[Coding]:
    """Every evaluator's codings under these themes in these participants' own documents, in
    the order they come in the documents. The documents' text only when the passages are
    shown: the matrix itself counts them."""
    codings = (Coding.objects.filter(document__trial=trial, document__participant__in=participants,
                                     theme__in=themes)
               .select_related("document").order_by("document__title", "document_id", "start",
                                                    "end", "id"))
    return list(codings if with_text else codings.defer("document__text"))
# Qualitative work.
def documents(trial: Trial) -> list[Document]:
    return list(trial.documents.select_related("participant__team", "team")
                .defer("text"))


def themes(trial: Trial) -> list[Theme]:
    """The codebook: every theme and sub-theme, with its research questions."""
    return list(trial.themes.prefetch_related("research_questions"))


def codings_of(document: Document) -> list[Coding]:
    return list(document.codings.select_related("theme", "coder"))


def text_answers(trial: Trial) -> list[tuple[str, str, str, str]]:
    """(wave, question code, pseudonym, answer) of every answer to the trial's free-text
    questions, by pseudonym."""
    codes = trial.custom_questions.filter(kind="text").values("question_code")
    return list(trial.responses.filter(item__in=codes).exclude(value="")
                .order_by("wave", "item", "respondent__practitioner_code")
                .values_list("wave", "item", "respondent__practitioner_code", "value"))


def open_text_document(trial: Trial, wave: str, question_code: str) -> Document | None:
    return trial.documents.filter(kind="open_text", wave=wave, question_code=question_code).first()


def coders_of(document: Document) -> list:
    """The evaluators who coded the document, in the order they first did."""
    seen = {}
    for coding in document.codings.select_related("coder").order_by("coded_at", "id"):
        seen.setdefault(coding.coder_id, coding.coder)
    return list(seen.values())
# The report's pages: what an evaluator writes under a research question, and the coded passages
# they may quote there.
def finding_of(trial: Trial, question: ResearchQuestion | None) -> Finding | None:
    """The evaluator's text under a research question, or with None the limitations."""
    return trial.findings.filter(question=question).first()


def quotable(trial: Trial, question: ResearchQuestion) -> list[Coding]:
    """The trial's codings under a theme (or a sub-theme of one) linked to the question, and any
    already quoted there, in document order."""
    linked = (Q(theme__research_questions=question)
              | Q(theme__parent__research_questions=question) | Q(quotes__question=question))
    return list(Coding.objects.filter(linked, document__trial=trial).distinct()
                .select_related("document__participant__team", "theme")
                .order_by("document__title", "document_id", "start", "end", "id"))


def quoted(question: ResearchQuestion) -> list[int]:
    """The codings quoted under the question, in the report's order."""
    return list(question.quotes.order_by("position", "id").values_list("coding_id", flat=True))
