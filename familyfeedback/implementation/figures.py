"""Every usage figure, counted once, in the database, exactly as the evaluation package format
defines it (../shared/formats/evaluation-package.md, "The analysis the system returns"): the
managers' dashboards and the evaluation report both call these.

Each function takes a queryset of administrations ("facts") that offers these names:
    on (date), tool ("ORS" or "SRS", each covering its child and young-child forms), status,
    reason, person_key, practitioner_key, team_key, adult (bool: 18 or over on the day)
`casework_facts()` gives them for the records kept here; the evaluation importer gives the same
names for a package's administrations.csv. With by_team=True every row also carries team_key.
"""

from collections import defaultdict
from statistics import mean

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth

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


def _group(by_team: bool, *names: str) -> list[str]:
    return ["team_key", *names] if by_team else list(names)


def usage_by_month(facts: QuerySet, by_team: bool = False) -> list[dict]:
    """Figure 3.2: completions and practitioners completing, by month and tool."""
    keys = _group(by_team, "month", "tool")
    rows = (facts.filter(status=COMPLETED).annotate(month=TruncMonth("on"))
            .values(*keys)
            .annotate(completions=Count("pk"),
                      practitioners=Count("practitioner_key", distinct=True))
            .order_by(*keys))
    return [{**({"team_key": row["team_key"]} if by_team else {}),
             "month": row["month"].strftime("%Y-%m"), "measure": row["tool"],
             "completions": row["completions"], "practitioners": row["practitioners"]}
            for row in rows]


def reach(facts: QuerySet, by_team: bool = False) -> list[dict]:
    """Figure 3.3: distinct children and adults who completed each tool."""
    keys = _group(by_team, "tool", "adult")
    rows = (facts.filter(status=COMPLETED).values(*keys)
            .annotate(people=Count("person_key", distinct=True)).order_by(*keys))
    return [{**({"team_key": row["team_key"]} if by_team else {}), "measure": row["tool"],
             "person_group": "adult" if row["adult"] else "child", "people": row["people"]}
            for row in rows]


def completions_per_person(facts: QuerySet, by_team: bool = False) -> list[dict]:
    """Completions per person (mean, min, max) over people with at least one completion."""
    keys = _group(by_team, "tool", "person_key")
    counts: dict[tuple, list[int]] = defaultdict(list)
    for row in (facts.filter(status=COMPLETED).values(*keys)
                .annotate(n=Count("pk")).order_by()):
        counts[tuple(row[k] for k in keys[:-1])].append(row["n"])
    result = []
    for group, ns in sorted(counts.items()):
        labels = dict(zip(keys[:-1], group, strict=True))
        result.append({**({"team_key": labels["team_key"]} if by_team else {}),
                       "measure": labels["tool"], "mean": mean(ns), "min": min(ns),
                       "max": max(ns)})
    return result


def not_administered(facts: QuerySet, by_team: bool = False) -> list[dict]:
    """Why a tool was not administered, counted: the barriers, as data."""
    keys = _group(by_team, "reason")
    return list(facts.exclude(status=COMPLETED).values(*keys)
                .annotate(count=Count("pk")).order_by(*keys))


def coverage(sessions: QuerySet, by_team: bool = True) -> list[dict]:
    """By team and month: people at sessions, and how many of them completed the ORS (at the
    start) and the SRS (at the end) there."""
    through = Session.present.through
    done = Administration.objects.filter(session_id=OuterRef("session_id"),
                                         person_id=OuterRef("person_id"), status=COMPLETED)
    keys = _group(by_team, "month")
    rows = (through.objects.filter(session__in=sessions)
            .annotate(month=TruncMonth("session__date"), team_key=F("session__family__team_id"),
                      with_ors=Exists(done.filter(tool="ORS")),
                      with_srs=Exists(done.filter(tool="SRS")))
            .values(*keys)
            .annotate(attendances=Count("pk"), ors=Count("pk", filter=Q(with_ors=True)),
                      srs=Count("pk", filter=Q(with_srs=True)))
            .order_by(*keys))
    return [{**row, "month": row["month"].strftime("%Y-%m")} for row in rows]


def used_tools(facts: QuerySet) -> set:
    """The practitioners with at least one completed ORS or SRS."""
    # order_by() drops the model's default ordering, which would otherwise join the DISTINCT
    # and return a row per record.
    return set(facts.filter(status=COMPLETED).values_list("practitioner_key", flat=True)
               .order_by().distinct())
