"""How a trial's surveys are going, for its page: respondents by team and wave (the pilot report's
Table 2.2), and who has not answered an open wave yet."""

from django.db.models import Count

from familyfeedback.evaluation.models import Response, Trial, TrialPractitioner


def responses_by_team(trial: Trial) -> list[dict]:
    counts = (Response.objects.filter(trial=trial)
              .values("respondent__team__team_name", "respondent__team__arm", "wave")
              .annotate(n=Count("respondent", distinct=True)))
    table: dict[str, dict] = {}
    for row in counts:
        team = table.setdefault(row["respondent__team__team_name"], {
            "team": row["respondent__team__team_name"], "arm": row["respondent__team__arm"]})
        team[row["wave"]] = row["n"]
    for team in trial.teams.all():
        table.setdefault(team.team_name, {"team": team.team_name, "arm": team.arm})
    return sorted(table.values(), key=lambda r: (r["arm"], r["team"]))


def not_answered(trial: Trial, wave_kind: str, arms: list[str]) -> list[TrialPractitioner]:
    answered = Response.objects.filter(trial=trial, wave=wave_kind).values("respondent")
    return list(trial.practitioners.filter(team__arm__in=arms).exclude(pk__in=answered))
