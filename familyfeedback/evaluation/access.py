"""Who reaches the evaluation: evaluators run trials and read pseudonymised data; a practitioner
in a trial reaches only their own survey. Anyone else is told there is no such page."""

from django.db.models import QuerySet
from django.http import Http404

from familyfeedback.accounts.models import Role, Team, User
from familyfeedback.evaluation.models import ResearchQuestion, Trial, TrialPractitioner, Wave


def require_evaluator(user: User) -> None:
    if not user.has_role(Role.EVALUATOR):
        raise Http404("No such page")


def trials_for(user: User) -> QuerySet[Trial]:
    require_evaluator(user)
    return Trial.objects.all()


def get_trial_for(user: User, trial_id: int) -> Trial:
    trial = trials_for(user).filter(pk=trial_id).first()
    if trial is None:
        raise Http404("No such trial")
    return trial


def get_research_question_for(user: User, trial_id: int, number: str) -> ResearchQuestion:
    question = (ResearchQuestion.objects.filter(trial=get_trial_for(user, trial_id),
                                                number=number)
                .select_related("trial").first())
    if question is None:
        raise Http404("No such research question")
    return question


def open_waves(respondent: TrialPractitioner) -> list[Wave]:
    """The survey waves open to this practitioner: their team's arm is asked."""
    return [w for w in Wave.objects.filter(trial=respondent.trial, is_open=True).order_by("id")
            if respondent.team.arm in w.arms]


def respondents_for(user: User) -> list[TrialPractitioner]:
    return list(TrialPractitioner.objects.filter(user=user).select_related("trial", "team"))


def get_respondent_for(user: User, respondent_id: int) -> TrialPractitioner:
    """One of the signed-in practitioner's own places in a trial, never anyone else's."""
    found = (TrialPractitioner.objects.filter(user=user, pk=respondent_id)
             .select_related("trial", "team").first())
    if found is None:
        raise Http404("No such survey")
    return found


def respondent_by_token(token: str) -> TrialPractitioner:
    found = (TrialPractitioner.objects.filter(link_token=token).exclude(link_token="")
             .select_related("trial", "team").first())
    if found is None:
        raise Http404("No such survey link")
    return found


def get_wave_for(respondent: TrialPractitioner, wave_id: int) -> Wave:
    wave = next((w for w in open_waves(respondent) if w.pk == wave_id), None)
    if wave is None:
        raise Http404("No such survey")
    return wave


def service_teams(ids=None) -> list[Team]:
    """The service's teams an evaluator may put in a trial (names only, no family data)."""
    teams = Team.objects.active()
    return list(teams if ids is None else teams.filter(pk__in=ids))
