"""Survey reminders and new survey links through GOV.UK Notify's survey template, when the service
has one, against the fake Notify on the loopback: one email each, with the link and the wave, and
a Notify that refuses or is not there is a message on the trial page, never an error page."""

import pytest
from django.urls import reverse

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation.models import Response, TrialPractitioner
from tests.evaluation.builders import open_baseline
from tests.notify_server import SURVEY_TEMPLATE, fake_notify, notify_unreachable  # noqa: F401

SITE = "https://feedback.example.test"


@pytest.fixture
def baseline(world, client, settings):
    """The pilot with the baseline open, the practitioner's answer in; the evaluator signed in.
    Gives the trial, the practitioner and the others still to answer."""
    settings.SITE_URL = SITE
    trial, me, _ = open_baseline(world, client)
    Response.objects.create(trial=trial, respondent=me, wave="baseline", item="wai_1", value="5")
    return trial, me, list(trial.practitioners.exclude(pk=me.pk).select_related("user"))


def remind(client, trial):
    return client.post(reverse("remind", args=[trial.pk, "baseline"]), follow=True)


def change_link(client, respondent: TrialPractitioner):
    return client.post(reverse("change_survey_link", args=[respondent.trial_id, respondent.pk]),
                       {"what": "reissue"}, follow=True)


def test_each_non_responder_gets_one_reminder_by_notify_with_their_link_and_the_wave(
        world, client, baseline, fake_notify, mailoutbox):  # noqa: F811
    trial, me, others = baseline
    page = remind(client, trial).content.decode()
    assert f"Reminder sent to {len(others)} practitioners" in page
    assert {r["path"] for r in fake_notify.received} == {"/v2/notifications/email"}
    assert sorted((r["body"] for r in fake_notify.received),
                  key=lambda body: body["email_address"]) == sorted((
        {"email_address": p.user.email, "template_id": SURVEY_TEMPLATE,
         "personalisation": {"link": f"{SITE}/surveys/link/{p.link_token}/", "trial": "Pilot",
                             "wave": "baseline", "days": "28"},
         "reference": f"survey-reminder-{p.pk}-baseline"} for p in others),
        key=lambda body: body["email_address"])
    assert mailoutbox == []
    # Nothing that names a person goes to Notify but the address it sends to.
    everyone = [p.user for p in trial.practitioners.select_related("user")]
    sent = str([{k: v for k, v in r["body"].items() if k != "email_address"}
                for r in fake_notify.received])
    assert not [u for u in everyone if u.full_name in sent or u.email in sent]
    assert AuditEntry.objects.get(action="wave.remind").changes["sent"] == str(len(others))


@pytest.mark.parametrize(("status", "tried"), [(400, "all"), (403, 1), (429, 1), (500, 1)])
def test_when_notify_refuses_the_reminders_are_counted_as_not_sent(
        client, baseline, fake_notify, status, tried):  # noqa: F811
    trial, _, others = baseline
    fake_notify.refuse_with = status
    response = remind(client, trial)
    assert response.status_code == 200
    assert (f"Reminder sent to 0 practitioners; {len(others)} could not be sent: try again later"
            in response.content.decode())
    # A refused address says nothing of the next; a refused key or no answer says it of all.
    assert len(others) > 1
    assert len(fake_notify.received) == (len(others) if tried == "all" else tried)
    changes = AuditEntry.objects.get(action="wave.remind").changes
    assert (changes["sent"], changes["failed"]) == ("0", str(len(others)))


@pytest.mark.usefixtures("notify_unreachable")
def test_when_notify_cannot_be_reached_the_page_says_none_could_be_sent(client, baseline):
    trial, _, others = baseline
    response = remind(client, trial)
    assert response.status_code == 200
    assert (f"Reminder sent to 0 practitioners; {len(others)} could not be sent"
            in response.content.decode())


def test_without_the_survey_template_reminders_still_go_by_mail(
        client, baseline, fake_notify, settings, mailoutbox):  # noqa: F811
    settings.NOTIFY_SURVEY_TEMPLATE_ID = ""  # Notify set up for family links only
    trial, _, others = baseline
    remind(client, trial)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.user.email for p in others)
    assert fake_notify.received == []


def test_a_new_link_goes_by_notify_and_the_old_one_stops(world, client, baseline,
                                                         fake_notify):  # noqa: F811
    _, me, _ = baseline
    old = me.link_token
    page = change_link(client, me).content.decode()
    assert f"A new survey link was emailed to {me.practitioner_code}" in page
    me.refresh_from_db()
    assert me.link_token != old and me.link_token not in page
    [sent] = [r["body"] for r in fake_notify.received]
    assert sent == {"email_address": world.practitioner.email, "template_id": SURVEY_TEMPLATE,
                    "personalisation": {"link": f"{SITE}/surveys/link/{me.link_token}/",
                                        "trial": "Pilot", "wave": "baseline", "days": "28"},
                    "reference": f"survey-link-{me.pk}"}
    assert AuditEntry.objects.filter(action="survey_link.reissue", object_id=me.pk).exists()


def test_a_new_link_names_no_wave_when_none_is_open(client, baseline, fake_notify):  # noqa: F811
    trial, me, _ = baseline
    client.post(reverse("close_wave", args=[trial.pk, "baseline"]))
    change_link(client, me)
    [sent] = [r["body"] for r in fake_notify.received]
    assert sent["personalisation"]["wave"] == "next"


@pytest.mark.parametrize("status", [400, 500])
def test_when_notify_refuses_a_new_link_the_old_one_is_kept_and_the_page_says_so(
        client, baseline, fake_notify, status):  # noqa: F811
    _, me, _ = baseline
    old = me.link_token
    fake_notify.refuse_with = status
    response = change_link(client, me)
    assert response.status_code == 200
    assert ("GOV.UK Notify did not take the email. The link was not changed: try again later"
            in response.content.decode())
    me.refresh_from_db()
    assert me.link_token == old
    assert not AuditEntry.objects.filter(action="survey_link.reissue").exists()
    assert "QR code" not in response.content.decode()  # Notify's reasons are for practitioners
