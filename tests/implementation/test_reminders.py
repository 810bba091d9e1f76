"""manage.py send_reminders and the opt-out page: who gets which email, once a week, with names
in the email only, never in the command's output or the log."""

import io
import logging
import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from familyfeedback import measures
from familyfeedback.accounts.models import AuditEntry, Role, Team
from familyfeedback.casework import actions, alerts, queries, trajectories
from familyfeedback.implementation import reminders
from familyfeedback.implementation.models import ReminderPreference, ReminderSent
from familyfeedback.measures import schedules
from tests import factories


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=out)
    return out.getvalue()


def to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def weekly_box(html: str) -> str:
    return re.search(r'<input [^>]*name="weekly"[^>]*>', html).group(0)


def session_with_one_unrated(actor, fam, on, unrated, low_srs):
    """Everyone present; `unrated` gives an SRS but no ORS (so their rating is overdue under
    every_session) and `low_srs` rates the session low (so an alert is raised)."""
    entries = []
    for person in fam.people.all():
        age = measures.age_on(person.date_of_birth, on)
        srs = (2, 2, 2, 2) if person == low_srs else (9, 9, 9, 9)
        tools = [("SRS", srs)] if person == unrated else [("ORS", (5, 5, 5, 5)), ("SRS", srs)]
        for tool, items in tools:
            entries.append(actions.NewAdministration(
                person=person, tool=tool, measure=measures.measure_for(tool, age).code,
                status="completed", items=factories.lines(*items)))
    return actions.record_session(actor, fam, token=uuid.uuid4(), on=on, kind="home_visit",
                                  present=list(fam.people.all()), entries=entries)[0]


@pytest.fixture
def due(world):
    """Pat's Crane family: Person1 (an adult) rated the last session low, and Person2 (a child)
    was at it without an ORS."""
    fam = factories.family(world.team, world.practitioner, ages=(35, 9), name="Crane family")
    fam.people.update(last_name="Zebedee")
    adult, child = fam.people.order_by("first_name")
    on = timezone.localdate() - timedelta(days=10)
    session_with_one_unrated(world.practitioner, fam, on, unrated=child, low_srs=adult)
    return fam


@pytest.fixture(autouse=True)
def every_session(settings):
    settings.SCHEDULE = schedules.parse("every_session")
    settings.DEFAULT_FROM_EMAIL = "family-feedback@council.example"


def test_a_practitioner_gets_one_email_naming_the_overdue_and_the_alerts(world, due):
    run()
    [email] = to(world.practitioner)
    assert email.from_email == "family-feedback@council.example"
    body = email.body
    assert "Crane family" in body
    assert "- Person2: rating overdue since" in body
    assert "- Person1: alert not yet acknowledged (low session rating" in body
    # First names only; nothing of the family Pat is not key worker for, or with nothing due.
    assert "Zebedee" not in body
    assert "Ashdown" not in body and "Birchley" not in body
    assert "&#" not in body and "&amp;" not in body  # plain text, not HTML-escaped
    assert [m.to for m in mail.outbox].count([world.colleague_other_team.email]) == 0


def test_an_acknowledged_alert_is_not_repeated(world, due):
    adult = due.people.get(first_name="Person1")
    raised = alerts.outstanding([adult], queries.by_person(queries.open_episode_records([due])),
                                timezone.localdate(), trajectories.latest())
    assert raised
    for item in raised:
        actions.acknowledge_alert(world.practitioner, adult, code=item.alert.code.value,
                                  fired_on=item.alert.on, note="Talked it through")
    run()
    [email] = to(world.practitioner)
    assert "alert not yet acknowledged" not in email.body
    assert "Person2: rating overdue" in email.body


def test_opting_out_sends_nothing(world, due):
    ReminderPreference.objects.create(user=world.practitioner, opted_out=True)
    output = run()
    assert to(world.practitioner) == []
    assert "Opted out: 1." in output
    assert not ReminderSent.objects.filter(user=world.practitioner).exists()


def test_a_second_run_the_same_week_sends_nothing_and_next_week_sends_again(world, due):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    run("--today", monday.isoformat())
    assert len(to(world.practitioner)) == 1
    output = run("--today", sunday.isoformat())
    assert len(to(world.practitioner)) == 1
    assert "Sent 0 reminder emails" in output
    assert "Already sent this week: 2." in output  # Pat, and Mona (Pat has not used the tools)
    run("--today", (monday + timedelta(days=7)).isoformat())
    assert len(to(world.practitioner)) == 2
    assert set(ReminderSent.objects.filter(user=world.practitioner)
               .values_list("week", flat=True)) == {reminders.iso_week(monday),
                                                    reminders.iso_week(monday + timedelta(7))}


def test_a_claim_already_taken_by_another_run_sends_nothing(world, due):
    # Another run recorded the week between this run's first look and its send.
    week = reminders.iso_week(timezone.localdate())
    assert reminders._claim(world.practitioner, week) is True
    assert reminders._claim(world.practitioner, week) is False


def test_a_failed_send_is_not_recorded_so_the_next_run_tries_again(world, due, monkeypatch,
                                                                  caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("pat@example.test refused")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with caplog.at_level(logging.INFO), pytest.raises(Exception, match="could not be sent"):
        run()
    assert not ReminderSent.objects.exists()
    assert "pat@example.test" not in caplog.text
    monkeypatch.undo()
    run()
    assert len(to(world.practitioner)) == 1


def test_dry_run_counts_and_sends_nothing(world, due):
    output = run("--dry-run")
    assert "Would send 2 reminder emails" in output
    assert "1 to practitioners, 1 to team managers" in output
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


@pytest.fixture
def service(world):
    """A hand-made month: in North 1, Pat and Quinn complete the tools last month, only Pat this
    month, and Rita never. Usage two months ago and in South 2 must not count."""
    today = timezone.localdate()
    this_start, last_start = reminders.months(today)
    quinn = factories.user("quinn@example.test", team=world.team)
    rita = factories.user("rita@example.test", team=world.team)
    crane = factories.family(world.team, world.practitioner, ages=(35, 9), name="Crane family")
    dale = factories.family(world.team, quinn, ages=(40,), name="Dale family")
    factories.session(world.practitioner, crane, this_start)  # 2 ORS, 2 SRS; Pat
    factories.session(world.practitioner, crane, last_start + timedelta(days=1))  # 2 and 2; Pat
    factories.session(quinn, dale, last_start + timedelta(days=2))  # 1 and 1; Quinn
    factories.session(quinn, dale, last_start - timedelta(days=3))  # two months ago
    factories.session(world.colleague_other_team, world.other_family, this_start)  # South 2
    return {"today": today, "this": this_start, "last": last_start, "quinn": quinn, "rita": rita}


def test_a_manager_gets_usage_this_month_against_last_and_who_has_not_used_the_tools(
        world, service):
    digest = reminders.manager_digest(world.manager, service["today"])
    this, last = digest.this_month, digest.last_month
    assert (this, last) == (f"{service['this']:%Y-%m}", f"{service['last']:%Y-%m}")
    for tool in ("ORS", "SRS"):
        assert digest.get(this, tool) == reminders.Usage(completions=2, practitioners=1)
        assert digest.get(last, tool) == reminders.Usage(completions=3, practitioners=2)
    assert digest.not_using == ["Quinn", "Rita"]

    run("--today", service["today"].isoformat())
    [email] = to(world.manager)
    body = email.body
    assert "North 1" in body and "South 2" not in body
    assert "ORS completed: 2 this month, 3 last month" in body
    assert "Practitioners completing the ORS: 1 this month, 2 last month" in body
    assert "SRS completed: 2 this month, 3 last month" in body
    assert "Practitioners completing the SRS: 1 this month, 2 last month" in body
    assert "- Quinn\n- Rita\n" in body
    assert "- Pat\n" not in body
    assert f"{service['this']:%B %Y} so far" in body


def test_nobody_with_nothing_to_report_gets_an_email(world):
    # No ratings are due and no alerts are raised anywhere; a manager of a team with no
    # practitioners and no use of the tools has nothing to say either. Mona has: Pat has not
    # used the tools.
    empty = Team.objects.create(name="West 3")
    idle_manager = factories.user("ivan@example.test", Role.TEAM_MANAGER, manages=empty)
    output = run()
    assert [m.to for m in mail.outbox] == [[world.manager.email]]
    assert to(idle_manager) == []
    # Pat, the colleague, the outsider and Ivan; Mona's email was sent.
    assert "Nothing to report: 4." in output
    assert not ReminderSent.objects.exclude(user=world.manager).exists()


def test_the_command_output_and_log_have_counts_and_no_names(world, due, service, caplog):
    with caplog.at_level(logging.DEBUG):
        output = run()
    assert mail.outbox  # names went into the emails...
    said = output + caplog.text
    for name in ("Crane", "Dale", "Ashdown", "Birchley", "Person1", "Person2", "Zebedee", "Pat",
                 "Quinn", "Rita", "Mona", "North 1", "@example.test"):
        assert name not in said, name  # ...and never into the output or the log
    assert "Sent 2 reminder emails" in output


def test_the_help_states_the_rule():
    from familyfeedback.implementation.management.commands.send_reminders import Command

    rule = Command.help
    for words in ("once a week", "overdue", "not yet acknowledged", "this month so far against "
                  "last month", "nothing to report gets no email", "opted out",
                  "sends nothing twice"):
        assert words in rule


def test_the_opt_out_page_saves_the_signed_in_users_own_preference(world, signed_in):
    client = signed_in(world.practitioner)
    page = client.get("/reminders/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Send me a weekly email" in html
    assert weekly_box(html).endswith(" checked>")
    assert world.practitioner.email in html

    # An unticked box sends nothing for it: opted out. Any other field is ignored.
    response = client.post("/reminders/", {"user": world.manager.pk})
    assert response.status_code == 302
    assert ReminderPreference.objects.get(user=world.practitioner).opted_out is True
    assert not ReminderPreference.objects.filter(user=world.manager).exists()
    assert reminders.wants_reminders(world.manager)
    assert AuditEntry.objects.filter(action="reminders.preference",
                                     actor=world.practitioner).count() == 1
    assert "checked" not in weekly_box(client.get("/reminders/").content.decode())

    client.post("/reminders/", {"weekly": "on"})
    assert ReminderPreference.objects.get(user=world.practitioner).opted_out is False


def test_everyone_signed_in_may_use_the_page_for_themselves(world, signed_in, client):
    for user in world.everyone().values():
        assert signed_in(user).get("/reminders/").status_code == 200
    client.logout()
    assert client.get("/reminders/").status_code == 302  # to the sign-in page
