"""What the evaluation's pages read about a trial the evaluator has already been let into (see
evaluation.access), so that views make no queries of their own."""

from familyfeedback.evaluation.models import (
    Coding,
    Document,
    Question,
    ResearchQuestion,
    Theme,
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
