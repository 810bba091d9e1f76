"""`manage.py import_families` on real files against the real database: a good file opens its
families with their people, a second run changes nothing and says so, a changed export updates
what changed, a dry run writes nothing, every problem is listed by line without repeating what
identifies anyone, and a council's own header names are read through a column mapping. And a
whole service's export, 1,500 families, is checked whole, imported and imported again."""

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bench import data
from familyfeedback.accounts.models import AuditEntry
from familyfeedback.casework.models import Episode, Family, Person
from tests import factories

TODAY = timezone.localdate()
HEADER = ("case_reference,family_name,team,key_worker_email,opened_on,person_reference,"
          "first_name,last_name,date_of_birth,preferred_language,needs_interpreter\n")
OPENED = TODAY - timedelta(days=30)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    # The file is given by its name, as a person in its folder would type it; messages repeat it.
    monkeypatch.chdir(tmp_path)


def good_file() -> str:
    return (
        f"EH-7001,Carrow family,North 1,pat@example.test,{OPENED},C1,Dee,Carrow,1990-04-02,,no\n"
        f"EH-7001,Carrow family,North 1,pat@example.test,{OPENED},C2,Eli,Carrow,2016-09-30,"
        "Polish,yes\n"
        f"EH-7001,Carrow family,North 1,pat@example.test,{OPENED},C3,Fin,,2022-01-15,,\n"
        f"EH-7002,Dunmore family,south 2,COLE@example.test,{OPENED},D1,Gail,Dunmore,1985-12-01,"
        "English,no\n"
    )


def run(body: str, *args, header: str = HEADER, name: str = "families.csv") -> tuple[str, str]:
    with open(name, "w", encoding="utf-8") as file:
        file.write(header + body)
    out, err = StringIO(), StringIO()
    call_command("import_families", name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(body: str, *args, header: str = HEADER) -> list[str]:
    families, people, log = (Family.objects.count(), Person.objects.count(),
                             AuditEntry.objects.count())
    with open("families.csv", "w", encoding="utf-8") as file:
        file.write(header + body)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_families", "families.csv", *args, stdout=StringIO(), stderr=err)
    assert (Family.objects.count(), Person.objects.count(), AuditEntry.objects.count()) == (
        families, people, log)
    return err.getvalue().splitlines()


def test_a_good_file_opens_its_families_with_their_people(world):
    out, err = run(good_file())
    assert err == ""
    assert out.splitlines() == ["Families: 2 new, 0 changed, 0 already as the file says.",
                                "People: 4 new, 0 changed, 0 already as the file says."]
    carrow = Family.objects.get(case_reference="EH-7001")
    assert (carrow.name, carrow.team, carrow.key_worker) == (
        "Carrow family", world.team, world.practitioner)
    assert Episode.objects.get(family=carrow).opened_on == OPENED and Episode.objects.get(
        family=carrow).is_open
    assert [(p.reference, p.first_name, p.last_name, p.date_of_birth, p.preferred_language,
             p.needs_interpreter) for p in carrow.people.order_by("reference")] == [
        ("C1", "Dee", "Carrow", date(1990, 4, 2), "en", False),
        ("C2", "Eli", "Carrow", date(2016, 9, 30), "pl", True),
        ("C3", "Fin", "", date(2022, 1, 15), "en", False)]
    dunmore = Family.objects.get(case_reference="EH-7002")
    assert (dunmore.team, dunmore.key_worker) == (world.other_team, world.colleague_other_team)
    log = AuditEntry.objects.filter(actor__isnull=True)
    assert log.filter(action="family.import").count() == 2
    assert log.filter(action="episode.open").count() == 2
    assert log.filter(action="person.import").count() == 4


def test_the_practitioner_sees_the_imported_family_at_once(world, signed_in):
    run(good_file())
    page = signed_in(world.practitioner).get("/").content.decode()
    assert "Carrow family" in page and "Dunmore family" not in page


def test_a_second_run_changes_nothing_and_says_so(world):
    run(good_file())
    before = AuditEntry.objects.count()
    out, err = run(good_file())
    assert err == ""
    assert out.splitlines() == [
        "Nothing changed: every family and person in the file is already here as it says.",
        "Families: 0 new, 0 changed, 2 already as the file says.",
        "People: 0 new, 0 changed, 4 already as the file says."]
    assert AuditEntry.objects.count() == before


def test_a_changed_export_updates_what_changed_and_logs_no_names(world):
    run(good_file())
    colleague = factories.user("cara@example.test", team=world.team)
    changed = (good_file().replace("Dee,Carrow,1990-04-02,,no", "Dee,Carrow-Hill,1990-04-02,,no")
               .replace("pat@example.test", "cara@example.test")
               + f"EH-7002,Dunmore family,South 2,cole@example.test,{OPENED},D2,Hal,Dunmore,"
                 "2019-03-03,,\n")
    out, _ = run(changed)
    assert out.splitlines() == ["Families: 0 new, 1 changed, 1 already as the file says.",
                                "People: 1 new, 1 changed, 3 already as the file says."]
    carrow = Family.objects.get(case_reference="EH-7001")
    assert carrow.key_worker == colleague
    dee = carrow.people.get(reference="C1")
    assert dee.last_name == "Carrow-Hill"
    assert AuditEntry.objects.get(action="person.import_update", object_id=dee.pk).changes == {
        "last_name": ["(changed)", "(changed)"]}
    assert AuditEntry.objects.get(action="family.import_update").changes == {
        "key_worker": [str(world.practitioner.pk), str(colleague.pk)]}
    assert Family.objects.get(case_reference="EH-7002").people.count() == 2


def test_a_case_reference_in_other_letters_is_the_same_family(world):
    world.family.case_reference = "EH-7001"
    world.family.save()
    out, _ = run(good_file().replace("EH-7001", "eh-7001"))
    assert out.splitlines()[0] == "Families: 1 new, 1 changed, 0 already as the file says."
    assert Family.objects.filter(case_reference__iexact="EH-7001").count() == 1
    assert world.family.people.filter(reference="C1").exists()


def test_a_dry_run_checks_and_writes_nothing(world):
    out, err = run(good_file(), "--dry-run")
    assert err == ""
    assert out.splitlines() == ["Dry run: the file is good and nothing was imported.",
                                "Families: 2 new, 0 changed, 0 already as the file says.",
                                "People: 4 new, 0 changed, 0 already as the file says."]
    assert not Family.objects.filter(case_reference__startswith="EH-7").exists()
    assert not AuditEntry.objects.exists()


def test_every_problem_is_listed_by_line_and_nothing_imported(world):
    future = TODAY + timedelta(days=3)
    body = (
        f"EH-7001,Carrow family,North 9,pat@example.test,{OPENED},C1,Dee,Carrow,1990-04-02,,\n"
        f"EH-7001,Carrow fam,North 1,pat@example.test,{OPENED},C2,Eli,Carrow,1990-02-30,,maybe\n"
        f"EH-7002,,South 2,nobody@example.test,{future},D1,,Dunmore,{future},,\n"
        f"EH-7003,Ennis family,South 2,pat@example.test,2024-13-01,E1,Ivy,Ennis,2001-01-01,,\n"
        f"EH-7003,Ennis family,South 2,pat@example.test,2024-13-01,E1,Ivy,Ennis,2001-01-01,,\n"
        f",Flint family,North 1,,{OPENED},,Jo,Flint,2001-01-01,,\n"
    )
    assert refused(body) == [
        "families.csv:2: team: no team has this name",
        "families.csv:3: family_name: gives the family's name differently from line 2",
        "families.csv:3: team: gives the family's team differently from line 2",
        "families.csv:3: date_of_birth: is not a date like 2015-06-30",
        "families.csv:3: needs_interpreter: must be yes or no (or blank for no)",
        "families.csv:4: family_name: is blank",
        "families.csv:4: key_worker_email: no user has this email address",
        f"families.csv:4: opened_on: {future} is in the future",
        "families.csv:4: first_name: is blank",
        "families.csv:4: date_of_birth: is in the future",
        "families.csv:5: key_worker_email: this user is not a current member of the team who "
        "works with its families",
        "families.csv:5: opened_on: 2024-13-01 is not a date like 2022-11-03",
        "families.csv:6: person_reference: line 5 already gives this person of this family",
        "families.csv:7: case_reference: is blank",
        "families.csv:7: person_reference: is blank",
    ]


def test_no_message_repeats_a_name_date_of_birth_reference_or_email(world):
    body = (f"EH-7001,Carrow family,North 1,zed@example.test,{OPENED},C1,Dee,Carrow,"
            "1990-02-30,,\n"
            f"EH-7001,Carrow family,North 1,zed@example.test,{OPENED},C1,Dee,Carrow,1990-04-02,,\n")
    text = "\n".join(refused(body))
    for identifying in ("EH-7001", "Carrow", "Dee", "C1", "1990", "zed@"):
        assert identifying not in text


def test_a_date_of_birth_that_does_not_fit_the_records_is_refused(world):
    run(good_file())
    eli = Person.objects.get(reference="C2")
    factories.session(world.practitioner, eli.family, TODAY - timedelta(days=3))
    body = good_file().replace("2016-09-30", f"{TODAY - timedelta(days=1)}")
    assert refused(body) == [
        "families.csv:3: date_of_birth: does not fit the sessions and ratings recorded for this "
        "person: correct it on the person's page, where the reason is shown"]


def test_a_move_to_a_team_the_key_worker_is_not_in_needs_a_key_worker_there(world):
    run(good_file())
    body = good_file().replace("North 1,pat@example.test", "South 2,")
    assert refused(body)[0] == (
        "families.csv:2: key_worker_email: is blank, and the family's key worker here is not a "
        "member of this team: give one who is")


def test_an_archived_team_takes_no_family(world):
    world.other_team.archived_on = TODAY
    world.other_team.save()
    assert refused(good_file()) == [
        "families.csv:5: team: this team is archived: give the team that works with the family "
        "now"]


def test_a_file_missing_a_column_says_which(world):
    header = HEADER.replace("family_name,", "")
    assert refused("", header=header) == [
        "families.csv:1: family_name: column is missing from the header"]


def test_optional_columns_may_be_left_out(world):
    header = ("case_reference,family_name,team,opened_on,person_reference,first_name,"
              "date_of_birth\n")
    run(f"EH-7009,Gale family,North 1,{OPENED},G1,Kit,2010-10-10\n", header=header)
    family = Family.objects.get(case_reference="EH-7009")
    assert family.key_worker is None
    assert family.people.get().preferred_language == "en"


MAPPING = """\
# The council's case system's names for our columns.
[columns]
case_reference = "Case ID"
family_name = "Household"
team = "Locality"
key_worker_email = "Allocated worker"
opened_on = "Start date"
person_reference = "Person ID"
first_name = "Forename"
last_name = "Surname"
date_of_birth = "DOB"
preferred_language = "Language"
needs_interpreter = "Interpreter"
practitioner_email = "Worker"
"""
THEIR_HEADER = ("Case ID,Household,Locality,Allocated worker,Start date,Person ID,Forename,"
                "Surname,DOB,Language,Interpreter\n")


def test_a_column_mapping_reads_the_case_systems_own_headers(world, tmp_path):
    (tmp_path / "mapping.toml").write_text(MAPPING)
    out, _ = run(good_file(), "--columns", "mapping.toml", header=THEIR_HEADER)
    assert out.splitlines()[0] == "Families: 2 new, 0 changed, 0 already as the file says."
    assert Person.objects.filter(family__case_reference="EH-7001").count() == 3


def test_problems_name_the_column_as_the_case_system_calls_it(world, tmp_path):
    (tmp_path / "mapping.toml").write_text(MAPPING)
    body = f"EH-7001,Carrow family,North 9,,{OPENED},C1,Dee,Carrow,1990-04-02,,\n"
    assert refused(body, "--columns", "mapping.toml", header=THEIR_HEADER) == [
        "families.csv:2: Locality: no team has this name"]
    assert refused("", "--columns", "mapping.toml", header=THEIR_HEADER.replace("DOB,", "")) == [
        "families.csv:1: DOB: column is missing from the header"]


@pytest.mark.parametrize(("mapping", "message"), [
    ("[columns]\ncase_ref = \"Case ID\"\n", "columns: case_ref is not a column the importers "
                                            "read"),
    ("[columns]\ncase_reference = 4\n", "columns: case_reference must be given the header's "
                                        "name, in quotes"),
    ("[columns]\ncase_reference = \"ID\"\nperson_reference = \"ID\"\n",
     "columns: person_reference and case_reference are both given the header ID"),
    ("case_reference = \"ID\"\n", "has no [columns] table"),
    ("[columns\n", "is not TOML"),
])
def test_a_mistake_in_the_mapping_stops_the_command_saying_where(world, tmp_path, mapping,
                                                                 message):
    (tmp_path / "mapping.toml").write_text(mapping)
    (tmp_path / "families.csv").write_text(HEADER + good_file())
    with pytest.raises(CommandError, match="mapping.toml") as raised:
        call_command("import_families", "families.csv", "--columns", "mapping.toml",
                     stdout=StringIO(), stderr=StringIO())
    assert message in str(raised.value)
    assert not Family.objects.filter(case_reference="EH-7001").exists()


def test_a_missing_mapping_file_is_named(world, tmp_path):
    (tmp_path / "families.csv").write_text(HEADER + good_file())
    with pytest.raises(CommandError, match="No file at nowhere.toml"):
        call_command("import_families", "families.csv", "--columns", "nowhere.toml",
                     stdout=StringIO(), stderr=StringIO())


def test_a_whole_services_export_is_checked_imported_and_imported_again(db, tmp_path):
    data.build_onboarding_staff()
    rows = data.write_families_file(tmp_path / "families.csv", TODAY)
    sizes = {}
    out, err = run_file("families.csv")
    assert err == ""
    assert out.splitlines()[0] == "Families: 1500 new, 0 changed, 0 already as the file says."
    assert Family.objects.count() == 1500 and Person.objects.count() == rows
    for family in Family.objects.prefetch_related("people"):
        sizes[family.pk] = len(family.people.all())
    assert set(sizes.values()) == {1, 2, 3, 4, 5, 6}
    assert all(f.key_worker.teams.filter(pk=f.team_id).exists()
               for f in Family.objects.select_related("key_worker")[:50])
    log = AuditEntry.objects.count()
    out, _ = run_file("families.csv")
    assert out.splitlines()[0].startswith("Nothing changed")
    assert out.splitlines()[2] == f"People: 0 new, 0 changed, {rows} already as the file says."
    assert AuditEntry.objects.count() == log


def test_a_whole_services_export_with_bad_rows_lists_them_by_line(db, tmp_path):
    data.build_onboarding_staff()
    path = tmp_path / "families.csv"
    data.write_families_file(path, TODAY)
    lines = path.read_text().splitlines()
    for n in (10, 700, 4000):
        cells = lines[n - 1].split(",")
        cells[8] = "31/12/2019"
        lines[n - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    err = StringIO()
    with pytest.raises(CommandError, match="3 problems in families.csv: nothing imported"):
        call_command("import_families", "families.csv", stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        f"families.csv:{n}: date_of_birth: is not a date like 2015-06-30" for n in (10, 700, 4000)]
    assert not Family.objects.exists()



def test_a_dry_run_of_a_whole_services_export_writes_nothing(db, tmp_path):
    data.build_onboarding_staff()
    data.write_families_file(tmp_path / "families.csv", TODAY)
    out, err = run_file("families.csv", "--dry-run")
    assert err == ""
    assert out.splitlines()[:2] == ["Dry run: the file is good and nothing was imported.",
                                    "Families: 1500 new, 0 changed, 0 already as the file says."]
    assert not Family.objects.exists() and not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def run_file(name: str, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_families", name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


FORMATS = Path(__file__).resolve().parents[2] / "docs" / "formats"


def test_the_documented_examples_import_alike_with_and_without_the_mapping(world):
    out, err = run_file(str(FORMATS / "example-families.csv"), "--dry-run")
    assert err == "" and "Families: 2 new" in out
    out, err = run_file(str(FORMATS / "example-families-own-headers.csv"),
                        "--columns", str(FORMATS / "example-mapping.toml"))
    assert err == ""
    assert out.splitlines() == ["Families: 2 new, 0 changed, 0 already as the file says.",
                                "People: 5 new, 0 changed, 0 already as the file says."]
    out, _ = run_file(str(FORMATS / "example-families.csv"))
    assert out.startswith("Nothing changed")


def test_a_language_may_be_given_by_its_name_or_its_code_and_a_made_up_one_is_refused(world):
    run(f"EH-7010,Hale family,North 1,,{OPENED},H1,Ana,Hale,1988-03-03,pt-br,no\n"
        f"EH-7010,Hale family,North 1,,{OPENED},H2,Bo,Hale,2012-03-03,Farsi,no\n"
        f"EH-7010,Hale family,North 1,,{OPENED},H3,Cy,Hale,2014-03-03,cy,no\n")
    assert list(Person.objects.filter(family__case_reference="EH-7010").order_by(
        "reference").values_list("preferred_language", flat=True)) == ["pt-BR", "fa", "cy"]
    assert refused(f"EH-7011,Ince family,North 1,,{OPENED},I1,Di,Ince,1988-03-03,Klingon,no\n"
                   ) == ["families.csv:2: preferred_language: is not a language we know: give "
                         "its name in English, for example Polish, or its code, pl"]
