"""Consent per evaluation activity, recorded from the signed form, and withdrawal: the analysis
leaves out what a practitioner withdrew from."""

import csv
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.evaluation import actions, analysis, package_io
from familyfeedback.evaluation.models import Consent
from tests.evaluation.builders import open_baseline
from tests.evaluation.test_analysis import build_trial


def day(prefix: str, on: date) -> dict:
    return {f"{prefix}-{part}": str(getattr(on, part)) for part in ("day", "month", "year")}


@pytest.fixture
def pilot(world, client):
    trial, me, _ = open_baseline(world, client)
    return trial, me, reverse("practitioner_consent", args=[trial.pk, me.pk])


def test_the_evaluator_records_consent_per_statement_with_date_and_sheet_version(pilot, client):
    trial, me, url = pilot
    signed = timezone.localdate() - timedelta(days=3)
    response = client.post(url, {"activities": ["surveys", "interview"],
                                 "information_sheet_version": "2.1", **day("given_on", signed)})
    assert response.status_code == 302
    recorded = {c.activity: c for c in Consent.objects.filter(practitioner=me)}
    assert set(recorded) == {"surveys", "interview"}
    assert recorded["surveys"].given_on == signed
    assert recorded["surveys"].information_sheet_version == "2.1"
    entry = AuditEntry.objects.get(action="consent.give")
    assert entry.changes["activities"] == "surveys, interview"
    page = client.get(reverse("consent", args=[trial.pk])).content.decode()
    assert me.practitioner_code in page and "(information sheet 2.1)" in page
    assert "Not recorded" in page  # observation and admin data


def test_a_form_missing_its_ticks_date_and_version_says_so_and_keeps_what_was_typed(pilot,
                                                                                      client):
    _, _, url = pilot
    page = client.post(url, {"given_on-day": "4", "given_on-month": "13",
                             "given_on-year": "2026"}).content.decode()
    assert "Tick each statement the practitioner agreed to" in page
    assert "The date consent was given must be a real date" in page
    assert "Enter the version of the information sheet" in page
    assert 'value="13"' in page
    assert not Consent.objects.exists()


def test_consent_dated_in_the_future_is_refused(pilot, client):
    _, _, url = pilot
    page = client.post(url, {"activities": ["surveys"], "information_sheet_version": "1",
                             **day("given_on", timezone.localdate() + timedelta(days=1))})
    assert "must be today or in the past" in page.content.decode()


def test_consent_recorded_twice_is_left_as_it_was(pilot, client):
    _, me, url = pilot
    first = {"activities": ["surveys"], "information_sheet_version": "1",
             **day("given_on", timezone.localdate())}
    client.post(url, first)
    again = client.post(url, {**first, "information_sheet_version": "2"}).content.decode()
    assert "Consent to surveys is already recorded for this practitioner" in again
    assert Consent.objects.get(practitioner=me).information_sheet_version == "1"


def test_a_withdrawal_is_recorded_with_its_date_and_audited(pilot, client):
    _, me, url = pilot
    signed = timezone.localdate() - timedelta(days=10)
    client.post(url, {"activities": ["surveys", "admin_data"],
                      "information_sheet_version": "1", **day("given_on", signed)})
    withdraw = reverse("withdraw_consent", args=[me.trial_id, me.pk])
    early = client.post(withdraw, {"withdraw-activities": ["surveys"],
                                   **day("withdraw-withdrawn_on", signed - timedelta(days=1))})
    assert "The date of withdrawal is before consent to surveys was given" in \
        early.content.decode()
    never = client.post(withdraw, {"withdraw-activities": ["interview"],
                                   **day("withdraw-withdrawn_on", signed)})
    assert "There is no consent to interview to withdraw from" in never.content.decode()
    today = timezone.localdate()
    done = client.post(withdraw, {"withdraw-activities": ["surveys"],
                                  **day("withdraw-withdrawn_on", today)})
    assert done.status_code == 302
    assert Consent.objects.get(practitioner=me, activity="surveys").withdrawn_on == today
    assert Consent.objects.get(practitioner=me, activity="admin_data").withdrawn_on is None
    assert AuditEntry.objects.get(action="consent.withdraw").changes["activities"] == "surveys"
    page = client.get(url).content.decode()
    assert "Withdrawn " in page


def _withdraw(trial, code: str, activity: str) -> None:
    person = trial.practitioners.get(practitioner_code=code)
    actions.record_consent(None, person, activities=[activity], given_on=date(2022, 9, 1),
                           information_sheet_version="1")
    actions.withdraw_consent(None, person, activities=[activity], withdrawn_on=date(2023, 1, 1))


def _row(rows: list[dict], **match) -> dict:
    return next(r for r in rows if all(r[k] == v for k, v in match.items()))


def test_a_practitioner_withdrawn_from_surveys_is_absent_from_the_survey_analysis(db):
    trial = build_trial()
    before = analysis.report(trial)
    # P01, P02 and P03 answered post-training (iam_ors complete for all three); P01 alone
    # answered prev_ors.
    assert _row(before["response_rates"], team_id="I1", wave="post_training")["responses"] == 3
    assert _row(before["scales"], measure="iam_ors", wave="post_training")["n"] == 3
    assert _row(before["questions"], question_id="prev_ors", arm="intervention")["n"] == 1
    _withdraw(trial, "P01", "surveys")
    after = analysis.report(trial)
    assert _row(after["response_rates"], team_id="I1", wave="post_training")["responses"] == 2
    scales = _row(after["scales"], measure="iam_ors", wave="post_training")
    # P02 (5, 5, 5, 5) and P03 (3, 4, 4, 5): iam_ors is a mean of its items.
    assert scales["n"] == 2 and scales["mean"] == pytest.approx((5 + 4) / 2)
    assert _row(after["questions"], question_id="prev_ors", arm="intervention")["n"] == 0
    assert set(after) == set(before)
    assert all(list(a[0]) == list(b[0]) for a, b in zip(after.values(), before.values(),
                                                        strict=True) if a and b)


def test_what_a_practitioner_withdrew_from_is_left_out_of_the_package_export(db, tmp_path):
    trial = build_trial()
    package_io.export_package(trial, tmp_path / "before")
    _withdraw(trial, "P01", "surveys")
    package_io.export_package(trial, tmp_path / "after")

    def whose(folder: str, file: str, column: str) -> set[str]:
        with (tmp_path / folder / file).open(encoding="utf-8") as handle:
            return {row[column] for row in csv.DictReader(handle)}

    assert "P01" in whose("before", "responses.csv", "respondent_id")
    assert "P01" not in whose("after", "responses.csv", "respondent_id")
    assert whose("after", "responses.csv", "respondent_id") == (
        whose("before", "responses.csv", "respondent_id") - {"P01"})
    # Surveys only: their admin data and their place in the trial stay.
    assert whose("after", "administrations.csv", "practitioner_id") == whose(
        "before", "administrations.csv", "practitioner_id")
    assert "P01" in whose("after", "practitioners.csv", "practitioner_id")
    assert "P01" in whose("after", "administrations.csv", "practitioner_id")
    assert "P01" in whose("after", "training.csv", "practitioner_id")
    _withdraw(trial, "P01", "admin_data")
    package_io.export_package(trial, tmp_path / "last")
    assert "P01" not in whose("last", "administrations.csv", "practitioner_id")
    assert "P01" not in whose("last", "training.csv", "practitioner_id")


def test_a_practitioner_withdrawn_from_admin_data_is_absent_from_usage_and_reach(db):
    trial = build_trial()
    _withdraw(trial, "P01", "admin_data")
    report = analysis.report(trial)
    # Left: P03's completed CSRS (SRS) and CORS (ORS) with the child F3.
    assert report["reach"] == [{"measure": "ORS", "person_group": "child", "people": 1},
                               {"measure": "SRS", "person_group": "child", "people": 1}]
    assert sum(r["completions"] for r in report["usage_by_month"]) == 2
    used = sum(r["used_tools"] for r in report["training_by_role"])
    assert used == 1  # P03 only
    # Withdrawing from admin data leaves their survey answers in.
    assert _row(report["response_rates"], team_id="I1", wave="post_training")["responses"] == 3
