"""Every dashboard figure on a small hand-made service whose answers are worked out below."""

import csv
import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from familyfeedback import measures
from familyfeedback.accounts.models import Role
from familyfeedback.casework import actions, queries
from familyfeedback.casework.models import Administration, Family
from familyfeedback.implementation import figures
from familyfeedback.implementation.models import Attendance, TrainingEvent
from tests import factories


def month_start(months_ago: int) -> date:
    first = timezone.localdate().replace(day=1)
    for _ in range(months_ago):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


D1 = month_start(2) + timedelta(days=4)
D2 = month_start(1) + timedelta(days=4)


def record(actor, family, on, plan):
    """plan: person -> {"ORS": "completed" | "declined", "SRS": ...}"""
    entries = []
    for person, tools in plan.items():
        for tool, outcome in tools.items():
            measure = measures.measure_for(tool, measures.age_on(person.date_of_birth, on))
            done = outcome == "completed"
            entries.append(actions.NewAdministration(
                person=person, tool=tool, measure=measure.code,
                status="completed" if done else "not_administered",
                items={f"item_{i}": Decimal("8.0") for i in range(1, 5)} if done else {},
                reason="" if done else outcome))
    actions.record_session(actor, family, token=uuid.uuid4(), on=on, kind="home_visit",
                           present=list(plan), entries=entries)


@pytest.fixture
def service(world):
    north, south = world.team, world.other_team
    p1 = world.practitioner
    p2 = factories.user("p2@example.test", team=north)
    p3 = factories.user("p3@example.test", team=north)
    p4 = world.colleague_other_team
    for user, title in ((p1, "fsw"), (p2, "senior_fsw"), (p3, "fsw"), (p4, "fsw")):
        user.job_title = title
        user.save()
    fa = factories.family(north, p1, ages=(35, 9), opened_days_ago=400, name="FA")
    fb = factories.family(south, p4, ages=(40,), opened_days_ago=400, name="FB")
    fa_adult, fa_child = fa.people.order_by("date_of_birth")
    fb_adult = fb.people.get()
    both = {"ORS": "completed", "SRS": "completed"}
    record(p1, fa, D1, {fa_adult: both, fa_child: {"ORS": "completed", "SRS": "declined"}})
    record(p4, fb, D1, {fb_adult: both})
    record(p2, fa, D2, {fa_adult: both})
    events = {kind: TrainingEvent.objects.create(kind=kind, on=D1 - timedelta(days=60))
              for kind in ("part_1", "part_2", "mop_up")}
    for user, came in ((p1, ("part_1", "part_2")), (p2, ("part_1", "mop_up")),
                       (p3, ("part_1", "part_2")), (p4, ("part_1",))):
        for kind in ("part_1", "part_2"):
            Attendance.objects.create(event=events[kind], user=user, attended=kind in came)
        if "mop_up" in came:
            Attendance.objects.create(event=events["mop_up"], user=user, attended=True)
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "north": north, "south": south}


def m(day: date) -> str:
    return day.strftime("%Y-%m")


def test_usage_by_month(service):
    assert figures.usage_by_month(figures.casework_facts()) == [
        {"month": m(D1), "measure": "ORS", "completions": 3, "practitioners": 2},
        {"month": m(D1), "measure": "SRS", "completions": 2, "practitioners": 2},
        {"month": m(D2), "measure": "ORS", "completions": 1, "practitioners": 1},
        {"month": m(D2), "measure": "SRS", "completions": 1, "practitioners": 1},
    ]


def test_reach_counts_children_and_adults_who_completed(service):
    assert figures.reach(figures.casework_facts()) == [
        {"measure": "ORS", "person_group": "child", "people": 1},
        {"measure": "ORS", "person_group": "adult", "people": 2},
        {"measure": "SRS", "person_group": "adult", "people": 2},
    ]


def test_completions_per_person(service):
    rows = figures.completions_per_person(figures.casework_facts())
    assert rows == [
        {"measure": "ORS", "mean": pytest.approx(4 / 3), "min": 1, "max": 2},
        {"measure": "SRS", "mean": 1.5, "min": 1, "max": 2},
    ]


def test_completions_per_person_for_a_filter_that_can_match_nothing(service):
    # A manager with no team filters by an empty list, which Django refuses to turn into SQL.
    facts = figures.casework_facts().filter(team_key__in=[])
    assert figures.completions_per_person(facts, by_team=True) == []


def test_reasons_not_administered_are_counted(service):
    assert figures.not_administered(figures.casework_facts()) == [
        {"reason": "declined", "count": 1}]


def test_coverage_by_team_and_month(service):
    from familyfeedback.casework.models import Session

    rows = figures.coverage(Session.objects.all())
    north, south = service["north"].pk, service["south"].pk
    expected = [
        {"team_key": north, "month": m(D1), "attendances": 2, "ors": 2, "srs": 1},
        {"team_key": north, "month": m(D2), "attendances": 1, "ors": 1, "srs": 1},
        {"team_key": south, "month": m(D1), "attendances": 1, "ors": 1, "srs": 1},
    ]
    assert rows == sorted(expected, key=lambda row: (row["team_key"], row["month"]))


def test_the_dashboard_shows_table_3_2_and_who_is_trained_but_not_using(service, client):
    data_team = factories.user("data@example.test", Role.DATA_TEAM)
    client.force_login(data_team)
    page = client.get(reverse("dashboards")).content.decode()
    # fsw: p1, p3, p4 (trained: p1, p3; used: p1, p4); senior fsw: p2 (mop-up, used).
    assert re_row("Family support worker", 3, 2, 2) in squash(page)
    assert re_row("Senior family support worker", 1, 1, 1) in squash(page)
    assert "Trained but not using the tools in this period: P3" in page


def squash(html: str) -> str:
    return " ".join(html.split())


def re_row(role, practitioners, trained, used) -> str:
    cell = '</td><td class="govuk-table__cell">'
    return (f'<td class="govuk-table__cell">{role}{cell}{practitioners}{cell}{trained}{cell}'
            f'{used}</td>')


def test_a_manager_sees_only_their_teams_and_downloads_match(service, client, world):
    client.force_login(world.manager)
    page = client.get(reverse("dashboards")).content.decode()
    assert "North 1" in page and "South 2" not in page
    download = client.get(reverse("dashboard_download", kwargs={"key": "usage", "kind": "csv"}))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["Month", "ORS completed", "Practitioners using the ORS", "SRS completed",
                       "Practitioners using the SRS"]
    assert rows[1] == [D1.strftime("%b %Y"), "2", "1", "1", "1"]
    assert rows[2] == [D2.strftime("%b %Y"), "1", "1", "1", "1"]
    xlsx = client.get(reverse("dashboard_download", kwargs={"key": "usage", "kind": "xlsx"}))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]] == [D1.strftime("%b %Y"), 2, 1, 1, 1]


@pytest.mark.parametrize("persona", ["practitioner", "colleague in another team", "evaluator",
                                     "administrator", "outsider"])
def test_nobody_else_sees_the_dashboards(world, client, persona):
    client.force_login(world.everyone()[persona])
    assert client.get(reverse("dashboards")).status_code == 404
    assert client.get(reverse("dashboard_download",
                              kwargs={"key": "usage", "kind": "csv"})).status_code == 404
    assert client.get(reverse("training")).status_code == 404


def test_a_period_ending_before_it_starts_is_refused(world, client):
    client.force_login(world.manager)
    page = client.get(reverse("dashboards"), {
        "start-day": "1", "start-month": "10", "start-year": "2026",
        "end-day": "1", "end-month": "9", "end-year": "2026"}).content.decode()
    assert "The end date must be the same as or after the start date" in page


def test_the_alerts_table_is_on_the_page_without_asking(service, client, world):
    client.force_login(world.manager)
    page = client.get(reverse("dashboards")).content.decode()
    assert "Outstanding now" in page and "Acknowledged in the period" in page
    assert "Count the alerts outstanding" not in page


def given(session_on: date, person, tool: str, **marks) -> None:
    Administration.objects.filter(session__date=session_on, person=person, tool=tool).update(
        **marks)


def test_sessions_in_another_language_or_helped_are_counted_once_each(service, world):
    fa, fb = Family.objects.get(name="FA"), Family.objects.get(name="FB")
    fa_adult, fa_child = fa.people.order_by("date_of_birth")
    # FA's first session: the adult in Polish and the child read aloud (one session, counted
    # once in each column it meets); FA's second: English with a British English wording, which
    # is English; FB's: an interpreter helped.
    given(D1, fa_adult, "ORS", language="pl")
    given(D1, fa_adult, "SRS", language="pl")
    given(D1, fa_child, "ORS", helped=True)
    given(D2, fa_adult, "ORS", language="en-GB")
    given(D1, fb.people.get(), "SRS", helped=True)
    north, south = service["north"].pk, service["south"].pk
    sessions = queries.sessions_between([north, south], D1, D2)
    assert figures.language_support(sessions) == [
        {"team_key": north, "sessions": 2, "other_language": 1, "with_help": 1, "either": 1},
        {"team_key": south, "sessions": 1, "other_language": 0, "with_help": 1, "either": 1}]
    assert figures.language_support(sessions, by_team=False) == [
        {"sessions": 3, "other_language": 1, "with_help": 2, "either": 2}]
    # The period is the dashboard's: FA's second session alone had neither.
    assert figures.language_support(queries.sessions_between([north], D2, D2)) == [
        {"team_key": north, "sessions": 1, "other_language": 0, "with_help": 0, "either": 0}]


def test_the_dashboard_shows_the_sessions_in_another_language(service, client, world):
    adult = Family.objects.get(name="FA").people.order_by("date_of_birth").first()
    given(D1, adult, "ORS", language="ur", helped=True)
    client.force_login(world.manager)
    page = client.get(reverse("dashboards")).content.decode()
    assert "Sessions in another language or with an interpreter" in page
    download = client.get(reverse("dashboard_download",
                                  kwargs={"key": "languages", "kind": "csv"}))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows == [["Sessions", "In another language than English",
                     "With an interpreter or read aloud", "Either"], ["2", "1", "1", "1"]]
