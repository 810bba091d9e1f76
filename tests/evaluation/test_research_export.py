"""Research exports (issue 12, docs/formats/research-export.md): a trial run here written out for
analysts, pseudonymised, in CSV, SPSS and Stata with their labels, read back from real files."""

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pyreadstat
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import Person
from familyfeedback.evaluation import actions
from familyfeedback.evaluation.models import Consent, Response, TrainingRecord
from familyfeedback.evaluation.research_export import KEY_BYTES, pseudonym
from tests import factories

KEY = b"k" * KEY_BYTES
OTHER_KEY = b"o" * KEY_BYTES
TABLES = ("teams", "practitioners", "training", "administrations", "responses",
          "response_rates", "reach")


@pytest.fixture
def trial(world):
    """The pilot of North 1 (Pat and six colleagues) and South 2 (Cole), randomised, everyone
    answering the baseline's working alliance, and both families' ratings taken as admin data.
    The names are ones no code or label could hold by chance."""
    world.practitioner.full_name = "Zebedee Quillfeather"
    world.practitioner.save()
    for n in range(6):
        factories.user(f"colleague{n}@example.test", team=world.team)
    Person.objects.filter(family=world.family).update(first_name="Xanthippe",
                                                      last_name="Vortigern")
    made = actions.create_trial(world.evaluator, name="Pilot")
    actions.set_teams(world.evaluator, made, {world.team: "", world.other_team: ""})
    actions.randomise(world.evaluator, made, method="simple", seed=5, ratio=(1, 1))
    actions.open_wave(world.evaluator, made, "baseline")
    for respondent in made.practitioners.all():
        for i in range(1, 13):
            Response.objects.create(trial=made, respondent=respondent, wave="baseline",
                                    item=f"wai_{i}", value="5")
    today = timezone.localdate()
    factories.session(world.practitioner, world.family, today - timedelta(days=9))
    factories.session(world.colleague_other_team, world.other_family, today - timedelta(days=2))
    actions.refresh_admin_data(world.evaluator, made)
    for respondent in made.practitioners.all()[:2]:
        TrainingRecord.objects.create(trial=made, practitioner=respondent, event_code="E1",
                                      event_type="part_1", on=date(2025, 2, 3), attended=True)
    return made


def export(trial, directory: Path, key: bytes = KEY, *extra: str) -> Path:
    key_file = directory.parent / f"key-{key[:1].decode()}"
    key_file.write_bytes(key + b"\n")
    call_command("export_research", str(directory), "--trial", trial.name, "--key-file",
                 str(key_file), *extra, stdout=StringIO())
    return directory


def rows(directory: Path, table: str) -> list[dict]:
    with (directory / f"{table}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def all_bytes(directory: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(directory.iterdir()))


def pat(trial):
    return trial.practitioners.get(user__email="pat@example.test")


def practitioner_pseudonym(key: bytes, code: str) -> str:
    return "p" + pseudonym(key, "Pilot/practitioner", code)


def test_every_table_is_written_in_three_formats_with_a_codebook(trial, tmp_path):
    out = export(trial, tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.{ext}" for t in TABLES for ext in ("csv", "sav", "dta")] + ["codebook.csv"])
    codebook = rows(out, "codebook")
    arm = next(r for r in codebook if r["table"] == "practitioners" and r["variable"] == "arm")
    assert arm["allowed_values"] == "1 = Intervention; 2 = Comparison"
    assert {r["table"] for r in codebook} == set(TABLES)


def test_the_sav_and_dta_read_back_with_their_variable_and_value_labels(trial, tmp_path):
    out = export(trial, tmp_path / "out")
    for reader, ext in ((pyreadstat.read_sav, "sav"), (pyreadstat.read_dta, "dta")):
        frame, meta = reader(str(out / f"responses.{ext}"))
        labels = meta.column_names_to_labels
        assert labels["respondent"] == "Respondent (pseudonym)"
        assert labels["wave"] == "Survey wave"
        assert labels["wai_4"] == "Working alliance item 4 (reversed in scoring)"
        wave_labels = meta.variable_value_labels["wave"]
        assert wave_labels == {1: "Baseline", 2: "Post-training", 3: "Endline"}
        assert meta.variable_value_labels["arm"] == {1: "Intervention", 2: "Comparison"}
        assert len(frame) == trial.practitioners.count() == 9  # Mona, the manager, too
        assert set(frame["wave"]) == {1}
        assert set(frame["wai_score"]) == {56.0}  # 10 items of 5, two reversed (8 - 5 = 3)
        admin, meta = reader(str(out / f"administrations.{ext}"))
        bands = meta.variable_value_labels["age_band"]
        assert list(bands.values()) == ["under 6", "6-12", "13-17", "18+"]
        # The Ashdown family: 35, 34, 9 and 4; Birchley: 35 and 9 (the factory's default).
        shown = sorted(bands[int(b)] for b in admin["age_band"])
        assert shown == sorted(["18+", "18+", "6-12", "under 6", "18+", "6-12"] * 2)
        assert meta.readstat_variable_types["date"] == "double"  # a date, not text


def test_the_csv_holds_the_same_codes_as_the_labelled_files(trial, tmp_path):
    out = export(trial, tmp_path / "out")
    frame, _ = pyreadstat.read_dta(str(out / "practitioners.dta"))
    table = rows(out, "practitioners")
    assert [r["practitioner"] for r in table] == list(frame["practitioner"])
    assert [int(r["arm"]) for r in table] == [int(a) for a in frame["arm"]]


@given(st.binary(min_size=KEY_BYTES, max_size=64), st.binary(min_size=KEY_BYTES, max_size=64),
       st.text(min_size=1, max_size=40))
def test_pseudonyms_are_stable_for_one_key_and_unrelated_across_keys(key, other, code):
    made = pseudonym(key, "Pilot/practitioner", code)
    assert made == pseudonym(key, "Pilot/practitioner", code)
    assert made != code
    if other != key:
        assert pseudonym(other, "Pilot/practitioner", code) != made
    # The same code of another kind, or of another trial, is another pseudonym.
    assert pseudonym(key, "Pilot/person", code) != made
    assert pseudonym(key, "Other/practitioner", code) != made


def test_the_same_key_gives_the_same_export_and_another_key_an_unlinkable_one(trial, tmp_path):
    first = export(trial, tmp_path / "first")
    again = export(trial, tmp_path / "again")
    other = export(trial, tmp_path / "other", OTHER_KEY)
    assert (first / "administrations.csv").read_bytes() == (
        again / "administrations.csv").read_bytes()

    def codes(directory):
        return {r[column] for r in rows(directory, "administrations")
                for column in ("administration", "person", "practitioner")}

    assert codes(first) and not codes(first) & codes(other)
    # No trial code (P001, F0001, A12) comes through as itself.
    held = {p.practitioner_code for p in trial.practitioners.all()} | set(
        trial.people.values_list("code", flat=True))
    assert not held & codes(first)


def test_a_participant_who_withdrew_is_absent_from_the_exports(trial, world, tmp_path):
    withdrawn = pat(trial)
    for activity in ("surveys", "admin_data"):
        Consent.objects.create(trial=trial, practitioner=withdrawn, activity=activity,
                               given_on=date(2025, 1, 6), information_sheet_version="v2",
                               withdrawn_on=date(2025, 3, 1))
    out = export(trial, tmp_path / "out")
    their_pseudonym = practitioner_pseudonym(KEY, withdrawn.practitioner_code)
    assert their_pseudonym.encode() not in all_bytes(out)
    assert [r["practitioner"] for r in rows(out, "training")] != []
    assert len(rows(out, "responses")) == len(rows(out, "practitioners")) == 8
    # Only Cole's records stay: the Birchley family's two people, ORS and SRS each.
    assert len(rows(out, "administrations")) == 4


def test_withdrawing_from_surveys_leaves_the_admin_data_in(trial, tmp_path):
    withdrawn = pat(trial)
    Consent.objects.create(trial=trial, practitioner=withdrawn, activity="surveys",
                           given_on=date(2025, 1, 6), information_sheet_version="v2",
                           withdrawn_on=date(2025, 3, 1))
    out = export(trial, tmp_path / "out")
    theirs = practitioner_pseudonym(KEY, withdrawn.practitioner_code)
    assert theirs not in {r["respondent"] for r in rows(out, "responses")}
    assert theirs in {r["practitioner"] for r in rows(out, "administrations")}
    assert theirs in {r["practitioner"] for r in rows(out, "practitioners")}


def test_no_name_date_of_birth_or_case_reference_is_in_any_file(trial, world, tmp_path):
    out = export(trial, tmp_path / "out")
    everything = all_bytes(out)
    people = list(Person.objects.all())
    families = [world.family, world.other_family]
    words = ["Zebedee", "Quillfeather", "Xanthippe", "Vortigern", "Ashdown", "Birchley",
             "Person1", "pat@example", "Cole", *[f.case_reference for f in families]]
    for word in words:
        for encoding in ("utf-8", "utf-16-le"):
            assert word.encode(encoding) not in everything, word
    births = {p.date_of_birth for p in people}
    for table in TABLES:
        for reader, ext in ((pyreadstat.read_sav, "sav"), (pyreadstat.read_dta, "dta")):
            frame, _ = reader(str(out / f"{table}.{ext}"))
            values = {v for column in frame.columns for v in frame[column]}
            assert not values & births, table
        text = (out / f"{table}.csv").read_text()
        assert not [b for b in births if b.isoformat() in text]


def test_counts_below_the_threshold_are_suppressed(trial, tmp_path, settings):
    out = export(trial, tmp_path / "five")
    by_team = {r["team"]: r for r in rows(out, "response_rates")}
    north, south = (f"T{t.service_team_id}" for t in trial.teams.order_by("team_name"))
    # North 1: everyone asked answered, none missing: shown. South 2: Cole alone: suppressed.
    north_asked = str(trial.practitioners.filter(team__team_code=north).count())
    assert [by_team[north][c] for c in ("asked", "responded", "pct", "suppressed")] == [
        north_asked, north_asked, "100", "0"]
    assert [by_team[south][c] for c in ("asked", "responded", "pct", "suppressed")] == [
        "", "", "", "1"]
    # Reach: the Ashdowns' two adults are below 5, and shown once the threshold is 2.
    reach = [r for r in rows(out, "reach") if r["team"] == north and r["tool"] == "1"]
    assert {r["people"] for r in reach} == {""}
    settings.RESEARCH_EXPORT_SUPPRESS_BELOW = 2
    out = export(trial, tmp_path / "two")
    reach = {r["age_band"]: r["people"] for r in rows(out, "reach")
             if r["team"] == north and r["tool"] == "1"}
    assert reach == {"1": "", "2": "", "4": "2"}


def test_files_already_in_the_folder_are_refused_without_force(trial, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "practitioners.csv").write_text("an analyst's own file\n")
    (out / "notes.txt").write_text("kept\n")
    with pytest.raises(CommandError, match="already holds practitioners.csv: nothing was"):
        export(trial, out)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "practitioners.csv"]
    export(trial, out, KEY, "--force")
    assert (out / "practitioners.csv").read_text().startswith("practitioner,team,arm,role")
    assert (out / "notes.txt").read_text() == "kept\n"


@pytest.mark.parametrize("content, message", [
    (None, "There is no key file at"),
    (b"short\n", "is 5 bytes long: it must be at least 32"),
])
def test_a_missing_or_short_key_is_refused_in_a_sentence(trial, tmp_path, content, message):
    key_file = tmp_path / "key"
    if content is not None:
        key_file.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("export_research", str(tmp_path / "out"), "--trial", "Pilot",
                     "--key-file", str(key_file), stdout=StringIO())
    assert not (tmp_path / "out").exists()


def test_a_key_inside_the_export_folder_is_refused(trial, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "key").write_bytes(KEY)
    with pytest.raises(CommandError, match="inside the export folder"):
        call_command("export_research", str(out), "--trial", "Pilot", "--key-file",
                     str(out / "key"), stdout=StringIO())
    assert [p.name for p in out.iterdir()] == ["key"]


def test_an_unknown_trial_is_refused_in_a_sentence(db, tmp_path):
    (tmp_path / "key").write_bytes(KEY)
    with pytest.raises(CommandError, match="There is no trial called Nope"):
        call_command("export_research", str(tmp_path / "out"), "--trial", "Nope",
                     "--key-file", str(tmp_path / "key"), stdout=StringIO())


def test_the_key_is_read_never_written_nor_audited(trial, tmp_path):
    out = export(trial, tmp_path / "out")
    assert KEY not in all_bytes(out)
    entry = AuditEntry.objects.get(action="trial.research_export")
    assert entry.actor is None and entry.object_id == trial.pk
    assert entry.changes["tables"] == list(TABLES) and entry.changes["by"]
    assert KEY.decode() not in json.dumps(entry.changes)


def test_an_evaluator_downloads_the_export_from_the_trial_page(trial, world, client, tmp_path,
                                                                settings):
    settings.RESEARCH_EXPORT_KEY_FILE = str(tmp_path / "server-key")
    (tmp_path / "server-key").write_bytes(KEY)
    client.force_login(world.evaluator)
    page = client.get(reverse("trial", args=[trial.pk])).content.decode()
    assert reverse("research_export", args=[trial.pk]) in page
    response = client.post(reverse("research_export", args=[trial.pk]))
    assert response["Content-Type"] == "application/zip"
    assert f"research-export-trial-{trial.pk}.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "responses.sav" in archive.namelist() and "codebook.csv" in archive.namelist()
    # The same key as the command's: the same pseudonyms.
    command = export(trial, tmp_path / "out")
    assert archive.read("administrations.csv") == (command / "administrations.csv").read_bytes()
    entry = AuditEntry.objects.get(action="trial.research_export", actor=world.evaluator)
    assert entry.object_id == trial.pk and entry.changes["tables"] == list(TABLES)


def test_the_page_says_plainly_when_the_server_has_no_key(trial, world, client, settings):
    settings.RESEARCH_EXPORT_KEY_FILE = ""
    client.force_login(world.evaluator)
    response = client.post(reverse("research_export", args=[trial.pk]), follow=True)
    assert response.status_code == 200
    assert "No key file is set" in response.content.decode()
    assert "FF_RESEARCH_EXPORT_KEY_FILE" in response.content.decode()
    assert not AuditEntry.objects.filter(action="trial.research_export").exists()


@pytest.mark.parametrize("who", ["practitioner", "manager", "data_team", "administrator",
                                 "outsider"])
def test_nobody_but_an_evaluator_reaches_the_download(trial, world, client, tmp_path, settings,
                                                      who):
    settings.RESEARCH_EXPORT_KEY_FILE = str(tmp_path / "server-key")
    (tmp_path / "server-key").write_bytes(KEY)
    client.force_login(getattr(world, who))
    assert client.post(reverse("research_export", args=[trial.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="trial.research_export").exists()


def test_a_folder_given_as_the_key_or_a_file_as_the_folder_is_refused_in_a_sentence(trial,
                                                                                    tmp_path):
    (tmp_path / "key").write_bytes(KEY)
    (tmp_path / "a-file").write_text("not a folder\n")
    with pytest.raises(CommandError, match=r"The key file .* cannot be read \(Is a directory\)"):
        call_command("export_research", str(tmp_path / "out"), "--trial", "Pilot",
                     "--key-file", str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="Could not write to .*a-file"):
        call_command("export_research", str(tmp_path / "a-file"), "--trial", "Pilot",
                     "--key-file", str(tmp_path / "key"), stdout=StringIO())
    assert not AuditEntry.objects.filter(action="trial.research_export").exists()
