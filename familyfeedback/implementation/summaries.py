"""The dashboards' figures summed from summaries per team and month, exactly equal to counting
the records (figures.py), for services too big to count on every page (docs/performance-log.md:
seconds a figure at national scale).

Writes mark the months they touch (casework.models.TouchedMonth, committed with the write);
`refresh()` (the refresh_summaries command, on a timer) counts those months again from the
records. The summaries answer a period of whole months only: from a month's first day to a
month's last day, or to today or later (no session is dated after today). Any other period is
counted from the records, as it is below settings.SUMMARIES_ABOVE."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from familyfeedback.casework import queries
from familyfeedback.casework.models import Administration, Session, TouchedMonth
from familyfeedback.implementation import figures
from familyfeedback.implementation.models import (
    CoverageMonth,
    LanguageMonth,
    ReachMonth,
    ReasonMonth,
    SummaryRefresh,
    UsageMonth,
)

SUMMARIES = (UsageMonth, ReachMonth, CoverageMonth, LanguageMonth, ReasonMonth)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def whole_months(start: date, end: date, today: date) -> bool:
    return start.day == 1 and (end == month_end(end) or end >= today)


# ---------------------------------------------------------------------------------------------
# Which counts a dashboard reads.


@dataclass
class Raw:
    """The figures counted from the records."""

    team_ids: list[int]
    start: date
    end: date
    refreshed: datetime | None = None

    @property
    def facts(self):
        return figures.casework_facts().filter(team_key__in=self.team_ids, on__gte=self.start,
                                               on__lte=self.end)

    def usage_by_month(self, by_team):
        return figures.usage_by_month(self.facts, by_team)

    def reach(self, by_team):
        return figures.reach(self.facts, by_team)

    def completions_per_person(self, by_team):
        return figures.completions_per_person(self.facts, by_team)

    def not_administered(self, by_team):
        return figures.not_administered(self.facts, by_team)

    def coverage(self, by_team):
        return figures.coverage(queries.sessions_between(self.team_ids, self.start, self.end),
                                by_team)

    def used_tools(self):
        return figures.used_tools(self.facts)

    def language_support(self, by_team):
        return figures.language_support(
            queries.sessions_between(self.team_ids, self.start, self.end), by_team)


@dataclass
class Summed:
    """The same figures, in the same shapes, summed from the summaries of whole months."""

    team_ids: list[int]
    start: date
    end: date
    refreshed: datetime | None = None

    def _of(self, model):
        return model.objects.filter(team_id__in=self.team_ids, month__gte=self.start,
                                    month__lte=self.end).annotate(team_key=F("team_id"))

    def usage_by_month(self, by_team):
        keys = figures.group(by_team, "month", "tool")
        rows = (self._of(UsageMonth).values(*keys)
                .annotate(completions=Sum("completions"),
                          practitioners=Count("practitioner_id", distinct=True))
                .order_by(*keys))
        return [{**({"team_key": row["team_key"]} if by_team else {}),
                 "month": row["month"].strftime("%Y-%m"), "measure": row["tool"],
                 "completions": row["completions"], "practitioners": row["practitioners"]}
                for row in rows]

    def reach(self, by_team):
        keys = figures.group(by_team, "tool", "adult")
        rows = (self._of(ReachMonth).values(*keys)
                .annotate(people=Count("person_id", distinct=True)).order_by(*keys))
        return [{**({"team_key": row["team_key"]} if by_team else {}), "measure": row["tool"],
                 "person_group": "adult" if row["adult"] else "child", "people": row["people"]}
                for row in rows]

    def completions_per_person(self, by_team):
        keys = figures.group(by_team, "tool", "person_id")
        return figures.per_person_rows(
            by_team, keys, self._of(ReachMonth).values(*keys)
            .annotate(n=Sum("completions")).order_by())

    def not_administered(self, by_team):
        keys = figures.group(by_team, "reason")
        return list(self._of(ReasonMonth).values(*keys).annotate(count=Sum("count"))
                    .order_by(*keys))

    def coverage(self, by_team):
        keys = figures.group(by_team, "month")
        return [{**row, "month": row["month"].strftime("%Y-%m")}
                for row in self._of(CoverageMonth).values(*keys)
                .annotate(attendances=Sum("attendances"), ors=Sum("ors"), srs=Sum("srs"))
                .order_by(*keys)]

    def used_tools(self):
        return set(self._of(UsageMonth).values_list("practitioner_id", flat=True)
                   .order_by().distinct())

    def language_support(self, by_team):
        rows = list(self._of(LanguageMonth).values("team_key")
                    .annotate(**{name: Sum(name) for name in figures.LANGUAGE})
                    .order_by("team_key"))
        return rows if by_team else figures.whole_service(rows)


def counts(team_ids: list[int], start: date, end: date, today: date) -> Raw | Summed:
    """The summaries when the service is big enough for them and the period is whole months;
    else the records."""
    last = SummaryRefresh.objects.order_by("-at").first()
    if (last is None or last.administrations <= settings.SUMMARIES_ABOVE
            or not whole_months(start, end, today)):
        return Raw(team_ids, start, end)
    return Summed(team_ids, start, end, refreshed=last.at)


# ---------------------------------------------------------------------------------------------
# The refresh.


def refresh(everything: bool = False) -> list[date]:
    """Counts again the months written since the last refresh (every month with a session, the
    first time or when asked), and returns them. Only the marks read here are removed: a write
    that commits meanwhile keeps its mark, and the next refresh counts its month."""
    with transaction.atomic():
        # One refresh at a time (PostgreSQL; SQLite's write lock already says so).
        list(SummaryRefresh.objects.select_for_update())
        marks = list(TouchedMonth.objects.values_list("pk", "month"))
        if everything or not SummaryRefresh.objects.exists():
            months = sorted({on.replace(day=1) for on in Session.objects.order_by()
                             .values_list("date", flat=True).distinct()})
            for model in SUMMARIES:
                model.objects.all().delete()
        else:
            months = sorted({month for _, month in marks})
        for month in months:
            _count_month(month)
        TouchedMonth.objects.filter(pk__in=[pk for pk, _ in marks]).delete()
        SummaryRefresh.objects.all().delete()
        SummaryRefresh.objects.create(at=timezone.now(),
                                      administrations=Administration.objects.count())
    return months


def _count_month(month: date) -> None:
    """One month's summaries, counted again from its records (for every team)."""
    for model in SUMMARIES:
        model.objects.filter(month=month).delete()
    records = figures.casework_facts().filter(on__gte=month, on__lte=month_end(month))
    completed = records.filter(status=figures.COMPLETED)
    _insert(UsageMonth, month, {"team_id": "team_key", "tool": "tool",
                                "practitioner_id": "practitioner_key"}, completed)
    _insert(ReachMonth, month, {"team_id": "team_key", "tool": "tool", "person_id": "person_key",
                                "adult": "adult"}, completed)
    _insert(ReasonMonth, month, {"team_id": "team_key", "reason": "reason"},
            records.exclude(status=figures.COMPLETED))
    sessions = Session.objects.filter(date__gte=month, date__lte=month_end(month))
    CoverageMonth.objects.bulk_create([  # a row per team: a few
        CoverageMonth(team_id=row["team_key"], month=month, attendances=row["attendances"],
                      ors=row["ors"], srs=row["srs"])
        for row in figures.coverage_counts(sessions, ["team_key"])])
    LanguageMonth.objects.bulk_create([LanguageMonth(
        team_id=row.pop("team_key"), month=month, **row)
        for row in figures.language_support(sessions, by_team=True)])


def _insert(model, month: date, columns: dict[str, str], records) -> None:
    """INSERT ... SELECT of the records counted by the columns' keys: the counts never pass
    through Python (a national month is some 100,000 rows of ReachMonth)."""
    counted = records.values(*columns.values()).annotate(n=Count("pk")).order_by()
    sql, params = counted.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in
                      [*columns, "count" if model is ReasonMonth else "completions", "month"])
    # Our own table and column names, and the ORM's own query; the values are parameters.
    insert = f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT *, %s FROM ({sql}) t"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(insert, [connection.ops.adapt_datefield_value(month), *params])
