"""The weekly reminders and the survey reminders against a real mail server on this machine, and
against none: an unreachable server is one plain message, and nothing is recorded as sent that
was not."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation.models import Response
from familyfeedback.implementation.models import ReminderSent
from tests.evaluation.builders import open_baseline
from tests.implementation.test_reminders import due, every_session  # noqa: F401 (fixtures)
from tests.mail_server import no_mail_server, smtp_inbox  # noqa: F401 (fixtures)


def test_weekly_reminders_with_no_mail_server_say_so_once_and_record_nothing(
        world, due, no_mail_server):  # noqa: F811
    with pytest.raises(CommandError) as refused:
        call_command("send_reminders")
    message = str(refused.value)
    assert f"Could not reach the mail server at 127.0.0.1:{no_mail_server}" in message
    assert "nothing is recorded as sent" in message
    assert not ReminderSent.objects.exists()


def test_weekly_reminders_reach_a_real_mail_server_and_are_recorded(
        world, due, smtp_inbox):  # noqa: F811
    call_command("send_reminders")
    assert smtp_inbox.recipients() == sorted([world.practitioner.email, world.manager.email])
    assert ReminderSent.objects.count() == 2


def remind_at_baseline(world, client):
    trial, me, _ = open_baseline(world, client)
    Response.objects.create(trial=trial, respondent=me, wave="baseline", item="wai_1", value="5")
    others = sorted(p.user.email for p in trial.practitioners.exclude(pk=me.pk))
    return client.post(reverse("remind", args=[trial.pk, "baseline"]), follow=True), others


def test_reminding_non_responders_with_no_mail_server_says_so_and_records_none_sent(
        world, client, no_mail_server):  # noqa: F811
    response, _ = remind_at_baseline(world, client)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Could not reach the mail server at 127.0.0.1" in page and "No reminder was sent" in page
    assert not AuditEntry.objects.filter(action="wave.remind").exclude(
        changes__sent="0").exists()


def test_reminding_non_responders_reaches_a_real_mail_server(world, client,
                                                              smtp_inbox):  # noqa: F811
    response, others = remind_at_baseline(world, client)
    assert smtp_inbox.recipients() == others
    assert f"Reminder sent to {len(others)} practitioner" in response.content.decode()
    entry = AuditEntry.objects.get(action="wave.remind")
    assert entry.changes["sent"] == str(len(others))
