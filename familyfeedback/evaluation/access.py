"""Who reaches the evaluation: evaluators run trials and read pseudonymised data; a practitioner
in a trial reaches only their own survey, signed in or through their personal link. Anyone else
is told there is no such page."""

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from familyfeedback.accounts.models import Role, Team, User
from familyfeedback.evaluation.models import (
    Coding,
    Document,
    ResearchQuestion,
    Theme,
    Trial,
    TrialPractitioner,
    Wave,
    oldest_working_link,
)

# The session's personal link: kept server-side, so the pages after the link carry no token.
SURVEY_LINK = "survey_link"


def require_evaluator(user: User) -> None:
    if not user.has_role(Role.EVALUATOR):
        raise Http404("No such page")


def trials_for(user: User) -> QuerySet[Trial]:
    require_evaluator(user)
    return Trial.objects.all()


def get_trial_for(user: User, trial_id: int) -> Trial:
    return get_object_or_404(trials_for(user), pk=trial_id)


def get_research_question_for(user: User, trial_id: int, number: str) -> ResearchQuestion:
    return get_object_or_404(ResearchQuestion.objects.select_related("trial"),
                             trial=get_trial_for(user, trial_id), number=number)


def open_waves(respondent: TrialPractitioner) -> list[Wave]:
    """The survey waves open to this practitioner: their team's arm is asked."""
    return [w for w in Wave.objects.filter(trial=respondent.trial, is_open=True).order_by("id")
            if respondent.team.arm in w.arms]


def respondents_for(user: User) -> list[TrialPractitioner]:
    return list(TrialPractitioner.objects.filter(user=user).select_related("trial", "team"))


def get_respondent_for(user: User, respondent_id: int) -> TrialPractitioner:
    """One of the signed-in practitioner's own places in a trial, never anyone else's."""
    return get_object_or_404(TrialPractitioner.objects.select_related("trial", "team"),
                             user=user, pk=respondent_id)


def get_trial_respondent_for(user: User, trial_id: int, respondent_id: int) -> TrialPractitioner:
    """A practitioner in a trial, by pseudonym, for the trial's evaluator."""
    return get_object_or_404(TrialPractitioner.objects.select_related("trial", "user"),
                             trial=get_trial_for(user, trial_id), pk=respondent_id)


def respondent_by_token(token: str) -> TrialPractitioner | None:
    """The practitioner whose personal link this is, or None: no such link, or it was revoked,
    replaced by a newer one or has run out."""
    if not token:
        return None
    return (TrialPractitioner.objects
            .filter(link_token=token, link_issued_at__gte=oldest_working_link())
            .select_related("trial", "team").first())


def follow_survey_link(session: SessionBase, token: str) -> TrialPractitioner | None:
    """A personal link followed: its holder is let in to their survey for this session, and
    the pages after need no token. None, and nobody let in, if the link does not work."""
    respondent = respondent_by_token(token)
    if respondent is not None:
        session.cycle_key()  # a session id from before the link is not the one let in
        session[SURVEY_LINK] = token
    return respondent


def respondent_by_link(session: SessionBase) -> TrialPractitioner | None:
    """Whom this session's personal link lets in, checked again on every page, so a link
    revoked or run out stops working at once; None if it does not (or there is none)."""
    return respondent_by_token(session.get(SURVEY_LINK, ""))


def get_wave_for(respondent: TrialPractitioner, wave_id: int) -> Wave:
    wave = next((w for w in open_waves(respondent) if w.pk == wave_id), None)
    if wave is None:
        raise Http404("No such survey")
    return wave


def service_teams(trial: Trial) -> list[Team]:
    """The service's teams an evaluator may put in this trial (names only, no family data): those
    not archived, and those already in it, archived since or not, so that saving the teams again
    keeps them."""
    return list(Team.objects.filter(Q(archived_on__isnull=True)
                                    | Q(pk__in=trial.teams.values("service_team")))
                .order_by("name"))


def get_matrix_place_for(user: User, trial_id: int, respondent_id: int,
                         theme_id: int) -> tuple[TrialPractitioner, Theme]:
    """One cell of a trial's framework matrix, for the trial's evaluator: a participant in the
    trial and a theme of the trial's own codebook."""
    participant = get_trial_respondent_for(user, trial_id, respondent_id)
    theme = get_object_or_404(Theme.objects.select_related("parent"),
                              trial=participant.trial, pk=theme_id)
    return participant, theme
def get_document_for(user: User, trial_id: int, document_id: int) -> Document:
    """A document of a trial the evaluator reaches, for coding."""
    return get_object_or_404(
        Document.objects.select_related("trial", "participant__team", "team"),
        trial=get_trial_for(user, trial_id), pk=document_id)


def get_coding_for(user: User, trial_id: int, coding_id: int) -> Coding:
    return get_object_or_404(Coding.objects.select_related("document"),
                             document__trial=get_trial_for(user, trial_id), pk=coding_id)


def get_theme_for(user: User, trial_id: int, theme_id: int) -> Theme:
    return get_object_or_404(Theme.objects.select_related("trial"),
                             trial=get_trial_for(user, trial_id), pk=theme_id)
