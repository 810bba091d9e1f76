"""The column rules the CSV importers share (lib/csvrules.py): each rule reads one cell, reports
what is wrong with it at the row's line and column, and gives the value on."""

from datetime import date

from familyfeedback.lib.csvfiles import Problem
from familyfeedback.lib.csvrules import Cells


def test_a_good_row_has_no_problems_and_gives_its_values():
    cells = Cells(7, {"name": "North 1", "arm": "comparison", "date": "2022-11-03"})
    assert cells.filled("name") == "North 1"
    assert cells.one_of("arm", ("intervention", "comparison")) == "comparison"
    assert cells.date("date") == date(2022, 11, 3)
    assert cells.ok and cells.problems == []


def test_each_broken_cell_is_one_problem_at_its_line_and_column():
    cells = Cells(4, {"name": "", "arm": "both", "date": "3/11/22", "kind": ""})
    cells.filled("name")
    cells.one_of("arm", ("intervention", "comparison"))
    assert cells.date("date") is None
    cells.one_of("kind", ("a", "b", "c"), blank=True)
    assert not cells.ok
    assert cells.problems == [
        Problem(4, "name", "is blank"),
        Problem(4, "arm", "both is not one of intervention or comparison"),
        Problem(4, "date", "3/11/22 is not a date like 2022-11-03"),
    ]


def test_a_blank_cell_may_be_allowed_and_a_rule_may_say_what_it_wants():
    cells = Cells(2, {"arm": "", "status": "Done", "group": "child"})
    cells.one_of("arm", ("intervention", "comparison"), blank=True)
    cells.one_of("status", ("completed", "not_administered"), fold=str.lower,
                 message="must be completed or not_administered")
    cells.one_of("group", ("child", "adult"), message="must be child or adult")
    assert cells.problems == [Problem(2, "status", "must be completed or not_administered")]


def test_the_list_of_choices_says_blank_when_blank_is_allowed():
    cells = Cells(3, {"arm": "both"})
    cells.one_of("arm", ("intervention", "comparison"), blank=True)
    assert cells.problems == [Problem(3, "arm", "both is not one of intervention, comparison "
                                                "or blank")]


def test_a_problem_found_by_the_caller_joins_the_row():
    cells = Cells(9, {"a": "x"})
    cells.problem("a", "is already used on line 2")
    assert [p.located("teams.csv") for p in cells.problems] == [
        "teams.csv:9: a: is already used on line 2"]
