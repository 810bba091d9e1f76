"""The manager's and data team's dashboard: each figure as a table (and a chart where one helps),
laid out once here so that the page, the CSV and the XLSX downloads show the same numbers."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from familyfeedback import measures
from familyfeedback.accounts.models import JobTitle, Team
from familyfeedback.casework import alerts
from familyfeedback.casework.models import AlertAcknowledgement, AlertState, NotAdministeredReason
from familyfeedback.implementation import summaries, training
from familyfeedback.implementation.access import team_practitioners
from familyfeedback.implementation.models import Attendance
from familyfeedback.lib.barchart import BarChart, bar_chart

ROLE_NAMES = dict(JobTitle.choices)
REASON_NAMES = dict(NotAdministeredReason.choices)


@dataclass
class Table:
    key: str
    caption: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: BarChart | None = None
    note: str = ""


def month_name(month: str) -> str:
    return date.fromisoformat(f"{month}-01").strftime("%b %Y")


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


KEYS = ("usage", "reach", "per_person", "roles", "coverage", "languages", "not_administered",
        "alerts")


def counts(teams: list[Team], start: date, end: date) -> summaries.Raw | summaries.Summed:
    """Where the figures are counted: the records, or the summaries (whose `refreshed` the page
    shows)."""
    return summaries.counts([t.pk for t in teams], start, end, timezone.localdate())


def build(teams: list[Team], start: date, end: date, only: str | None = None,
          counted=None) -> list[Table]:
    """The page's tables, or only the one named, for a download."""
    scope = _Scope(teams, start, end, counted or counts(teams, start, end))
    if only is not None:
        return [BUILDERS[only](scope)]
    return [BUILDERS[key](scope) for key in KEYS]


@dataclass
class _Scope:
    teams: list[Team]
    start: date
    end: date
    counts: summaries.Raw | summaries.Summed

    @property
    def names(self) -> dict:
        return {t.pk: t.name for t in self.teams}

    @property
    def several(self) -> bool:
        return len(self.teams) > 1

    @property
    def team_col(self) -> list[str]:
        return ["Team"] if self.several else []

    def team(self, row) -> list:
        return [self.names[row["team_key"]]] if self.several else []


def _usage(scope: _Scope) -> Table:
    usage_rows = scope.counts.usage_by_month(scope.several)
    usage = Table("usage", "Use of the ORS and SRS by month", [
        *scope.team_col, "Month", "ORS completed", "Practitioners using the ORS",
        "SRS completed", "Practitioners using the SRS"])
    merged: dict[tuple, dict] = {}
    for row in usage_rows:
        key = (row.get("team_key"), row["month"])
        merged.setdefault(key, {"row": row})[row["measure"]] = row
    for (_, month), parts in merged.items():
        ors, srs = parts.get("ORS", {}), parts.get("SRS", {})
        usage.rows.append([*scope.team(parts["row"]), month_name(month),
                           ors.get("completions", 0), ors.get("practitioners", 0),
                           srs.get("completions", 0), srs.get("practitioners", 0)])
    months = sorted({m for _, m in merged})
    totals = {(m, t): 0 for m in months for t in ("ORS", "SRS")}
    for row in usage_rows:
        totals[(row["month"], row["measure"])] += row["completions"]
    usage.chart = bar_chart([month_name(m) for m in months], ["ORS", "SRS"],
                            [[totals[(m, "ORS")], totals[(m, "SRS")]] for m in months])
    return usage


def _reach(scope: _Scope) -> Table:
    reach = Table("reach", "Children and adults who completed each tool", [
        *scope.team_col, "Tool", "Children", "Adults"])
    people: dict[tuple, dict] = {}
    for row in scope.counts.reach(scope.several):
        people.setdefault((row.get("team_key"), row["measure"]), {"row": row})[
            row["person_group"]] = row["people"]
    for (_, measure), counts in people.items():
        reach.rows.append([*scope.team(counts["row"]), measure, counts.get("child", 0),
                           counts.get("adult", 0)])
    return reach


def _per_person(scope: _Scope) -> Table:
    per_person = Table("per_person", "Completions per person", [
        *scope.team_col, "Tool", "Mean", "Fewest", "Most"])
    for row in scope.counts.completions_per_person(scope.several):
        per_person.rows.append([*scope.team(row), row["measure"], round(row["mean"], 1),
                                row["min"], row["max"]])
    return per_person


def _roles(scope: _Scope) -> Table:
    staff = team_practitioners(scope.teams)
    register = Attendance.objects.filter(user__in=staff).values_list(
        "user_id", "event__kind", "attended")
    trained = training.trained(training.Attended(*row) for row in register)
    users = scope.counts.used_tools()
    roles = Table("roles", "Practitioners trained and using the tools, by role", [
        "Role", "Practitioners", "Trained", "Used the tools"])
    for row in training.by_role([(u.pk, u.job_title or "other") for u in staff], trained, users):
        roles.rows.append([ROLE_NAMES.get(row["role"], row["role"]), row["practitioners"],
                           row["attended"], row["used_tools"]])
    idle = sorted(u.full_name for u in staff if u.pk in trained and u.pk not in users)
    roles.note = ("Trained but not using the tools in this period: " + ", ".join(idle)
                  if idle else "Everyone trained has used the tools in this period.")
    return roles


def _coverage(scope: _Scope) -> Table:
    cover = Table("coverage", "People at sessions who completed the ORS and the SRS", [
        *scope.team_col, "Month", "People at sessions", "ORS at the start", "SRS at the end"])
    for row in scope.counts.coverage(scope.several):
        cover.rows.append([*scope.team(row), month_name(row["month"]), row["attendances"],
                           percent(row["ors"], row["attendances"]),
                           percent(row["srs"], row["attendances"])])
    return cover


def _languages(scope: _Scope) -> Table:
    table = Table("languages", "Sessions in another language or with an interpreter", [
        *scope.team_col, "Sessions", "In another language than English",
        "With an interpreter or read aloud", "Either"])
    for row in scope.counts.language_support(scope.several):
        table.rows.append([*scope.team(row), row["sessions"], row["other_language"],
                           row["with_help"], row["either"]])
    table.note = ("A session counts once if anyone in it gave a rating in another language, "
                  "or was helped by an interpreter or by having the form read aloud.")
    return table


def _not_administered(scope: _Scope) -> Table:
    reasons = Table("not_administered", "Why a tool was not administered", [
        *scope.team_col, "Reason", "Times"])
    for row in scope.counts.not_administered(scope.several):
        reasons.rows.append([*scope.team(row), REASON_NAMES.get(row["reason"], row["reason"]),
                             row["count"]])
    return reasons



def alert_table(teams: list[Team], start: date, end: date) -> Table:
    # As stored (ADR 0025): one indexed query over the teams' people with something listed.
    rows = alerts.current(AlertState.objects.filter(family__team__in=teams)
                          .only("person", "family", "act_now", "talk_about_it", "changes_on"))
    done = AlertAcknowledgement.objects.filter(person__family__team__in=teams,
                                               at__date__gte=start, at__date__lte=end).count()
    table = Table("alerts", "Alerts", ["", "Number"])
    tiers = {measures.Tier.ACT_NOW: sum(row.act_now for row in rows),
             measures.Tier.TALK_ABOUT_IT: sum(row.talk_about_it for row in rows)}
    table.rows = [[f"Outstanding now: {tier.label.lower()}", tiers[tier]]
                  for tier in measures.Tier if tier.listed]
    table.rows.append(["Acknowledged in the period", done])
    table.note = ("Alerts kept for the record (a small fall in a session rating, one part of "
                  "it rated low, a start above the cut-off) are shown only on each family's page.")
    return table


BUILDERS = {
    "usage": _usage, "reach": _reach, "per_person": _per_person, "roles": _roles,
    "coverage": _coverage, "languages": _languages, "not_administered": _not_administered,
    "alerts": lambda scope: alert_table(scope.teams, scope.start, scope.end),
}
