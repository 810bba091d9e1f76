"""A family member's session rating on their own phone: the practitioner makes a one-time link,
shows it or sends it through GOV.UK Notify (a fake Notify on the loopback, started here), and the
link opens just that person's form, once, until it expires."""

import hashlib
import re
import uuid
from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework import actions
from familyfeedback.casework.models import Administration, FeedbackLink, Session
from familyfeedback.lib.logged_paths import loggable_path
from tests.notify_server import (  # noqa: F401 (fixtures)
    SMS_TEMPLATE,
    fake_notify,
    notify_unreachable,
)

LINK = re.compile(r"http://testserver/r/([A-Za-z0-9_-]+)/")
SEND_TOKEN = re.compile(r'name="send_token" value="([0-9a-f-]+)"')


@pytest.fixture
def started(world) -> Session:
    people = list(world.family.people.order_by("date_of_birth"))
    session, _ = actions.record_session(
        world.practitioner, world.family, token=uuid.uuid4(), on=timezone.localdate(),
        kind="home_visit", present=people, entries=[], stage=Session.Stage.STARTED)
    return session


@pytest.fixture
def mum(world):
    return world.family.people.order_by("date_of_birth").first()


def make_link(client, session, person) -> tuple[str, str, str]:
    """The practitioner presses "Make a link": (the page, the token in it, the send form's)."""
    response = client.post(f"/sessions/{session.pk}/phone/", {"person": person.pk,
                                                              "tool": "SRS"})
    assert response.status_code == 200
    page = response.content.decode()
    send_form = SEND_TOKEN.search(page)  # only where Notify is set up
    return page, LINK.search(page).group(1), send_form and send_form.group(1)


def send(client, session, token, send_token, **typed):
    return client.post(f"/sessions/{session.pk}/phone/send/", {
        "link": token, "send_token": send_token, "how": "sms", **typed}).content.decode()


def test_a_link_is_shown_as_a_qr_code_and_as_text_and_only_its_hash_is_kept(
        world, signed_in, started, mum):
    client = signed_in(world.practitioner)
    assert mum.first_name in client.get(f"/sessions/{started.pk}/phone/").content.decode()
    page, token, _ = make_link(client, started, mum)
    assert "<svg" in page and "QR code that opens the link below" in page
    assert f"<code>http://testserver/r/{token}/</code>" in page
    assert len(token) >= 22  # 128 bits or more
    assert "send it to their phone" not in page  # Notify is not set up here
    link = FeedbackLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in model_to_dict(link).values()] + [
        str(e.changes) for e in AuditEntry.objects.all()]
    assert not [v for v in stored if token in v]
    assert (link.person, link.tool, link.created_by) == (mum, "SRS", world.practitioner)
    assert link.expires_at - link.created_at == timedelta(hours=24)
    assert AuditEntry.objects.filter(action="feedback_link.create", object_id=link.pk).exists()
    assert AuditEntry.objects.filter(action="session.view_phone_links",
                                     object_id=started.pk).exists()


def test_pressing_send_twice_sends_exactly_one_text_message(world, signed_in, started, mum,
                                                           fake_notify):  # noqa: F811
    client = signed_in(world.practitioner)
    _, token, send_token = make_link(client, started, mum)
    first = send(client, started, token, send_token, phone="07700 900 982")
    again = send(client, started, token, send_token, phone="07700 900 982")
    link = FeedbackLink.objects.get()
    assert fake_notify.received == [{"path": "/v2/notifications/sms", "body": {
        "phone_number": "+447700900982", "template_id": SMS_TEMPLATE,
        "personalisation": {"link": f"http://testserver/r/{token}/", "hours": "24"},
        "reference": f"feedback-link-{link.pk}"}}]
    assert f"Link sent by text message to {mum.first_name}" in first
    assert "Already sent by text message: nothing more was sent" in again
    assert (link.sent_by, link.sent_at is not None) == ("sms", True)
    assert uuid.UUID(link.notification_id)
    # A fresh page for the same link (another tab) sends nothing either.
    send(client, started, token, str(uuid.uuid4()), phone="07700 900 982")
    assert len(fake_notify.received) == 1
    # The number was used for the send and kept nowhere.
    stored = [str(v) for v in model_to_dict(link).values()] + [
        str(e.changes) for e in AuditEntry.objects.all()]
    assert not [v for v in stored if "900982" in v or "900 982" in v]
    sent = AuditEntry.objects.get(action="feedback_link.send", object_id=link.pk)
    assert sent.changes == {"by": "sms", "notification": link.notification_id}


def test_a_link_can_be_sent_by_email(world, signed_in, started, mum, fake_notify):  # noqa: F811
    client = signed_in(world.practitioner)
    _, token, send_token = make_link(client, started, mum)
    page = send(client, started, token, send_token, how="email", email="ama@example.test")
    assert "Link sent by email" in page
    assert [r["body"]["email_address"] for r in fake_notify.received] == ["ama@example.test"]
    assert fake_notify.sms() == []


@pytest.mark.parametrize(("status", "says"), [
    (500, "GOV.UK Notify could not be reached or did not answer. Nothing was sent"),
    (400, "GOV.UK Notify would not send to the number or address given. Nothing was sent"),
])
def test_when_notify_refuses_nothing_is_marked_sent_and_it_can_be_sent_again(
        world, signed_in, started, mum, fake_notify, status, says):  # noqa: F811
    client = signed_in(world.practitioner)
    _, token, send_token = make_link(client, started, mum)
    fake_notify.refuse_with = status
    page = send(client, started, token, send_token, phone="07700900982")
    assert says in page
    assert 'value="07700900982"' in page  # what was typed is kept
    link = FeedbackLink.objects.get()
    assert (link.sent_at, link.send_token, link.notification_id) == (None, None, "")
    fake_notify.refuse_with = None
    assert "Link sent by text message" in send(client, started, token, send_token,
                                               phone="07700900982")
    assert len(fake_notify.sms()) == 2  # the refused one, and the one that went


@pytest.mark.usefixtures("notify_unreachable")
def test_when_notify_cannot_be_reached_the_page_says_so(world, signed_in, started, mum):
    client = signed_in(world.practitioner)
    _, token, send_token = make_link(client, started, mum)
    page = send(client, started, token, send_token, phone="07700900982")
    assert "could not be reached or did not answer. Nothing was sent" in page
    assert FeedbackLink.objects.get().sent_at is None


def test_notify_refuses_a_key_that_is_not_the_service_s(world, signed_in, started, mum,
                                                        fake_notify, settings):  # noqa: F811
    settings.NOTIFY_API_KEY = f"wrong-{uuid.uuid4()}-{uuid.uuid4()}"
    client = signed_in(world.practitioner)
    _, token, send_token = make_link(client, started, mum)
    page = send(client, started, token, send_token, phone="07700900982")
    assert "GOV.UK Notify refused this service" in page and "key. Nothing was sent" in page
    assert fake_notify.jwt_problems and fake_notify.received == []


@pytest.mark.parametrize("typed", ["01632 960000", "0770090098", "7700900982", "phone me"])
def test_a_number_that_is_not_a_uk_mobile_is_refused_in_plain_english(
        world, signed_in, started, mum, fake_notify, typed):  # noqa: F811
    client = signed_in(world.practitioner)
    _, token, send_token = make_link(client, started, mum)
    page = send(client, started, token, send_token, phone=typed)
    assert "Enter a UK mobile number, like 07700 900 982" in page
    assert fake_notify.received == []


def test_links_are_offered_only_for_people_at_a_started_session_who_have_not_rated(
        world, signed_in, started, mum):
    client = signed_in(world.practitioner)
    actions.give_rating(world.practitioner, started, actions.NewAdministration(
        person=mum, tool="SRS", measure="SRS", status="completed",
        items={"item_1": 9, "item_2": 9, "item_3": 9, "item_4": 9}, channel="tablet"))
    page = client.get(f"/sessions/{started.pk}/phone/").content.decode()
    assert f'value="{mum.pk}"' not in page
    refused = client.post(f"/sessions/{started.pk}/phone/", {"person": mum.pk})
    assert "Select someone listed" in refused.content.decode()
    actions.finish_session(world.practitioner, started, [])
    assert "This session has ended" in client.get(
        f"/sessions/{started.pk}/phone/").content.decode()
    assert FeedbackLink.objects.count() == 0


def test_another_teams_practitioner_reaches_neither_page(world, signed_in, started, mum,
                                                        fake_notify):  # noqa: F811
    _, token, send_token = make_link(signed_in(world.practitioner), started, mum)
    client = signed_in(world.colleague_other_team)
    assert client.get(f"/sessions/{started.pk}/phone/").status_code == 404
    assert client.post(f"/sessions/{started.pk}/phone/", {"person": mum.pk}).status_code == 404
    assert client.post(f"/sessions/{started.pk}/phone/send/", {
        "link": token, "send_token": send_token, "how": "sms",
        "phone": "07700900982"}).status_code == 404
    assert FeedbackLink.objects.count() == 1 and fake_notify.received == []


def test_a_link_of_one_session_sends_nothing_from_another(world, signed_in, started, mum,
                                                          fake_notify):  # noqa: F811
    client = signed_in(world.practitioner)
    _, token, send_token = make_link(client, started, mum)
    other, _ = actions.record_session(
        world.practitioner, world.family, token=uuid.uuid4(), on=timezone.localdate(),
        kind="office", present=[mum], entries=[], stage=Session.Stage.STARTED,
        another_session=True)
    refused = client.post(f"/sessions/{other.pk}/phone/send/", {
        "link": token, "send_token": send_token, "how": "sms", "phone": "07700900982"})
    assert refused["Location"] == f"/sessions/{other.pk}/phone/"
    assert fake_notify.received == []


def test_the_link_s_token_never_reaches_a_log():
    assert loggable_path("/r/Abc123_-xyz/") == "/r/*/"


@pytest.mark.parametrize(("change", "says", "status"), [
    ("used", "You have already sent your answers. Thank you.", 200),
    ("expired", "This link has run out", 200),
    ("ended", "This session has ended", 200),
    ("unknown", "This link does not work", 404),
])
def test_a_link_that_no_longer_works_says_why_kindly_and_nothing_of_the_family(
        world, client, started, mum, change, says, status):
    link, token = actions.make_feedback_link(world.practitioner, started, mum)
    if change == "used":
        FeedbackLink.objects.filter(pk=link.pk).update(used_at=timezone.now())
    elif change == "expired":
        FeedbackLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1))
    elif change == "ended":
        actions.finish_session(world.practitioner, started, [])
    elif change == "unknown":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.get(f"/r/{token}/")
    page = response.content.decode()
    assert response.status_code == status
    assert says in page
    for identifying in (mum.first_name, mum.last_name, world.family.name,
                        world.family.case_reference, world.practitioner.full_name):
        assert identifying not in page


def test_a_link_expires_at_the_configured_hours(world, started, mum, settings):
    settings.FEEDBACK_LINK_HOURS = 2
    link, _ = actions.make_feedback_link(world.practitioner, started, mum)
    assert link.expires_at - link.created_at == timedelta(hours=2)
    assert link.why_not_working(started.stage, now=link.created_at + timedelta(hours=2)) == (
        "expired")
    assert link.why_not_working(started.stage, now=link.created_at + timedelta(minutes=119)) is (
        None)


def rate_through(client, token, person, marks=("9", "8.5", "9", "10")):
    """What the phone's form sends: the four marks of the session rating."""
    return client.post(f"/r/{token}/", {
        f"rating-item_{n}": mark for n, mark in enumerate(marks, start=1)})


def test_the_link_opens_the_person_s_form_once_and_the_rating_is_their_own(
        world, client, signed_in, started, mum):
    _, token = actions.make_feedback_link(world.practitioner, started, mum)
    form = client.get(f"/r/{token}/")
    assert form.status_code == 200
    title = re.search(r"<title>(.*?)</title>", form.content.decode(), re.S).group(1)
    assert mum.first_name not in title and world.family.name not in title
    saved = rate_through(client, token, mum)
    assert saved.status_code == 302 and saved["Location"] == "/r/thank-you/"
    assert "Thank you" in client.get("/r/thank-you/").content.decode()
    rating = Administration.objects.get(session=started, person=mum, tool="SRS")
    assert (rating.total, rating.channel) == (36.5, "own_device")
    assert FeedbackLink.objects.get().used_at is not None
    # Sent again (a double tap that arrived late, or Back and Send): nothing more is saved.
    again = rate_through(client, token, mum, marks=("1", "1", "1", "1"))
    assert "You have already sent your answers. Thank you." in again.content.decode()
    assert Administration.objects.filter(session=started, person=mum).count() == 1
    assert AuditEntry.objects.filter(action="feedback_link.use").count() == 1
    practitioner = signed_in(world.practitioner)
    assert "Given on their own device" in practitioner.get(
        f"/sessions/{started.pk}/").content.decode()
