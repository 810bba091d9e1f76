"""The seed package (docs/formats/seed-package/, made by docs/formats/seed_package.py) imports
with the ordinary command, and the report built from it shows the seed report's published
figures: each expected value below is transcribed from the seed table named beside it."""

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from familyfeedback.evaluation import analysis
from familyfeedback.evaluation.models import Trial
from familyfeedback.evaluation.report import presenter, reading
from tests.evaluation.test_report import rows_of, section

pytestmark = pytest.mark.django_db

FORMATS = Path(__file__).resolve().parents[2] / "docs" / "formats"
SEED = FORMATS / "seed-package"


@pytest.fixture
def trial() -> Trial:
    call_command("import_evaluation", str(SEED), "--trial", "Seed")
    return Trial.objects.get(name="Seed")


@pytest.fixture
def report(trial) -> dict:
    return presenter.build(reading.read(trial))


def answered(cell: str) -> int | str:
    """The respondents of a Table 2.2 cell ("9 of 10 (90.0%)"); "–" stays as it is."""
    found = re.match(r"(\d+) of \d+ \(", cell)
    return int(found.group(1)) if found else cell


def test_survey_responses_by_team_and_wave_are_the_seeds(report):
    # Seed Table 2.2, survey response rate: baseline, post-training, endline.
    seed = [["Intervention", "I1", 9, 5, 7], ["Intervention", "I2", 5, 2, 4],
            ["Intervention", "I3", 13, 9, 7], ["Intervention", "Total", 27, 16, 18],
            ["Comparison", "C1", 7, "–", 10], ["Comparison", "C2", 11, "–", 12],
            ["Comparison", "Total", 18, "–", 22]]
    assert [[arm, team, *map(answered, cells)]
            for arm, team, _, *cells in rows_of(report, "Table 2.2")] == seed


def test_the_analysis_counts_the_seeds_respondents(trial):
    # Seed Table 2.2 again, from the analysis object the package format returns.
    rates = {(r["team_id"], r["wave"]): r["responses"]
             for r in analysis.report(trial)["response_rates"]}
    assert rates == {("I1", "baseline"): 9, ("I1", "post_training"): 5, ("I1", "endline"): 7,
                     ("I2", "baseline"): 5, ("I2", "post_training"): 2, ("I2", "endline"): 4,
                     ("I3", "baseline"): 13, ("I3", "post_training"): 9, ("I3", "endline"): 7,
                     ("C1", "baseline"): 7, ("C1", "endline"): 10,
                     ("C2", "baseline"): 11, ("C2", "endline"): 12}


def test_data_collection_by_team_is_the_seeds(report):
    # Seed Table 2.1, without its interview column: interviews are not part of a package.
    assert [row[:7] for row in rows_of(report, "Table 2.1")] == [
        *[["Intervention", team, "Yes", "Yes", "Yes", "Yes", "Yes"] for team in ("I1", "I2", "I3")],
        *[["Comparison", team, "Yes", "No", "No", "Not asked", "Yes"] for team in ("C1", "C2")]]
    # Seed "Sample": five teams, two of them grouped, so four units randomised two and two.
    assert report["methods"][0].startswith("The trial had 5 teams with 54 practitioners, in 4 "
                                           "randomisation units (I2 and I3 were randomised")


def test_frequency_of_use_is_the_seeds(report):
    # Seed Table 3.1, proportion of practitioners (%), ORS and SRS alike: 11.8, 64.7, 17.6, 5.9
    # (every session, some sessions, rarely, never); n = 17.
    [frequency] = [p for p in section(report, "1.1")["parts"] if p["kind"] == "table"]
    assert frequency["rows"] == [["Never", 1, "5.9", 1, "5.9"], ["Rarely", 3, "17.6", 3, "17.6"],
                                 ["In some sessions", 11, "64.7", 11, "64.7"],
                                 ["In every session", 2, "11.8", 2, "11.8"]]


def test_use_by_month_falls_from_november_as_in_the_seed(report):
    # Seed Figure 3.2 has no numbers; its text: use fell over time, highest in November, right
    # after the training, and the tools were used from November to February (Table 2.1).
    [usage] = [p for p in section(report, "1.1")["parts"] if p["kind"] == "figure"]
    months = [row[0] for row in usage["table"]["rows"]]
    completions = [row[1] + row[3] for row in usage["table"]["rows"]]
    assert months == ["Nov 2022", "Dec 2022", "Jan 2023", "Feb 2023"]
    assert completions == sorted(completions, reverse=True) and completions[0] > completions[-1]


def test_training_and_use_by_role_are_the_seeds(report):
    [table] = [p for p in section(report, "1.4")["parts"] if p["label"] == "Table 3.2"]
    columns = table["columns"] + table["numeric"]
    _, attended, used = (dict(zip(columns, row, strict=True)) for row in table["rows"])
    # Seed Table 3.2: attended the training 12, 9, 2, total 23; used the ORS and SRS 5, 8, 2,
    # total 15 (Senior FSW, FSW, Senior Practitioner).
    for role, trained, using in (("Senior family support worker", 12, 5),
                                 ("Family support worker", 9, 8), ("Senior practitioner", 2, 2),
                                 ("Total", 23, 15)):
        assert (attended[role], used[role]) == (trained, using), role


def test_family_reach_is_the_seeds(report):
    # Seed Figure 3.3 and its text: the ORS completed by 51 children and 24 adults, the SRS by
    # 50 children and 23 adults, each between one and five times, 1.5 times on average.
    reach = next(p for p in section(report, "1.4")["parts"] if p["kind"] == "figure")
    assert reach["table"]["rows"] == [["ORS", 51, 24, "1.5", "1 to 5"],
                                      ["SRS", 50, 23, "1.5", "1 to 5"]]


def test_family_engagement_is_the_seeds(report):
    # Seed Table 3.3: number and proportion of practitioners (%).
    [engagement] = [p for p in section(report, "1.5")["parts"] if p["kind"] == "table"]
    assert engagement["rows"] == [["Not engaged", 1, "5.9"],
                                  ["Neither engaged nor not engaged", 4, "23.5"],
                                  ["Somewhat engaged", 3, "17.6"], ["Engaged", 7, "41.2"],
                                  ["Very engaged", 2, "11.8"]]


def test_the_working_alliance_is_the_seeds(report):
    # Seed section "Improved therapeutic alliance": comparison baseline n = 18, M = 66.3,
    # SD = 7.0; endline n = 22, M = 66.9, SD = 4.2; treatment baseline n = 27, M = 69.2,
    # SD = 5.1; endline n = 17, M = 70.5, SD = 3.9 (the seed's domains, Figure 3.4, have no
    # numbers).
    alliance = next(p for p in section(report, "2.1")["parts"]
                    if p.get("kind") == "table" and p["rows"][-1][0].startswith("Total"))
    assert alliance["rows"][-1][1:] == ["69.2 (5.1), n = 27", "70.5 (3.9), n = 17",
                                        "66.3 (7.0), n = 18", "66.9 (4.2), n = 22"]


def test_the_change_in_compassion_is_the_seeds(report):
    # Seed "Increased compassion satisfaction": treatment t(16) = 1.01, p = .325; control
    # t(15) = 0.20, p = .846; between groups t(31) = 0.59, p = .558. The seed prints t without
    # its sign; its means fell in both arms, the treatment's more, so here t is negative. The p
    # values are the seed's within the rounding of its t.
    rows = [row for row in rows_of(report, "Table 3.6") if row[0] == "Compassion satisfaction"]
    assert [(row[2], row[5]) for row in rows] == [
        (17, "t(16) = -1.01"), (16, "t(15) = -0.20"), (33, "t(31) = -0.59")]
    for row, seed in zip(rows, (0.325, 0.846, 0.558), strict=True):
        assert abs(float(row[6]) - seed) < 0.01


def test_compassion_and_the_survey_counts_are_the_seeds(trial):
    found = analysis.report(trial)
    scales = {(r["measure"], r["arm"], r["wave"]): r for r in found["scales"]}
    # Seed "Increased compassion satisfaction": n = 22 comparison at endline, 27 and 18
    # treatment; the treatment's endline 41.6 ("average"), its baseline above 42 ("high"),
    # the comparison's between 41 and 42 at both waves.
    assert [scales["proqol_cs", arm, wave]["n"] for arm, wave in (
        ("comparison", "endline"), ("intervention", "baseline"), ("intervention", "endline"))] \
        == [22, 27, 18]
    assert round(scales["proqol_cs", "intervention", "endline"]["mean"], 1) == 41.6
    assert scales["proqol_cs", "intervention", "baseline"]["mean"] > 42
    assert all(41 < scales["proqol_cs", "comparison", wave]["mean"] < 42
               for wave in ("baseline", "endline"))
    # Seed section 1.6: IAM ORS 4.20 (0.65), SRS 4.14 (0.61); FIM ORS 4.00 (0.78), SRS 4.00
    # (0.80), from the 16 who answered the post-training survey.
    assert {m: (r["n"], f"{r['mean']:.2f}", f"{r['sd']:.2f}")
            for (m, _, _), r in scales.items() if m.startswith(("iam", "fim"))} == {
        "iam_ors": (16, "4.20", "0.65"), "iam_srs": (16, "4.14", "0.61"),
        "fim_ors": (16, "4.00", "0.78"), "fim_srs": (16, "4.00", "0.80")}
    counts = {(r["question_id"], r["arm"]): {c["option"]: c["n"] for c in r["counts"]}
              for r in found["questions"]}
    # Seed section 1.2: not used the SRS before 26, not sure 13; the ORS 24 and 14 (of 45).
    both = ("intervention", "comparison")
    assert [sum(counts["prev_srs", a][o] for a in both) for o in ("No", "Not sure")] == [26, 13]
    assert [sum(counts["prev_ors", a][o] for a in both) for o in ("No", "Not sure")] == [24, 14]
    # Seed "Lessons learned": one full day preferred by 12 (75.0%) of 16.
    assert counts["one_day", "intervention"] == {"Yes": 12, "No": 4}
    # Seed Table F.1: much harder 1, harder 3, neither 10, easier 1, much easier 2.
    assert list(counts["ease", "intervention"].values()) == [1, 3, 10, 1, 2]


def test_a_second_import_changes_nothing_and_every_person_is_a_pseudonym(trial):
    out = io.StringIO()
    call_command("import_evaluation", str(SEED), "--trial", "Seed", stdout=out)
    assert "Nothing changed" in out.getvalue()
    with (SEED / "administrations.csv").open(encoding="utf-8", newline="") as handle:
        people = {(row["person_id"], row["practitioner_id"]) for row in csv.DictReader(handle)}
    assert all(re.fullmatch(r"Y\d{3}", person) and re.fullmatch(r"S\d{3}", practitioner)
               for person, practitioner in people)
    assert all(re.fullmatch(r"S\d{3}", code) for code in
               trial.practitioners.values_list("practitioner_code", flat=True))


def test_the_generator_makes_the_committed_package(tmp_path):
    """The committed CSVs are the generator's output, so a change to either shows."""
    subprocess.run([sys.executable, str(FORMATS / "seed_package.py"), str(tmp_path)], check=True)
    assert {f.name: f.read_bytes() for f in tmp_path.glob("*.csv")} == \
        {f.name: f.read_bytes() for f in SEED.glob("*.csv")}
