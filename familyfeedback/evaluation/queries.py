"""What the evaluation's pages read about a trial the evaluator has already been let into (see
evaluation.access), so that views make no queries of their own."""

from django.db.models import Q

from familyfeedback.evaluation.models import (
    Coding,
    Finding,
    Question,
    ResearchQuestion,
    Trial,
    TrialPractitioner,
    TrialTeam,
    Wave,
)


def teams_in(trial: Trial) -> list[TrialTeam]:
    return list(trial.teams.all())


def waves_by_kind(trial: Trial) -> dict[str, Wave]:
    return {w.kind: w for w in trial.waves.all()}


def open_wave(trial: Trial, kind: str) -> Wave | None:
    return trial.waves.filter(kind=kind, is_open=True).first()


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
