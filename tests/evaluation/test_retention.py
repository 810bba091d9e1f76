"""Research data retention: each trial has a retention date; the research_data_retention
command lists what is due, and erases a trial's research data only when named after the dry
run, leaving a record that it happened."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation import queries
from familyfeedback.evaluation.models import (
    Consent,
    Document,
    Erasure,
    Response,
    Trial,
    TrialPractitioner,
    Wave,
)
from tests.evaluation.builders import open_baseline
from tests.evaluation.test_analysis import build_trial


def run(*args) -> str:
    out = StringIO()
    call_command("research_data_retention", *args, stdout=out)
    return out.getvalue()


def past(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def parts(on: date) -> dict:
    return {f"retention_date-{p}": str(getattr(on, p)) for p in ("day", "month", "year")}


def test_the_evaluator_sets_the_retention_date_on_the_trial_page(world, client):
    trial, _, _ = open_baseline(world, client)
    on = date(2028, 9, 30)
    response = client.post(reverse("set_retention", args=[trial.pk]), {**parts(on), "was": ""})
    assert response.status_code == 302
    trial.refresh_from_db()
    assert trial.retention_date == on
    assert AuditEntry.objects.get(action="trial.retention").changes == {
        "retention_date": ["", "2028-09-30"]}
    assert "30 September 2028" in client.get(reverse("trial", args=[trial.pk])).content.decode()


def test_a_colleagues_change_to_the_retention_date_is_not_overwritten(world, client):
    trial, _, _ = open_baseline(world, client)
    Trial.objects.filter(pk=trial.pk).update(retention_date=date(2029, 1, 1))
    page = client.post(reverse("set_retention", args=[trial.pk]),
                       {**parts(date(2028, 9, 30)), "was": ""}).content.decode()
    assert "Another evaluator changed the retention date" in page
    assert 'value="30"' in page
    trial.refresh_from_db()
    assert trial.retention_date == date(2029, 1, 1)


def test_by_default_data_are_kept_two_years_after_the_last_wave_closed(db):
    trial = build_trial()
    assert queries.retention_date(trial) is None  # no wave run here: no end known
    Wave.objects.create(trial=trial, kind="baseline", is_open=True, closed_on=date(2023, 1, 5))
    Wave.objects.create(trial=trial, kind="endline", is_open=True, closes_on=date(2024, 2, 29))
    assert queries.retention_date(trial) == date(2026, 2, 28)
    trial.retention_date = date(2025, 5, 1)
    assert queries.retention_date(trial) == date(2025, 5, 1)


def test_the_dry_run_lists_trials_due_and_changes_nothing(db):
    due = build_trial("Pilot")
    due.retention_date = past(1)
    due.save()
    later = build_trial("Later")
    later.retention_date = timezone.localdate() + timedelta(days=1)
    later.save()
    out = run()
    assert f"Pilot: due since {past(1).isoformat()}; would erase 8 practitioners" in out
    assert "Later" not in out
    assert "Dry run: nothing was erased" in out
    assert TrialPractitioner.objects.filter(trial=due).count() == 8


def test_erasing_a_due_trial_removes_its_research_data_and_records_that_it_happened(db):
    trial = build_trial()
    trial.retention_date = past(1)
    trial.save()
    answers = Response.objects.filter(trial=trial).count()
    Document.objects.create(trial=trial, kind="interview", title="Interview 1", text="Said.",
                            participant=trial.practitioners.get(practitioner_code="P01"))
    out = run("--erase", "Pilot")
    assert "Erased the research data of Pilot: 8 practitioners" in out
    assert not TrialPractitioner.objects.filter(trial=trial).exists()
    assert not Response.objects.filter(trial=trial).exists()
    assert not trial.admin_records.exists() and not trial.training.exists()
    assert not Consent.objects.filter(trial=trial).exists()
    assert not Document.objects.filter(trial=trial).exists()
    record = Erasure.objects.get()
    assert record.trial_name == "Pilot" and record.retention_date == past(1)
    assert record.counts["survey answers"] == answers and record.counts["admin records"] == 7
    entry = AuditEntry.objects.get(action="trial.erase")
    assert entry.changes["practitioners"] == "8"
    # The trial and its design are kept; it is no longer due.
    assert Trial.objects.filter(pk=trial.pk, teams__isnull=False).exists()
    assert "No trial is due for erasure." in run()
    with pytest.raises(CommandError, match="already been erased. Nothing was erased"):
        run("--erase", "Pilot")


def test_a_trial_not_due_or_unknown_is_refused_with_a_sentence(db):
    trial = build_trial()
    with pytest.raises(CommandError, match="Pilot is not due for erasure: it has no retention "
                                           "date yet. Nothing was erased"):
        run("--erase", "Pilot")
    trial.retention_date = timezone.localdate() + timedelta(days=3)
    trial.save()
    with pytest.raises(CommandError, match="not due for erasure until"):
        run("--erase", "Pilot")
    with pytest.raises(CommandError, match="There is no trial called “Nope”"):
        run("--erase", "Nope")
    assert TrialPractitioner.objects.filter(trial=trial).count() == 8
