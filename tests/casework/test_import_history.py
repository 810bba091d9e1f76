"""`manage.py import_history` on real files against the real database: a good file imports
exactly what it says, an early history moves the start of support back, a second run adds
nothing, a dry run writes nothing, and each rule refuses the whole file with its own message."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import Administration, Episode, Person, Session

HEADER = ("case_reference,person_reference,date_of_birth,practitioner_email,date,measure,"
          "item_1,item_2,item_3,item_4,status,reason\n")
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    # The file is given by its name, as a person in its folder would type it; messages repeat it.
    monkeypatch.chdir(tmp_path)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# The world family's support opened 200 days ago; the other family's too.
EARLY, MIDDLE, LATE = ago(300), ago(100), ago(50)


@pytest.fixture
def people(world):
    """The world family (CASE-1): P1 aged 35, P2 34, P3 9, P4 4; the other family (CASE-2): Q1
    aged 35, Q2 9. References as the case system would hold them."""
    world.family.case_reference = "CASE-1"
    world.family.save()
    world.other_family.case_reference = "CASE-2"
    world.other_family.save()
    found = {}
    for prefix, family in (("P", world.family), ("Q", world.other_family)):
        for n, person in enumerate(family.people.order_by("date_of_birth"), 1):
            person.reference = f"{prefix}{n}"
            person.save()
            found[person.reference] = person
    return found


def run(tmp_path, body: str, *args, header: str = HEADER) -> tuple[str, str]:
    path = tmp_path / "history.csv"
    path.write_text(header + body, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_history", path.name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(tmp_path, body: str, **kwargs) -> list[str]:
    """The problems listed for a file that must import nothing."""
    path = tmp_path / "history.csv"
    path.write_text(kwargs.get("header", HEADER) + body, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_history", path.name, stdout=StringIO(), stderr=err)
    assert Session.objects.count() == 0
    assert Administration.objects.count() == 0
    assert not AuditEntry.objects.filter(
        action__in=["history.import", "administration.create", "episode.extend"]).exists()
    return err.getvalue().splitlines()


def good_file(p: dict) -> str:
    dob = {ref: person.date_of_birth.isoformat() for ref, person in p.items()}
    return (
        # Before support opened here: one home visit by Pat with the whole family.
        f"CASE-1,P1,{dob['P1']},pat@example.test,{EARLY},ORS,3,4,5,6.5,completed,\n"
        f"CASE-1,P1,{dob['P1']},pat@example.test,{EARLY},SRS,9,9,9,9.5,completed,\n"
        f"CASE-1,P2,{dob['P2']},pat@example.test,{EARLY},ORS,,,,,not_administered,Declined\n"
        f"CASE-1,P3,{dob['P3']},pat@example.test,{EARLY},CORS,7,7,7,7.0,completed,\n"
        f"CASE-1,P4,{dob['P4']},pat@example.test,{EARLY},YCORS,,,,,completed,\n"
        # Same day, two practitioners: two sessions. The manager's email in capitals.
        f"CASE-1,P1,{dob['P1']},MONA@example.test,{MIDDLE},ORS,5,5,5,5,completed,\n"
        f"CASE-1,P3,{dob['P3']},MONA@example.test,{MIDDLE},CSRS,,,,,not_administered,crisis\n"
        f"CASE-1,P2,{dob['P2']},pat@example.test,{MIDDLE},ORS,6,6,6,6,completed,\n"
        f"CASE-2,Q1,{dob['Q1']},cole@example.test,{LATE},ORS,8,8,8,8,completed,\n"
    )


def test_a_good_file_imports_exactly_its_records(tmp_path, world, people):
    out, err = run(tmp_path, good_file(people))
    assert err == ""
    assert out.splitlines()[:2] == ["9 records imported into 4 sessions for 2 families.",
                                    "9 imported, 0 already there."]

    sessions = {(s.family_id, s.date, s.practitioner.email): s
                for s in Session.objects.select_related("practitioner")}
    assert set(sessions) == {
        (world.family.pk, EARLY, "pat@example.test"),
        (world.family.pk, MIDDLE, "mona@example.test"),
        (world.family.pk, MIDDLE, "pat@example.test"),
        (world.other_family.pk, LATE, "cole@example.test"),
    }
    for session in sessions.values():
        assert session.imported and session.kind == Session.Kind.HOME_VISIT
    assert len({s.submission_token for s in sessions.values()}) == 4
    early = sessions[(world.family.pk, EARLY, "pat@example.test")]
    assert set(early.present.values_list("reference", flat=True)) == {"P1", "P2", "P3", "P4"}
    assert set(sessions[(world.family.pk, MIDDLE, "mona@example.test")].present
               .values_list("reference", flat=True)) == {"P1", "P3"}

    records = {(a.person.reference, a.session.date, a.tool): a
               for a in Administration.objects.select_related("person", "session")}
    assert len(records) == 9

    def shape(ref, on, tool):
        a = records[(ref, on, tool)]
        return (a.session.practitioner.email, a.measure, a.status, a.reason,
                [a.item_1, a.item_2, a.item_3, a.item_4], a.total, a.age)

    D = Decimal
    assert shape("P1", EARLY, "ORS") == (
        "pat@example.test", "ORS", "completed", "", [D("3.0"), D("4.0"), D("5.0"), D("6.5")],
        D("18.5"), 34)
    assert shape("P1", EARLY, "SRS")[4:] == ([D("9.0"), D("9.0"), D("9.0"), D("9.5")],
                                             D("36.5"), 34)
    assert shape("P2", EARLY, "ORS") == (
        "pat@example.test", "ORS", "not_administered", "declined", [None] * 4, None, 33)
    assert shape("P3", EARLY, "ORS")[1:] == (
        "CORS", "completed", "", [D("7.0")] * 4, D("28.0"), 8)
    assert shape("P4", EARLY, "ORS")[1:] == ("YCORS", "completed", "", [None] * 4, None, 3)
    assert shape("P1", MIDDLE, "ORS")[0::5] == ("mona@example.test", D("20.0"))
    assert shape("P3", MIDDLE, "SRS")[1:] == (
        "CSRS", "not_administered", "crisis", [None] * 4, None, 9)
    assert shape("P2", MIDDLE, "ORS")[0::5] == ("pat@example.test", D("24.0"))
    assert shape("Q1", LATE, "ORS")[5:] == (D("32.0"), 35)

    # The system did it: no one signed in. One entry per session made and per record.
    log = AuditEntry.objects.filter(actor__isnull=True)
    assert log.filter(action="history.import").count() == 4
    assert log.filter(action="administration.create").count() == 9
    snapshot = log.get(action="administration.create",
                       object_id=records[("P1", EARLY, "ORS")].pk).changes
    assert snapshot == {"item_1": "3.0", "item_2": "4.0", "item_3": "5.0", "item_4": "6.5",
                        "measure": "ORS", "status": "completed"}


def test_history_before_support_opened_moves_its_start_back(tmp_path, world, people):
    opened = Episode.objects.get(family=world.family).opened_on
    out, _ = run(tmp_path, good_file(people))
    assert Episode.objects.get(family=world.family).opened_on == EARLY
    # The other family's history is within its support: its start stays.
    assert Episode.objects.get(family=world.other_family).opened_on == ago(200)
    assert (f"Support for one family now starts on {EARLY} (was {opened}), the date of its "
            "earliest imported record.") in out
    extended = AuditEntry.objects.get(action="episode.extend")
    assert extended.changes["opened_on"] == [opened.isoformat(), EARLY.isoformat()]


def test_importing_the_same_file_twice_adds_nothing(tmp_path, world, people):
    run(tmp_path, good_file(people))
    counts = (Session.objects.count(), Administration.objects.count(),
              AuditEntry.objects.count())
    out, err = run(tmp_path, good_file(people))
    assert err == ""
    assert out.splitlines() == ["0 records imported into 0 sessions for 0 families.",
                                "0 imported, 9 already there."]
    assert (Session.objects.count(), Administration.objects.count(),
            AuditEntry.objects.count()) == counts


def test_a_session_already_recorded_that_day_is_reused(tmp_path, world, people):
    p1, p2 = people["P1"], people["P2"]
    session = Session.objects.create(family=world.family, date=MIDDLE,
                                     practitioner=world.practitioner,
                                     submission_token="00000000-0000-0000-0000-000000000001")
    session.present.add(p1)
    body = (f"CASE-1,P2,{p2.date_of_birth},pat@example.test,{MIDDLE},SRS,8,8,8,8,completed,\n")
    out, _ = run(tmp_path, body)
    assert out.startswith("1 record imported into 1 session for 1 family.")
    assert Session.objects.get() == session
    assert not Session.objects.get().imported
    assert set(session.present.all()) == {p1, p2}
    assert Administration.objects.get().session == session
    assert AuditEntry.objects.get(action="history.import").changes == {
        "added_present": [p2.pk]}


def test_a_dry_run_checks_and_imports_nothing(tmp_path, world, people):
    opened = Episode.objects.get(family=world.family).opened_on
    out, err = run(tmp_path, good_file(people), "--dry-run")
    assert err == ""
    assert out.splitlines()[:2] == [
        "Dry run: the file is good and nothing was imported. It would import 9 records into "
        "4 sessions (4 new) for 2 families.",
        "9 to import, 0 already there.",
    ]
    assert Session.objects.count() == Administration.objects.count() == 0
    assert Episode.objects.get(family=world.family).opened_on == opened
    assert not AuditEntry.objects.exists()


def test_a_dry_run_of_a_bad_file_lists_the_problems(tmp_path, world, people):
    path = tmp_path / "history.csv"
    path.write_text(HEADER + f"CASE-9,P1,{people['P1'].date_of_birth},pat@example.test,"
                             f"{MIDDLE},ORS,5,5,5,5,completed,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem in"):
        call_command("import_history", path.name, "--dry-run", stdout=StringIO(), stderr=err)
    assert err.getvalue() == "history.csv:2: case_reference: no family has this case reference\n"


def row(p: dict, ref="P1", *, case="CASE-1", dob=None, email="pat@example.test", on=MIDDLE,
        measure="ORS", items="5,5,5,5", status="completed", reason="") -> str:
    dob = p[ref].date_of_birth.isoformat() if dob is None and ref in p else (dob or "")
    return f"{case},{ref},{dob},{email},{on},{measure},{items},{status},{reason}\n"


# One rule each: (the row's fields, the exact problems listed for line 2).
RULES = {
    "case reference unknown": ({"case": "CASE-9"},
                               ["case_reference: no family has this case reference"]),
    "case reference blank": ({"case": ""}, ["case_reference: is blank"]),
    "person not in the family": (
        {"ref": "Q1", "dob": "1990-01-01"},
        ["person_reference: no one in this family has this person reference"]),
    "person reference blank": ({"ref": "", "dob": "1990-01-01"},
                               ["person_reference: is blank"]),
    "date of birth differs": (
        {"dob": "1970-01-01"},
        ["date_of_birth: does not match the date of birth recorded for this person"]),
    "date of birth not a date": ({"dob": "01/02/1990"},
                                 ["date_of_birth: is not a date like 2015-06-30"]),
    "practitioner unknown": ({"email": "nobody@example.test"},
                             ["practitioner_email: no user has this email address"]),
    "practitioner in another team": (
        {"email": "cole@example.test"},
        ["practitioner_email: this user is not a member or manager of the family's team"]),
    "date not a date": ({"on": "2023-02-30"},
                        ["date: 2023-02-30 is not a date like 2022-11-03"]),
    "date in the future": ({"on": TODAY + timedelta(days=1)},
                           [f"date: {TODAY + timedelta(days=1)} is in the future"]),
    "date before birth": ({"ref": "P4", "on": ago(6 * 366), "measure": "YCORS", "items": ",,,"},
                          [f"date: {ago(6 * 366)} is before the person was born"]),
    "measure wrong for age": (
        {"ref": "P3"}, [f"measure: the person was 9 on {MIDDLE}, so the CORS is the right "
                         "form, not the ORS"]),
    "measure unknown": ({"measure": "GAD7"},
                        ["measure: GAD7 is not one of ORS, CORS, YCORS, SRS, CSRS, YCSRS"]),
    "items out of range, each listed": (
        {"items": "11,5,-1,5"}, ["item_1: Item 1 must be between 0.0 and 10.0",
                                  "item_3: Item 3 must be between 0.0 and 10.0"]),
    "item with two decimals": (
        {"items": "5.25,5,5,5"},
        ["item_1: Item 1 must have at most one decimal place (for example 6.4)"]),
    "item missing": ({"items": "5,5,5,"}, ["item_4: Item 4 is missing"]),
    "item not a number": ({"items": "5,five,5,5"},
                          ["item_2: Item 2 must be a number, for example 6.4"]),
    "faces form with scores": (
        {"ref": "P4", "measure": "YCORS", "items": "5,,,"},
        ["item_1: must be blank: the YCORS is a faces form, which has no item scores"]),
    "not administered without a reason": (
        {"items": ",,,", "status": "not_administered"},
        ["reason: give the reason it was not administered: one of crisis, declined, "
         "not_appropriate, language, other"]),
    "not administered with scores": (
        {"items": "5,,,5", "status": "not_administered", "reason": "declined"},
        ["item_1: must be blank when the status is not_administered",
         "item_4: must be blank when the status is not_administered"]),
    "reason unknown": (
        {"items": ",,,", "status": "not_administered", "reason": "busy"},
        ["reason: busy is not one of crisis, declined, not_appropriate, language, other"]),
    "reason given when completed": ({"reason": "declined"},
                                    ["reason: must be blank when the status is completed"]),
    "status unknown": ({"status": "done"}, ["status: must be completed or not_administered"]),
}


@pytest.mark.parametrize("fields, problems", RULES.values(), ids=RULES.keys())
def test_each_rule_refuses_the_file(tmp_path, world, people, fields, problems):
    assert refused(tmp_path, row(people, **fields)) == [f"history.csv:2: {p}" for p in problems]


def test_reasons_are_accepted_by_their_labels_in_any_case(tmp_path, world, people):
    body = (row(people, "P1", items=",,,", status="not_administered",
                reason="language OR communication need")
            + row(people, "P2", items=",,,", status="not_administered", reason="OTHER"))
    run(tmp_path, body)
    assert sorted(Administration.objects.values_list("reason", flat=True)) == [
        "language", "other"]


def test_a_case_reference_is_the_family_however_it_is_written(tmp_path, world, people):
    # As import_families and the open-a-family page match it: "case-1" is the family CASE-1.
    run(tmp_path, row(people, case="case-1"))
    assert Session.objects.filter(family=world.family, imported=True).count() == 1


def test_an_inactive_practitioner_is_refused(tmp_path, world, people):
    world.practitioner.is_active = False
    world.practitioner.save()
    assert refused(tmp_path, row(people)) == [
        "history.csv:2: practitioner_email: this user's account is not active"]


def test_a_date_when_support_was_closed_between_two_episodes_is_refused(tmp_path, world,
                                                                       people):
    Episode.objects.filter(family=world.family).update(closed_on=ago(150))
    Episode.objects.create(family=world.family, opened_on=ago(120))
    assert refused(tmp_path, row(people, on=ago(130))) == [
        f"history.csv:2: date: {ago(130)} is between two periods of support: it closed on "
        f"{ago(150)} and started again on {ago(120)}"]


def test_a_date_after_support_closed_is_refused(tmp_path, world, people):
    Episode.objects.filter(family=world.family).update(closed_on=ago(150))
    assert refused(tmp_path, row(people, on=ago(100))) == [
        f"history.csv:2: date: {ago(100)} is after support for this family closed on {ago(150)}"]


def test_dates_within_a_closed_episode_are_imported(tmp_path, world, people):
    Episode.objects.filter(family=world.family).update(closed_on=ago(150))
    run(tmp_path, row(people, on=ago(160)))
    assert Administration.objects.get().session.date == ago(160)


def test_a_row_repeated_in_the_file_is_refused(tmp_path, world, people):
    # CORS and ORS are both outcome ratings: the same tool for the duplicate rule.
    body = row(people, "P3", measure="CORS") + row(people, "P3", measure="ORS", items="6,6,6,6")
    assert refused(tmp_path, body) == [
        f"history.csv:3: measure: the person was 9 on {MIDDLE}, so the CORS is the right form, not "
        "the ORS",
        f"history.csv:3: measure: line 2 already gives this person's outcome rating on {MIDDLE}"]


def test_missing_columns_are_named(tmp_path, world, people):
    header = HEADER.replace(",reason", "").replace("date_of_birth,", "")
    assert refused(tmp_path, "", header=header) == [
        "history.csv:1: date_of_birth: column is missing from the header",
        "history.csv:1: reason: column is missing from the header"]


def test_every_problem_is_listed_and_good_rows_are_not_imported(tmp_path, world, people):
    body = (row(people, "P1")
            + row(people, "P2", items="5,5,5,12")
            + row(people, "P1", measure="SRS")
            + row(people, "P9", dob="1990-01-01", email="nobody@example.test"))
    assert refused(tmp_path, body) == [
        "history.csv:3: item_4: Item 4 must be between 0.0 and 10.0",
        "history.csv:5: person_reference: no one in this family has this person reference",
        "history.csv:5: practitioner_email: no user has this email address",
    ]


def test_people_are_matched_within_their_family(tmp_path, world, people):
    # Both families could hold a P1 in the case system; the case reference decides.
    Person.objects.filter(pk=people["Q1"].pk).update(reference="P1")
    run(tmp_path, row(people, "P1"))
    assert Administration.objects.get().person == people["P1"]


def test_a_column_mapping_reads_the_case_systems_own_headers(tmp_path, world, people):
    """The mapping import_families reads names these columns too: one file for both."""
    (tmp_path / "mapping.toml").write_text(
        '[columns]\ncase_reference = "Case ID"\nperson_reference = "Person ID"\n'
        'date_of_birth = "DOB"\npractitioner_email = "Worker"\nfamily_name = "Household"\n')
    header = HEADER.replace("case_reference", "Case ID").replace(
        "person_reference", "Person ID").replace("date_of_birth", "DOB").replace(
        "practitioner_email", "Worker")
    out, err = run(tmp_path, good_file(people), "--columns", "mapping.toml", header=header)
    assert err == ""
    assert out.startswith("9 records imported into 4 sessions for 2 families.")


def test_with_a_mapping_a_problem_names_the_column_as_the_file_does(tmp_path, world, people):
    (tmp_path / "mapping.toml").write_text('[columns]\ndate = "Seen on"\n')
    p1 = people["P1"]
    path = tmp_path / "history.csv"
    path.write_text(HEADER.replace(",date,", ",Seen on,") + f"CASE-1,P1,{p1.date_of_birth},"
                    "pat@example.test,2020-02-30,ORS,3,4,5,6,completed,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_history", path.name, "--columns", "mapping.toml",
                     stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "history.csv:2: Seen on: 2020-02-30 is not a date like 2022-11-03"]
