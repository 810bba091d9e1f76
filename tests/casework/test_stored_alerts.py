"""Stored alerts (ADR 0025): every write that changes what a person's alerts could be stores
them again in its own transaction, so `rebuild_alerts --check` finds nothing to change after
each one, and after any sequence of them; the lists read what is stored."""

import uuid
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework import actions, alerts, queries, trajectories
from familyfeedback.casework.models import (
    Administration,
    AlertState,
    Person,
    Session,
    TrajectoryCurve,
    TrajectoryFit,
)
from familyfeedback.implementation import dashboard
from familyfeedback.lib import versions
from familyfeedback.privacy import erasure
from tests import factories

TODAY = timezone.localdate()
WORSE = ((3.5, 3.5, 3.5, 3.5), (9, 9, 9, 9))  # ORS 14.0 after 20.0: reliable deterioration
LOW_SESSION = ((5, 5, 5, 5), (7, 7, 7, 7))  # SRS 28.0, below 36


def rebuild(*args: str) -> str:
    out = StringIO()
    call_command("rebuild_alerts", *args, stdout=out)
    return out.getvalue()


def nothing_differs() -> None:
    assert "nothing to change" in rebuild("--check")


def adult(world) -> Person:
    return world.family.people.get(first_name="Person1")


def worse(world) -> Session:
    """The first adult's ORS falls from 20.0 to 14.0 over two sessions."""
    factories.session(world.practitioner, world.family, TODAY - timedelta(days=14))
    return factories.session(world.practitioner, world.family, TODAY - timedelta(days=7),
                             {adult(world).pk: WORSE})


def opened(record: Administration) -> dict:
    """The record as a correction page carries it (lib/versions.py)."""
    return versions.plain({**record.items(), "face": record.face})


def codes(person: Person) -> list[str]:
    return [a["code"] for a in AlertState.objects.get(person=person).alerts]


# Each write path -------------------------------------------------------------------------------


def test_recording_a_session_stores_the_alerts_it_raises(world):
    worse(world)
    assert codes(adult(world)) == ["reliable_deterioration"]
    state = AlertState.objects.get(person=adult(world))
    assert (state.act_now, state.talk_about_it, state.family_id) == (1, 0, world.family.pk)
    nothing_differs()


def test_a_session_given_in_two_halves_stores_each_rating_and_the_end(world):
    factories.session(world.practitioner, world.family, TODAY - timedelta(days=7))
    session, _ = actions.record_session(
        world.practitioner, world.family, token=uuid.uuid4(), on=TODAY, kind="home_visit",
        present=list(world.family.people.all()), entries=[], stage=Session.Stage.STARTED)
    person = adult(world)
    actions.give_rating(world.practitioner, session, actions.NewAdministration(
        person=person, tool="ORS", measure="ORS", status="completed",
        items=factories.lines(*WORSE[0])))
    assert codes(person) == ["reliable_deterioration"]
    nothing_differs()
    actions.finish_session(world.practitioner, session, [actions.NewAdministration(
        person=person, tool="SRS", measure="SRS", status="completed",
        items=factories.lines(*LOW_SESSION[1]))])
    assert codes(person) == ["reliable_deterioration", "low_session_total",
                             "low_session_item", "session_rating_dropped"]
    nothing_differs()


def test_a_correction_stores_the_alerts_again(world):
    session = worse(world)
    record = Administration.objects.get(session=session, person=adult(world), tool="ORS")
    actions.correct_administration(
        world.practitioner, record, items=factories.lines(5, 5, 5, 5), face="",
        reason="typed the wrong line", opened=opened(record))
    assert codes(adult(world)) == []
    nothing_differs()


def test_acknowledging_takes_the_alert_out_of_the_stored_state(world):
    worse(world)
    actions.acknowledge_alert(world.practitioner, adult(world), code="reliable_deterioration",
                              fired_on=TODAY - timedelta(days=7), note="Talked it through")
    assert codes(adult(world)) == []
    nothing_differs()


def test_closing_empties_the_state_and_reopening_brings_it_back_or_starts_again(world):
    worse(world)
    actions.close_support(world.practitioner, world.family, on=TODAY - timedelta(days=2))
    assert codes(adult(world)) == []
    nothing_differs()
    actions.reopen_support(world.practitioner, world.family, on=TODAY - timedelta(days=2))
    assert codes(adult(world)) == ["reliable_deterioration"]  # the close is undone
    nothing_differs()
    actions.close_support(world.practitioner, world.family, on=TODAY - timedelta(days=2))
    actions.reopen_support(world.practitioner, world.family, on=TODAY)
    assert codes(adult(world)) == []  # a new period of support: a new baseline
    nothing_differs()


def test_a_new_date_of_birth_stores_the_alerts_for_the_new_age(world):
    """A 34-year-old who started at 26 (at or above the adult cut-off of 25) was 15 all along:
    the adolescent cut-off is 28, so the start is no longer above it and the flat line is."""
    person = world.family.people.get(first_name="Person2")
    for days_ago in (21, 14, 7):
        factories.session(world.practitioner, world.family, TODAY - timedelta(days=days_ago),
                          {person.pk: ((6.5, 6.5, 6.5, 6.5), (9, 9, 9, 9))})
    assert codes(person) == ["intake_above_cutoff"]
    born = factories.born(15)
    opened = versions.plain({key: getattr(person, key) for key in actions.PERSON_FIELDS})
    actions.update_person(world.practitioner, person, date_of_birth=born, opened=opened)
    assert codes(person) == ["no_reliable_improvement"]
    nothing_differs()


def test_new_people_and_families_have_a_state_from_the_start(world):
    family = actions.open_family(
        world.practitioner, name="Carrow family", case_reference="EH-1", team=world.team,
        key_worker=world.practitioner, opened_on=TODAY,
        people=[{"first_name": "Dee", "last_name": "Carrow", "date_of_birth": date(1990, 4, 2)}])
    added = actions.add_person(world.practitioner, family, first_name="Eli", last_name="Carrow",
                               date_of_birth=date(2016, 9, 30))
    assert AlertState.objects.filter(family=family).count() == 2
    assert codes(added) == []
    nothing_differs()


def test_importing_families_and_history_stores_their_alerts(world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    opened = TODAY - timedelta(days=30)
    (tmp_path / "families.csv").write_text(
        "case_reference,family_name,team,key_worker_email,opened_on,person_reference,"
        "first_name,last_name,date_of_birth,preferred_language,needs_interpreter\n"
        f"EH-7001,Carrow family,North 1,pat@example.test,{opened},C1,Dee,Carrow,1990-04-02,,no\n",
        encoding="utf-8")
    call_command("import_families", "families.csv", stdout=StringIO(), stderr=StringIO())
    nothing_differs()
    rows = "".join(
        f"EH-7001,C1,1990-04-02,pat@example.test,{TODAY - timedelta(days=days)},ORS,"
        f"{level},{level},{level},{level},completed,\n"
        for days, level in ((20, 5), (10, 3.5)))
    (tmp_path / "history.csv").write_text(
        "case_reference,person_reference,date_of_birth,practitioner_email,date,measure,"
        "item_1,item_2,item_3,item_4,status,reason\n" + rows, encoding="utf-8")
    call_command("import_history", "history.csv", stdout=StringIO(), stderr=StringIO())
    assert codes(Person.objects.get(reference="C1")) == ["reliable_deterioration"]
    nothing_differs()


def test_a_new_trajectory_fit_stores_everyone_again(world):
    person = adult(world)
    for days_ago in (14, 7):  # 20.0 twice: at the second rating 23.5 is expected
        factories.session(world.practitioner, world.family, TODAY - timedelta(days=days_ago))
    fit = TrajectoryFit.objects.create(closed_episodes=60, trajectories_used=[], notes={})
    TrajectoryCurve.objects.create(fit=fit, measure="ORS", band_low=0, band_high=41,
                                   intercept=20, slope=5, re_cov=[[0.01, 0], [0, 0.01]],
                                   residual_var=0.01, trajectories=60, observations=300)
    # A fit stored behind the app's back: the stored alerts do not know of it.
    with pytest.raises(CommandError, match="2 people with stored alerts that differ"):
        rebuild("--check")  # the two adults
    alerts.store_everyone()
    assert "below_expected" in codes(person)
    AlertState.objects.filter(person=person).update(alerts=[], act_now=0)
    trajectories.fit()  # no finished support: a fit with no curves, and everyone stored again
    assert "below_expected" not in codes(person)
    nothing_differs()


def test_erasing_a_family_removes_its_rows(world):
    worse(world)
    erasure.erase_families([world.family], rule=erasure.ERASURE, actor=world.administrator,
                           reason="Asked for erasure")
    assert not AlertState.objects.filter(family_id=world.family.pk).exists()
    nothing_differs()


def test_a_birthday_that_changes_the_cut_off_stores_the_alerts_again(world):
    """A 17-year-old who started at 26 (below the adolescent cut-off of 28) with a flat line:
    on their 18th birthday the adult cut-off (25) applies, and their start is above it."""
    teen = world.family.people.get(first_name="Person3")
    eighteen = TODAY + timedelta(days=30)
    teen.date_of_birth = date(eighteen.year - 18, eighteen.month, eighteen.day)
    teen.save()
    for days_ago in (21, 14, 7):
        factories.session(world.practitioner, world.family, TODAY - timedelta(days=days_ago),
                          {teen.pk: ((6.5, 6.5, 6.5, 6.5), (9, 9, 9, 9))})
    state = AlertState.objects.get(person=teen)
    assert (codes(teen), state.changes_on) == (["no_reliable_improvement"], eighteen)
    families = queries.caseload(world.family.__class__.objects.filter(pk=world.family.pk))
    assert [item.alert.code.value for item in alerts.stored(families, eighteen)
            if item.person.pk == teen.pk] == []
    assert codes(teen) == ["intake_above_cutoff"]
    assert alerts.differences(today=eighteen) == []


# What the command reports, and the pages that read the store -----------------------------------


def test_the_check_names_each_difference_by_id_and_a_rebuild_fixes_it(world):
    worse(world)
    person = adult(world)
    AlertState.objects.filter(person=person).update(alerts=[], act_now=0)
    AlertState.objects.filter(person=world.family.people.get(first_name="Person4")).delete()
    with pytest.raises(CommandError, match="2 people with stored alerts that differ"):
        out = StringIO()
        call_command("rebuild_alerts", "--check", stdout=out)
    report = out.getvalue()
    assert (f"Person {person.pk} (family {world.family.pk}): stored: no alerts; the rules say "
            "now: got worse (raised on") in report
    assert "stored: nothing stored; the rules say now: no alerts." in report
    assert "Person1" not in report and "Ashdown" not in report
    assert not AuditEntry.objects.filter(action="alerts.rebuild").exists()
    assert "Stored again: 2 people." in rebuild()
    assert AuditEntry.objects.get(action="alerts.rebuild").changes == {"people": 2}
    nothing_differs()


def test_the_caseload_supervision_and_dashboard_read_the_stored_alerts(world, signed_in):
    worse(world)
    manager = signed_in(world.manager)
    supervision = reverse("supervision", args=[world.practitioner.pk])
    assert "Person1: got worse" in manager.get(reverse("home")).content.decode()
    assert "Act now: Person1, got worse" in manager.get(supervision).content.decode()
    table = dashboard.alert_table([world.team], TODAY, TODAY)
    assert table.rows[0] == ["Outstanding now: act now", 1]
    # What the pages show is what is stored: drift would show, which is why the check exists.
    AlertState.objects.filter(person=adult(world)).update(alerts=[], act_now=0)
    assert "Person1: got worse" not in manager.get(reverse("home")).content.decode()
    assert "Act now: Person1" not in manager.get(supervision).content.decode()
    assert dashboard.alert_table([world.team], TODAY, TODAY).rows[0][1] == 0


def test_a_caseload_reads_its_alerts_in_one_query(world):
    worse(world)
    families = queries.caseload(world.family.__class__.objects.all())
    with CaptureQueriesContext(connection) as read:
        raised = alerts.stored(families)
    assert len(read) == 1
    assert [(i.person.pk, i.alert.code.value) for i in raised] == [
        (adult(world).pk, "reliable_deterioration")]
    # The same alerts as working them out from the records.
    worked_out = alerts.listed(alerts.outstanding(
        [p for f in families for p in f.people.all()],
        queries.by_person(queries.open_episode_records(families)), TODAY, trajectories.latest()))
    assert [(i.person.pk, i.alert) for i in raised] == [(i.person.pk, i.alert)
                                                        for i in worked_out]


# Any sequence of writes ------------------------------------------------------------------------

LEVELS = st.sampled_from([Decimal(v) / 2 for v in range(0, 21)])  # an item, 0 to 10 by halves
STEP = st.tuples(st.sampled_from(["record", "record", "correct", "acknowledge", "close",
                                  "reopen"]),
                 st.integers(0, 60), LEVELS, LEVELS)


def step(world, family, kind: str, number: int, ors: Decimal, srs: Decimal) -> None:
    """One write, fitted to the family's state (a session only while support is open, and so
    on): the numbers choose the day, the person and the marks."""
    episode = queries.current_episode(family)
    people = list(family.people.order_by("pk"))
    person = people[number % len(people)]
    last = family.sessions.filter(date__gte=episode.opened_on).order_by("-date").first()
    if kind == "record" and episode.is_open:
        on = max(episode.opened_on, TODAY - timedelta(days=number))
        factories.session(world.practitioner, family, on,
                          {person.pk: ((ors,) * 4, (min(srs + 5, Decimal(10)),) * 4)},
                          another_session=True)
    elif kind == "correct":
        records = list(Administration.objects.filter(
            session__family=family, status="completed", measure__in=["ORS", "CORS"]))
        if records:
            record = records[number % len(records)]
            actions.correct_administration(
                world.practitioner, record, items=factories.lines(*(ors,) * 4), face="",
                reason="typed wrongly", opened=opened(record))
    elif kind == "acknowledge" and episode.is_open:
        raised = alerts.outstanding(people, queries.by_person(queries.episode_records(episode)),
                                    TODAY, trajectories.latest())
        if raised:
            item = raised[number % len(raised)]
            actions.acknowledge_alert(world.practitioner, item.person, code=item.alert.code.value,
                                      fired_on=item.alert.on, note="Talked about it")
    elif kind == "close" and episode.is_open:
        on = max(last.date if last else episode.opened_on, TODAY - timedelta(days=number % 3))
        actions.close_support(world.practitioner, family, on=min(on, TODAY))
    elif kind == "reopen" and not episode.is_open:
        on = TODAY if number % 2 else episode.closed_on  # a new period, or the close undone
        actions.reopen_support(world.practitioner, family, on=on)


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_after_any_sequence_of_writes_nothing_differs(world, steps):
    # A family of its own for each example: the database is not rolled back between them.
    family = factories.family(world.team, world.practitioner, ages=(35, 15, 9),
                              opened_days_ago=90)
    for kind, number, ors, srs in steps:
        step(world, family, kind, number, ors, srs)
        assert alerts.differences() == [], (kind, number, ors, srs)
