"""A survey wave has opening and closing dates and can be closed: once closed, or past its
closing date, it takes no more answers and its pages say so."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation.models import Response, Wave
from tests.evaluation.builders import open_baseline


def dates(prefix: str, **when) -> dict:
    return {f"{prefix}-{name}-{part}": str(getattr(day, part))
            for name, day in when.items() for part in ("day", "month", "year")}


def test_the_evaluator_sets_the_dates_when_opening_a_wave(world, client):
    trial, _, _ = open_baseline(world, client)
    today = timezone.localdate()
    closes = today + timedelta(days=21)
    response = client.post(reverse("open_wave", args=[trial.pk, "endline"]),
                           dates("endline", opens_on=today, closes_on=closes))
    assert response.status_code == 302
    wave = trial.waves.get(kind="endline")
    assert (wave.opens_on, wave.closes_on, wave.closed_on) == (today, closes, None)
    page = client.get(reverse("trial", args=[trial.pk])).content.decode()
    assert f"until {closes.day} " in page


def test_a_closing_date_before_the_opening_date_is_refused_with_the_dates_kept(world, client):
    trial, _, _ = open_baseline(world, client)
    today = timezone.localdate()
    page = client.post(reverse("open_wave", args=[trial.pk, "endline"]),
                       dates("endline", opens_on=today + timedelta(days=5),
                             closes_on=today + timedelta(days=1))).content.decode()
    assert "The closing date must be on or after the opening date" in page
    assert f'value="{(today + timedelta(days=5)).day}"' in page
    assert not trial.waves.filter(kind="endline").exists()


def test_a_closing_date_in_the_past_is_refused(world, client):
    trial, _, _ = open_baseline(world, client)
    page = client.post(reverse("open_wave", args=[trial.pk, "endline"]), dates(
        "endline", closes_on=timezone.localdate() - timedelta(days=1))).content.decode()
    assert "The closing date must be today or later" in page
    assert not trial.waves.filter(kind="endline").exists()


def test_a_closed_wave_takes_no_answers_and_says_so(world, client):
    trial, me, wave = open_baseline(world, client)
    assert client.post(reverse("close_wave", args=[trial.pk, "baseline"])).status_code == 302
    assert AuditEntry.objects.filter(action="wave.close").exists()
    practitioner = Client()
    practitioner.force_login(world.practitioner)
    url = reverse("survey_answer", args=[me.pk, wave.pk])
    page = practitioner.get(url).content.decode()
    assert "This survey closed on" in page and "It takes no more answers" in page
    assert 'name="proqol_cs_1"' not in page
    sent = practitioner.post(url, {"proqol_cs_1": "4", "action": "submit",
                                   "send_anyway": "yes"})
    assert "This survey closed on" in sent.content.decode()
    assert not Response.objects.filter(respondent=me).exists()
    # Closed, it is not reminded about, and closing it again says it is not open.
    refused = client.post(reverse("close_wave", args=[trial.pk, "baseline"]), follow=True)
    assert "That survey wave is not open" in refused.content.decode()


def test_a_wave_past_its_closing_date_takes_no_answers_through_the_link(world, client):
    trial, me, wave = open_baseline(world, client)
    Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    browser = Client()
    browser.get(reverse("survey_link", args=[me.link_token]))
    sent = browser.post(reverse("survey_link_answer", args=[wave.pk]), {"proqol_cs_1": "4"})
    assert "This survey closed on" in sent.content.decode()
    assert not Response.objects.filter(respondent=me).exists()
    reminded = client.post(reverse("remind", args=[trial.pk, "baseline"]), follow=True)
    assert "That survey wave is not open" in reminded.content.decode()


def test_a_wave_not_yet_open_says_when_it_opens(world, client):
    trial, me, wave = open_baseline(world, client)
    opens = timezone.localdate() + timedelta(days=3)
    Wave.objects.filter(pk=wave.pk).update(opens_on=opens)
    practitioner = Client()
    practitioner.force_login(world.practitioner)
    page = practitioner.get(reverse("survey_answer", args=[me.pk, wave.pk])).content.decode()
    assert "This survey opens on" in page


def test_a_closed_wave_can_be_opened_again(world, client):
    trial, _, wave = open_baseline(world, client)
    client.post(reverse("close_wave", args=[trial.pk, "baseline"]))
    client.post(reverse("open_wave", args=[trial.pk, "baseline"]))
    wave.refresh_from_db()
    assert wave.closed_on is None and wave.accepts_answers(timezone.localdate())
