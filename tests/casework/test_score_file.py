"""`manage.py score_file` on real files: a small hand-made one whose every number is worked out
below, a bad one, and the example package in docs/formats/."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = ("administration_id,person_id,person_group,practitioner_id,date,measure,"
          "item_1,item_2,item_3,item_4,status,reason\n")
EXAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "formats" / "example-package"
           / "administrations.csv")


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    # The file is given by its name, as a person in its folder would type it; messages repeat it.
    monkeypatch.chdir(tmp_path)


def run(tmp_path, body: str, *args) -> tuple[str, str]:
    path = tmp_path / "administrations.csv"
    path.write_text(HEADER + body)
    out, err = StringIO(), StringIO()
    call_command("score_file", path.name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


GOOD = (
    # An adult improving: 12.0 -> 14.0 -> 20.0 (+8 >= 5: improved; 20 < 25: not clinical).
    "A1,P1,adult,W1,2023-01-05,ORS,3,3,3,3,completed,\n"
    "A2,P1,adult,W1,2023-01-05,SRS,9,9,9,9,completed,\n"
    "A3,P1,adult,W1,2023-01-12,ORS,3.5,3.5,3.5,3.5,completed,\n"
    "A4,P1,adult,W1,2023-01-12,SRS,9,9,9,8.5,completed,\n"
    "A5,P1,adult,W1,2023-01-19,ORS,5,5,5,5,completed,\n"
    "A6,P1,adult,W1,2023-01-19,SRS,,,,,not_administered,declined\n"
    # A teenager on the ORS: 22.0 -> 29.0 crosses the adolescent cut-off of 28: clinical.
    "B1,P2,child,W1,2023-01-05,ORS,5.5,5.5,5.5,5.5,completed,\n"
    "B2,P2,child,W1,2023-02-05,ORS,7.25,7,7,7,completed,\n"
    # A 9-year-old getting worse on the CORS: 30.0 -> 24.0 (-6, the CORS value: deteriorated).
    "C1,P3,child,W1,2023-01-05,CORS,7.5,7.5,7.5,7.5,completed,\n"
    "C2,P3,child,W1,2023-01-19,CORS,6,6,6,6,completed,\n"
    # A 4-year-old's faces: counted, never scored.
    "D1,P4,child,W1,2023-01-05,YCORS,,,,,completed,\n"
)


def test_every_number_for_a_hand_made_file(tmp_path):
    body = GOOD.replace("7.25,7,7,7", "8,7,7,7")  # 29.0
    out, err = run(tmp_path, body)
    results = json.loads(out)
    assert err == ""
    assert [(r["person_id"], r["tool"]) for r in results] == [
        ("P1", "ORS"), ("P1", "SRS"), ("P2", "ORS"), ("P3", "ORS"), ("P4", "ORS")]
    adult_ors, adult_srs, teen, child, young = results
    assert adult_ors == {
        "person_id": "P1", "tool": "ORS", "measure": "ORS", "administrations": 3,
        "first_date": "2023-01-05", "first_total": 12.0, "latest_date": "2023-01-19",
        "latest_total": 20.0, "change": 8.0, "cutoff": 25.0, "reliable_change_value": 5.0,
        "change_class": "improved", "clinically_significant": False, "alerts": [],
    }
    # The SRS was not administered the third time: two completions, 36.0 then 35.5.
    assert (adult_srs["administrations"], adult_srs["latest_total"], adult_srs["change"]) == (
        2, 35.5, -0.5)
    assert (adult_srs["cutoff"], adult_srs["reliable_change_value"],
            adult_srs["change_class"]) == (36.0, None, None)
    # A 0.5 dip is under the 1-point drop rule: low, but not "fell".
    assert adult_srs["alerts"] == ["low_session_item", "low_session_total"]
    assert (teen["cutoff"], teen["change"], teen["change_class"],
            teen["clinically_significant"]) == (28.0, 7.0, "improved", True)
    assert (child["measure"], child["cutoff"], child["reliable_change_value"],
            child["change_class"], child["alerts"]) == (
        "CORS", 32.0, 6.0, "deteriorated", ["reliable_deterioration"])
    assert (young["administrations"], young["first_total"], young["change_class"],
            young["clinically_significant"], young["cutoff"]) == (1, None, None, None, None)


def test_the_cyp_iapt_thresholds_change_the_class(tmp_path):
    body = GOOD.replace("7.25,7,7,7", "8,7,7,7")
    results = json.loads(run(tmp_path, body, "--standard", "cyp_iapt_2015")[0])
    child = next(r for r in results if r["person_id"] == "P3")
    assert (child["reliable_change_value"], child["change_class"]) == (10.0, "no_change")


def test_csv_output_has_one_row_per_person_and_tool(tmp_path):
    body = GOOD.replace("7.25,7,7,7", "8,7,7,7")
    out, _ = run(tmp_path, body, "--format", "csv")
    lines = out.splitlines()
    assert lines[0].startswith("person_id,tool,measure,administrations,first_date")
    assert lines[1] == ("P1,ORS,ORS,3,2023-01-05,12.0,2023-01-19,20.0,8.0,25.0,5.0,improved,false,")
    assert len(lines) == 6


def test_bad_rows_are_listed_by_line_and_nothing_is_printed(tmp_path):
    with pytest.raises(CommandError, match="1 problem"):
        run(tmp_path, GOOD)  # 7.25 has two decimals
    path = tmp_path / "administrations.csv"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("score_file", path.name, stdout=StringIO(), stderr=err)
    assert ("administrations.csv:9: item_1: Item 1 must have at most one decimal place"
            in err.getvalue())


def test_skip_bad_scores_the_good_rows_and_still_reports_the_bad(tmp_path):
    out, err = run(tmp_path, GOOD, "--skip-bad")
    teen = next(r for r in json.loads(out) if r["person_id"] == "P2")
    assert teen["administrations"] == 1
    assert "administrations.csv:9: item_1" in err


@pytest.mark.parametrize(("row", "message"), [
    ("X1,P9,adult,W1,2023-01-05,CORS,1,1,1,1,completed,", "CORS is for children"),
    ("X1,P9,adult,W1,2999-01-05,ORS,1,1,1,1,completed,", "is in the future"),
    ("X1,P9,adult,W1,05/01/2023,ORS,1,1,1,1,completed,", "is not a date like 2022-11-03"),
    ("X1,P9,adult,W1,2023-01-05,PHQ9,1,1,1,1,completed,", "is not one of ORS"),
    ("X1,P9,grown-up,W1,2023-01-05,ORS,1,1,1,1,completed,", "must be child or adult"),
    ("X1,P9,adult,W1,2023-01-05,ORS,1,1,1,,completed,", "Item 4 is missing"),
    ("X1,P9,adult,W1,2023-01-05,ORS,1,1,1,1,done,", "must be completed or not_administered"),
    ("X1,P9,adult,W1,2023-01-05,ORS,1,1,1,1,not_administered,", "must be blank"),
    ("A1,P9,adult,W1,2023-01-05,ORS,1,1,1,1,completed,", "A1 is already used on line 2"),
    ("X1,P1,child,W1,2023-01-05,ORS,1,1,1,1,completed,", "P1 is adult on line 2 but child"),
])
def test_each_rule_for_a_row(tmp_path, row, message):
    first = "A1,P1,adult,W1,2023-01-05,ORS,3,3,3,3,completed,\n"
    err = StringIO()
    path = tmp_path / "administrations.csv"
    path.write_text(HEADER + first + row + "\n")
    with pytest.raises(CommandError):
        call_command("score_file", path.name, stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("administrations.csv:3: ")
    assert message in err.getvalue()


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "administrations.csv"
    path.write_text("administration_id,person_id\nA1,P1\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("score_file", path.name, stdout=StringIO(), stderr=err)
    assert ("administrations.csv:1: person_group: column is missing from the header"
            in err.getvalue())


def test_the_example_package_scores_as_worked_out_by_hand():
    out = StringIO()
    call_command("score_file", str(EXAMPLE), stdout=out)
    results = {(r["person_id"], r["tool"]): r for r in json.loads(out.getvalue())}
    # F004's SRS: 5.5+5.3+6.5+4.6 = 21.9 on 2022-11-23, 0.2+0.6+0.0+7.2 = 8.0 on 2023-01-17.
    f004 = results[("F004", "SRS")]
    assert (f004["first_total"], f004["latest_total"], f004["change"]) == (21.9, 8.0, -13.9)
    assert f004["alerts"] == ["low_session_item", "low_session_total", "session_rating_dropped"]
    keys = list(results)
    assert keys == sorted(keys)
