"""A practitioner's personal survey link: followed once, it lets them in for the browser session
and steps aside, so no page after it carries the token; it runs out, and the evaluator can revoke
it or send a new one."""

import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation.models import Response, TrialPractitioner
from tests.evaluation.builders import open_baseline
from tests.mail_server import no_mail_server, smtp_inbox  # noqa: F401 (fixtures)

SITE = "https://feedback.example.test"


@pytest.fixture
def baseline(world, client):
    """The pilot with the baseline open; the evaluator signed in on `client`."""
    trial, me, wave = open_baseline(world, client)
    return trial, me, wave


def follow(browser: Client, token: str):
    return browser.get(reverse("survey_link", args=[token]))


def issued_days_ago(respondent: TrialPractitioner, days: int) -> None:
    """The link moves this many more days into the past."""
    TrialPractitioner.objects.filter(pk=respondent.pk).update(
        link_issued_at=F("link_issued_at") - timedelta(days=days))


def change_link(client, respondent: TrialPractitioner, what: str):
    return client.post(reverse("change_survey_link", args=[respondent.trial_id, respondent.pk]),
                       {"what": what}, follow=True)


def test_the_link_lets_its_holder_in_and_the_pages_after_carry_no_token(baseline):
    _, me, wave = baseline
    browser = Client()
    before = browser.session.session_key
    response = follow(browser, me.link_token)
    assert response["Location"] == reverse("survey_by_link")
    assert browser.session.session_key != before

    surveys = browser.get(reverse("survey_by_link")).content.decode()
    assert f'href="{reverse("survey_link_answer", args=[wave.pk])}"' in surveys
    form = browser.get(reverse("survey_link_answer", args=[wave.pk])).content.decode()
    saved = browser.post(reverse("survey_link_answer", args=[wave.pk]), {"proqol_cs_1": "4"})
    assert saved["Location"] == reverse("survey_by_link")
    assert Response.objects.get(respondent=me).value == "4"
    for page in (surveys, form):
        assert me.link_token not in page


def test_a_browser_that_never_followed_the_link_is_not_let_in(baseline):
    _, _, wave = baseline
    stranger = Client()
    response = stranger.get(reverse("survey_link_answer", args=[wave.pk]))
    assert response.status_code == 404
    assert "This survey link does not work" in response.content.decode()


def test_a_link_runs_out_after_28_days(baseline):
    _, me, _ = baseline
    issued_days_ago(me, 27)
    assert follow(Client(), me.link_token).status_code == 302
    issued_days_ago(me, 2)
    response = follow(Client(), me.link_token)
    page = response.content.decode()
    assert response.status_code == 404
    assert "This survey link does not work" in page and "works for 28 days" in page
    assert f'href="{reverse("surveys")}"' in page


def test_a_browser_already_let_in_is_stopped_when_the_link_runs_out(baseline):
    _, me, wave = baseline
    browser = Client()
    follow(browser, me.link_token)
    issued_days_ago(me, 29)
    assert browser.get(reverse("survey_link_answer", args=[wave.pk])).status_code == 404


def test_how_long_a_link_works_is_a_setting(baseline, settings):
    _, me, _ = baseline
    settings.SURVEY_LINK_DAYS = 7
    issued_days_ago(me, 8)
    assert follow(Client(), me.link_token).status_code == 404


def test_an_evaluator_revokes_a_link_and_it_stops_working_at_once(world, client, baseline):
    trial, me, wave = baseline
    browser = Client()
    follow(browser, me.link_token)
    old = me.link_token
    page = change_link(client, me, "revoke").content.decode()
    assert f"{me.practitioner_code}&#39;s survey link no longer works" in page
    assert "Revoked: answers by signing in" in page
    assert browser.get(reverse("survey_by_link")).status_code == 404
    assert follow(Client(), old).status_code == 404
    assert AuditEntry.objects.filter(action="survey_link.revoke", actor=world.evaluator,
                                     object_id=me.pk).exists()
    # They can still answer, signed in.
    client.force_login(world.practitioner)
    assert client.get(reverse("survey_answer", args=[me.pk, wave.pk])).status_code == 200


def test_an_evaluator_sends_a_new_link_by_a_real_mail_server_and_the_old_one_stops(
        world, client, baseline, settings, smtp_inbox):  # noqa: F811
    settings.SITE_URL = SITE
    trial, me, _ = baseline
    old = me.link_token
    issued_days_ago(me, 40)  # a run-out link can be replaced too
    page = change_link(client, me, "reissue").content.decode()
    assert f"A new survey link was emailed to {me.practitioner_code}" in page

    me.refresh_from_db()
    assert me.link_token != old
    assert me.link_token not in page  # the evaluator never sees it
    assert smtp_inbox.recipients() == [world.practitioner.email]
    body = smtp_inbox.messages[0].content.decode()
    path = re.search(rf"{SITE}(/surveys/link/[\w-]+/)", body).group(1)
    assert follow(Client(), old).status_code == 404
    assert follow(Client(), path.split("/")[-2]).status_code == 302
    assert AuditEntry.objects.filter(action="survey_link.reissue", object_id=me.pk).exists()
    assert not AuditEntry.objects.filter(changes__icontains=me.link_token).exists()


def test_with_no_mail_server_a_new_link_is_not_made_and_the_page_says_so(
        client, baseline, no_mail_server):  # noqa: F811
    _, me, _ = baseline
    old = me.link_token
    page = change_link(client, me, "reissue").content.decode()
    assert "Could not reach the mail server" in page and "The link was not changed" in page
    me.refresh_from_db()
    assert me.link_token == old
    assert follow(Client(), old).status_code == 302


def test_a_button_value_that_is_not_offered_changes_nothing(client, baseline):
    _, me, _ = baseline
    page = change_link(client, me, "delete").content.decode()
    assert "Choose whether to send a new link or revoke the link" in page
    assert TrialPractitioner.objects.get(pk=me.pk).link_token == me.link_token


def test_only_the_evaluator_changes_links(world, client, baseline):
    trial, me, _ = baseline
    url = reverse("change_survey_link", args=[trial.pk, me.pk])
    for persona, user in world.everyone().items():
        if persona != "evaluator":
            client.force_login(user)
            assert client.post(url, {"what": "revoke"}).status_code == 404, persona
    assert TrialPractitioner.objects.get(pk=me.pk).link_token == me.link_token


def test_the_trial_page_lists_each_practitioners_link_by_pseudonym(world, client, baseline):
    trial, me, _ = baseline
    issued_days_ago(me, 30)
    page = client.get(reverse("trial", args=[trial.pk])).content.decode()
    assert "Personal survey links" in page
    assert f"<td class=\"govuk-table__cell\">{me.practitioner_code}</td>" in page
    assert "Ran out on" in page and "Works until" in page
    assert world.practitioner.full_name not in page and me.link_token not in page


def test_a_reminder_renews_a_link_that_has_run_out(world, client, baseline, settings,
                                                   mailoutbox):
    settings.SITE_URL = SITE
    trial, me, _ = baseline
    issued_days_ago(me, 30)
    client.post(reverse("remind", args=[trial.pk, "baseline"]))
    mine = next(m for m in mailoutbox if m.to == [world.practitioner.email])
    token = re.search(r"/surveys/link/([\w-]+)/", mine.body).group(1)
    assert follow(Client(), token).status_code == 302
    assert AuditEntry.objects.get(action="wave.remind").changes["links_renewed"] == "1"
