"""How a trial is going, for its page: where its arms came from, respondents by team and wave (the
pilot report's Table 2.2), and who has not answered an open wave yet."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation.models import Response, Trial, TrialPractitioner


@dataclass(frozen=True)
class ImportedArms:
    package: str  # the package folder's name
    on: datetime | None  # None: the import predates its audit entry


def imported_arms(trial: Trial) -> ImportedArms | None:
    """For a trial whose arms came in an evaluation package (import_evaluation), which package
    and when, from the import's audit entry; None for a trial randomised here or not yet."""
    if hasattr(trial, "allocation") or not trial.teams.exclude(arm="").exists():
        return None
    imports = AuditEntry.objects.filter(action="evaluation.import", object_type="trial",
                                        object_id=trial.pk).order_by("at", "id")
    for entry in imports:
        if entry.changes.get("added", {}).get("teams"):
            return ImportedArms(entry.changes.get("package", ""), entry.at)
    return ImportedArms("", None)


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
