"""Who reaches the evaluation: evaluators run trials and read pseudonymised data; a practitioner
in a trial reaches only their own survey. Anyone else is told there is no such page."""

from django.db.models import QuerySet
from django.http import Http404

from familyfeedback.accounts.models import Role, Team, User
from familyfeedback.evaluation.models import Trial, TrialPractitioner, Wave


def trials_for(user: User) -> QuerySet[Trial]:
    if user.role != Role.EVALUATOR:
        raise Http404("No such page")
    return Trial.objects.all()


def get_trial_for(user: User, trial_id: int) -> Trial:
    trial = trials_for(user).filter(pk=trial_id).first()
    if trial is None:
        raise Http404("No such trial")
    return trial


def open_waves(respondent: TrialPractitioner) -> list[Wave]:
    """The survey waves open to this practitioner: their team's arm is asked."""
    return [w for w in respondent.trial.waves.filter(is_open=True).order_by("id")
            if respondent.team.arm in w.arms]


def respondents_for(user: User) -> list[TrialPractitioner]:
    return list(TrialPractitioner.objects.filter(user=user).select_related("trial", "team"))


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
    teams = Team.objects.all()
    return list(teams if ids is None else teams.filter(pk__in=ids))
