"""What the evaluation's pages read about a trial the evaluator has already been let into (see
evaluation.access), so that views make no queries of their own."""

from django.db.models import Q

from familyfeedback.evaluation.models import (
    Coding,
    MatrixCell,
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
