"""Every usage figure, counted once, in the database, exactly as the evaluation package format
defines it (docs/formats/evaluation-package.md, "The analysis the system returns"): the
managers' dashboards and the evaluation report both call these.

Each function takes a queryset of administrations ("facts") that offers these names:
    on (date), tool ("ORS" or "SRS", each covering its child and young-child forms), status,
    reason, person_key, practitioner_key, team_key, adult (bool: 18 or over on the day)
`casework_facts()` gives them for the records kept here; the evaluation importer gives the same
names for a package's administrations.csv. With by_team=True every row also carries team_key.
"""

from datetime import timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth

from familyfeedback.casework.models import Administration, Session

COMPLETED = "completed"


def casework_facts() -> QuerySet:
    return Administration.objects.annotate(
        on=F("session__date"),
        person_key=F("person_id"),
        practitioner_key=F("session__practitioner_id"),
        team_key=F("session__family__team_id"),
        adult=ExpressionWrapper(Q(age__gte=18), output_field=BooleanField()),
    )


def _month(field: str):
    """The month of a date, for grouping. SQLite's TruncMonth calls a Python function for every
    row (2.6 times the hand-written query at council size, bench/dashboards.py); SQLite keeps
    dates as ISO text, so its first seven characters are the month."""
    if connection.vendor == "sqlite":
        return Substr(field, 1, 7)
    return TruncMonth(field)


def _month_text(value) -> str:
    return value if isinstance(value, str) else value.strftime("%Y-%m")


def group(by_team: bool, *names: str) -> list[str]:
    return ["team_key", *names] if by_team else list(names)


def usage_by_month(facts: QuerySet, by_team: bool = False) -> list[dict]:
    """Figure 3.2: completions and practitioners completing, by month and tool."""
    keys = group(by_team, "month", "tool")
    rows = (facts.filter(status=COMPLETED).annotate(month=_month("on"))
            .values(*keys)
            .annotate(completions=Count("pk"),
                      practitioners=Count("practitioner_key", distinct=True))
            .order_by(*keys))
    return [{**({"team_key": row["team_key"]} if by_team else {}),
             "month": _month_text(row["month"]), "measure": row["tool"],
             "completions": row["completions"], "practitioners": row["practitioners"]}
            for row in rows]


def reach(facts: QuerySet, by_team: bool = False) -> list[dict]:
    """Figure 3.3: distinct children and adults who completed each tool."""
    keys = group(by_team, "tool", "adult")
    rows = (facts.filter(status=COMPLETED).values(*keys)
            .annotate(people=Count("person_key", distinct=True)).order_by(*keys))
    return [{**({"team_key": row["team_key"]} if by_team else {}), "measure": row["tool"],
             "person_group": "adult" if row["adult"] else "child", "people": row["people"]}
            for row in rows]


def completions_per_person(facts: QuerySet, by_team: bool = False) -> list[dict]:
    """Completions per person (mean, min, max) over people with at least one completion."""
    keys = group(by_team, "tool", "person_key")
    return per_person_rows(by_team, keys, facts.filter(status=COMPLETED).values(*keys)
                           .annotate(n=Count("pk")).order_by())


def per_person_rows(by_team: bool, keys: list[str], rows: QuerySet) -> list[dict]:
    """Mean, fewest and most from rows of (team, tool, person, n): n completions each. Worked out
    in the database over the query of a row per person, so that a row per group leaves it, not a
    row per person (a whole nation's people took 0.9 s to reach Python, bench/dashboards.py)."""
    database = connections[rows.db]
    try:
        inner, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # a filter that can match nothing, such as no teams at all
        return []
    groups = ", ".join(database.ops.quote_name(key) for key in keys[:-1])
    # Our own names, quoted, around the ORM's own query; the values are its parameters.
    outer = (f"SELECT {groups}, SUM(n), COUNT(*), MIN(n), MAX(n) "  # nosec B608
             f"FROM ({inner}) per_person GROUP BY {groups} ORDER BY {groups}")
    with database.cursor() as cursor:
        cursor.execute(outer, params)
        found = cursor.fetchall()
    result = []
    for *group_values, total, people, fewest, most in found:
        labels = dict(zip(keys[:-1], group_values, strict=True))
        result.append({**({"team_key": labels["team_key"]} if by_team else {}),
                       "measure": labels["tool"], "mean": int(total) / people, "min": fewest,
                       "max": most})
    return result


def not_administered(facts: QuerySet, by_team: bool = False) -> list[dict]:
    """Why a tool was not administered, counted: the barriers, as data."""
    keys = group(by_team, "reason")
    return list(facts.exclude(status=COMPLETED).values(*keys)
                .annotate(count=Count("pk")).order_by(*keys))


def coverage(sessions: QuerySet, by_team: bool = True) -> list[dict]:
    """By team and month: people at sessions, and how many of them completed the ORS (at the
    start) and the SRS (at the end) there.

    Counted as two grouped queries rather than a test per attendance: a session's records are
    only ever written for the people at it, one per person and tool (casework's constraint), so
    the completed records are the attendances that completed. Exists subqueries per attendance
    made PostgreSQL read every completed record in the database."""
    return [{**row, "month": _month_text(row["month"])}
            for row in coverage_counts(sessions, group(by_team, "month"))]


def coverage_counts(sessions: QuerySet, keys: list[str]) -> list[dict]:
    """coverage()'s counts grouped by keys (of team_key and month), the month as the database
    gives it."""
    attended = (Session.present.through.objects.filter(session__in=sessions)
                .annotate(month=_month("session__date"),
                          team_key=F("session__family__team_id"))
                .values(*keys).annotate(attendances=Count("pk")).order_by(*keys))
    completed = (Administration.objects.filter(session__in=sessions, status=COMPLETED)
                 .annotate(month=_month("session__date"),
                           team_key=F("session__family__team_id"))
                 .values(*keys)
                 .annotate(ors=Count("pk", filter=Q(tool="ORS")),
                           srs=Count("pk", filter=Q(tool="SRS")))
                 .order_by(*keys))
    done = {tuple(row[k] for k in keys): row for row in completed}
    result = []
    for row in attended:
        counts = done.get(tuple(row[k] for k in keys), {})
        result.append({**row, "ors": counts.get("ors", 0), "srs": counts.get("srs", 0)})
    return result


def language_support(sessions: QuerySet, by_team: bool = True) -> list[dict]:
    """By team: the sessions, and how many were done in another language than English (a form's
    wording in that language), with an interpreter or the form read aloud, and either. How
    families with English as an additional language were reached, which the seed asked.

    A session counts once however many of its records say so. Read from the sessions' records
    as coverage is, in grouped queries: a package's administrations.csv has no language, so
    these are for the records kept here only."""
    in_other = ~Q(language="en") & ~Q(language__startswith="en-")
    held = sessions.annotate(team_key=F("family__team_id")).values("team_key").annotate(
        sessions=Count("pk")).order_by("team_key")
    marked = {row["team_key"]: row for row in (
        Administration.objects.filter(session__in=sessions)
        .annotate(team_key=F("session__family__team_id")).values("team_key")
        .annotate(other_language=Count("session", distinct=True, filter=in_other),
                  with_help=Count("session", distinct=True, filter=Q(helped=True)),
                  either=Count("session", distinct=True, filter=in_other | Q(helped=True)))
        .order_by("team_key"))}
    rows = [{"team_key": row["team_key"], "sessions": row["sessions"],
             **{name: marked.get(row["team_key"], {}).get(name, 0) for name in LANGUAGE[1:]}}
            for row in held]
    return rows if by_team else whole_service(rows)


LANGUAGE = ("sessions", "other_language", "with_help", "either")


def whole_service(rows: list[dict]) -> list[dict]:
    """The teams' language counts as one row: a session is in one team, so they add up."""
    return [{name: sum(row[name] for row in rows) for name in LANGUAGE}] if rows else []


def used_tools(facts: QuerySet) -> set:
    """The practitioners with at least one completed ORS or SRS."""
    # order_by() drops the model's default ordering, which would otherwise join the DISTINCT
    # and return a row per record.
    return set(facts.filter(status=COMPLETED).values_list("practitioner_key", flat=True)
               .order_by().distinct())


def last_and_this_month(practitioner_key: int, today) -> list[tuple[str, int, int]]:
    """(label, ORS completions, SRS completions) for one practitioner, last month and this."""
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    usage = usage_by_month(casework_facts().filter(practitioner_key=practitioner_key,
                                                   on__gte=last_month))
    counts = {(row["month"], row["measure"]): row["completions"] for row in usage}
    return [(label, counts.get((month.strftime("%Y-%m"), "ORS"), 0),
             counts.get((month.strftime("%Y-%m"), "SRS"), 0))
            for label, month in (("Last month", last_month), ("This month", this_month))]
