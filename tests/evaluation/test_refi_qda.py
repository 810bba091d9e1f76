"""Exchange with qualitative tools through REFI-QDA (docs/formats/refi-qda.md): every codebook
and project written validates against our schemas of the standard; what is written comes back
the same, offsets and all, in text that is not ASCII; files another tool wrote are read; bad
files are refused with a sentence; only evaluators reach any of it."""

import html
import io
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from familyfeedback.accounts.models import AuditEntry, Role
from familyfeedback.evaluation import refi_qda
from familyfeedback.evaluation.models import (
    Coding,
    Document,
    Theme,
    Trial,
    TrialPractitioner,
    TrialTeam,
)
from tests import factories

P = "{urn:QDA-XML:project:1.0}"
C = "{urn:QDA-XML:codebook:1.0}"
# Accents, a family emoji (four code points joined), Arabic read right to left: a position
# counted in bytes or UTF-16 units would land elsewhere in each.
TEXT = ("Interviewer: How was the first session?\n\n"
        "P001: Honestly? Café-style chat 👨‍👩‍👧, relaxed. "
        "أمي قالت إنها شعرت بالاحترام. Then we rated it together.")
ARABIC = "أمي قالت إنها شعرت بالاحترام"
EMOJI = "👨‍👩‍👧"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(refi_qda.SCHEMAS / name)))


def valid(data: bytes, name: str) -> etree._Element:
    root = etree.fromstring(data)
    checker = schema(name)
    assert checker.validate(root), checker.error_log
    return root


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def second_evaluator(db):
    return factories.user("ezra@example.test", Role.EVALUATOR)


def make_trial(name="Pilot") -> Trial:
    trial = Trial.objects.create(name=name)
    team = TrialTeam.objects.create(trial=trial, team_code="T1", team_name="North",
                                    arm="intervention")
    TrialPractitioner.objects.create(trial=trial, practitioner_code="P001", team=team,
                                     role="fsw")
    return trial


@pytest.fixture
def coded(world, second_evaluator):
    """A trial with a theme and two sub-themes, an interview of P001 and an observation of
    North, coded by two evaluators (one passage by both: agreement)."""
    trial = make_trial()
    participant = trial.practitioners.get()
    fit = Theme.objects.create(trial=trial, name="Fit with practice",
                               description="How the measures fit a visit")
    respect = Theme.objects.create(trial=trial, name="Feeling respected", parent=fit,
                                   description="Families say they were listened to")
    playful = Theme.objects.create(trial=trial, name="Playfulness", parent=fit)
    interview = Document.objects.create(trial=trial, kind="interview", title="Interview P001",
                                        participant=participant, text=TEXT)
    observation = Document.objects.create(trial=trial, kind="observation",
                                          title="Observation at North",
                                          team=trial.teams.get(), text="Café déjà vu.\n")
    arabic = TEXT.index(ARABIC)
    emoji = TEXT.index(EMOJI)
    for coder in (world.evaluator, second_evaluator):
        Coding.objects.create(document=interview, theme=respect, coder=coder, start=arabic,
                              end=arabic + len(ARABIC))
    Coding.objects.create(document=interview, theme=playful, coder=world.evaluator,
                          start=emoji, end=emoji + len(EMOJI))
    Coding.objects.create(document=observation, theme=fit, coder=second_evaluator, start=0,
                          end=4)
    return trial


def upload(client, trial, name: str, data: bytes):
    return client.post(reverse("refi_qda", args=[trial.pk]),
                       {"file": SimpleUploadedFile(name, data)}, follow=True)


def contents(trial: Trial) -> dict:
    """What a round trip must keep, by GUID."""
    return {
        "themes": {(t.guid, t.name, t.description, t.parent.guid if t.parent else None)
                   for t in trial.themes.select_related("parent")},
        "documents": {(d.guid, d.title, d.kind, d.text, d.team.team_code if d.team else "",
                       d.participant.practitioner_code if d.participant else "")
                      for d in trial.documents.select_related("team", "participant")},
        "codings": {(c.guid, c.document.guid, c.theme.guid, c.coder_id, c.start, c.end,
                     c.document.text[c.start:c.end])
                    for c in Coding.objects.filter(document__trial=trial)
                    .select_related("document", "theme")},
    }


# Writing -----------------------------------------------------------------------------------------

def test_the_codebook_validates_against_the_standard_with_sub_themes_inside_themes(
        world, client, coded):
    client.force_login(world.evaluator)
    response = client.get(reverse("refi_qda_codebook", args=[coded.pk]))
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="pilot-codebook.qdc"'
    root = valid(response.content, "Codebook.xsd")
    assert root.tag == f"{C}CodeBook" and root.get("origin") == "Family Feedback"
    (fit,) = root.find(f"{C}Codes")
    assert fit.get("name") == "Fit with practice" and fit.get("isCodable") == "true"
    assert fit.findtext(f"{C}Description") == "How the measures fit a visit"
    assert [code.get("name") for code in fit.findall(f"{C}Code")] == [
        "Feeling respected", "Playfulness"]
    assert fit.get("guid") == str(coded.themes.get(name="Fit with practice").guid)
    assert AuditEntry.objects.filter(action="refi_qda.export_codebook").count() == 1


def test_the_project_validates_and_holds_each_text_as_a_utf8_source_named_by_guid(
        world, client, coded):
    client.force_login(world.evaluator)
    response = client.get(reverse("refi_qda_project", args=[coded.pk]))
    assert response["Content-Type"] == "application/zip"
    files = unzip(response.content)
    interview = coded.documents.get(kind="interview")
    assert set(files) == {"project.qde", *(f"sources/{d.guid}.txt" for d in coded.documents.all())}
    assert files[f"sources/{interview.guid}.txt"].decode("utf-8") == TEXT
    root = valid(files["project.qde"], "Project.xsd")
    assert root.get("name") == "Pilot" and root.get("origin") == "Family Feedback"
    source = root.find(f"{P}Sources/{P}TextSource[@guid='{interview.guid}']")
    assert source.get("plainTextPath") == f"internal://{interview.guid}.txt"
    case = root.find(f"{P}Cases/{P}Case")
    assert case.get("name") == "P001"
    assert case.find(f"{P}SourceRef").get("targetGUID") == str(interview.guid)
    assert [v.findtext(f"{P}TextValue") for v in case.findall(f"{P}VariableValue")] == [
        "fsw", "North", "Intervention"]
    assert AuditEntry.objects.filter(action="refi_qda.export_project").count() == 1


def test_the_project_names_evaluators_by_pseudonym_and_nothing_identifying(
        world, client, coded, second_evaluator):
    client.force_login(world.evaluator)
    qde = unzip(client.get(reverse("refi_qda_project", args=[coded.pk])).content)["project.qde"]
    users = etree.fromstring(qde).findall(f"{P}Users/{P}User")
    assert sorted(u.get("name") for u in users) == ["Evaluator 1", "Evaluator 2"]
    assert {u.get("guid") for u in users} == {
        str(refi_qda.coder_guid(world.evaluator)), str(refi_qda.coder_guid(second_evaluator))}
    text = qde.decode()
    for person in (world.evaluator, second_evaluator):
        assert person.email not in text and person.full_name not in text
        # The GUID is not the account's number in a standard form a reader could undo.
        assert str(uuid.UUID(int=person.pk)) not in text


def test_positions_are_unicode_code_points_as_the_standard_counts(world, client, coded):
    """REFI-QDA 1.5, 10.2: the first code point is 0. A Python string's index is a code point,
    so the positions written are Coding.start and Coding.end, and they land on the same words
    in the UTF-8 source file, where a byte count would not."""
    client.force_login(world.evaluator)
    files = unzip(client.get(reverse("refi_qda_project", args=[coded.pk])).content)
    interview = coded.documents.get(kind="interview")
    text = files[f"sources/{interview.guid}.txt"].decode("utf-8")
    found = {}
    for selection in etree.fromstring(files["project.qde"]).iter(f"{P}PlainTextSelection"):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        if selection.getparent().get("guid") == str(interview.guid):
            found[text[start:end]] = (start, len(selection.findall(f"{P}Coding")))
    assert found[ARABIC] == (TEXT.index(ARABIC), 2)  # one passage, coded by both evaluators
    assert found[EMOJI] == (TEXT.index(EMOJI), 1)
    # Neither UTF-8 bytes nor UTF-16 units (as some tools count past an emoji) give these.
    assert TEXT.encode("utf-8").index(ARABIC.encode("utf-8")) != TEXT.index(ARABIC)
    assert TEXT.encode("utf-16-le").index(ARABIC.encode("utf-16-le")) // 2 != TEXT.index(ARABIC)


def test_a_trial_with_no_themes_has_no_codebook_to_download_and_says_so(world, client):
    trial = make_trial()
    client.force_login(world.evaluator)
    page = client.get(reverse("refi_qda_codebook", args=[trial.pk]), follow=True)
    assert page.redirect_chain == [(reverse("refi_qda", args=[trial.pk]), 302)]
    assert "This trial has no themes yet" in page.content.decode()
    # An empty project is still a valid one.
    files = unzip(client.get(reverse("refi_qda_project", args=[trial.pk])).content)
    valid(files["project.qde"], "Project.xsd")


# Reading back ------------------------------------------------------------------------------------

def test_a_round_trip_into_an_empty_trial_keeps_themes_documents_codings_and_offsets(
        world, client, coded):
    client.force_login(world.evaluator)
    before = contents(coded)
    project = client.get(reverse("refi_qda_project", args=[coded.pk])).content
    coded.documents.all().delete()
    coded.themes.all().delete()
    coded.delete()  # the trial it came from is gone: its GUIDs are free for the new one
    fresh = make_trial("Pilot again")
    page = upload(client, fresh, "pilot.qdpx", project).content.decode()
    assert ("Project imported: 3 themes added, 0 already here; 2 documents added, 0 already "
            "here; 4 codings added, 0 already here.") in page
    assert contents(fresh) == before
    assert {text for *_, text in contents(fresh)["codings"]} == {ARABIC, EMOJI, "Café"}
    assert AuditEntry.objects.filter(action="refi_qda.import_project").count() == 1


def test_a_project_imported_again_into_its_own_trial_is_matched_not_duplicated(
        world, client, coded):
    client.force_login(world.evaluator)
    before = contents(coded)
    project = client.get(reverse("refi_qda_project", args=[coded.pk])).content
    page = upload(client, coded, "pilot.qdpx", project).content.decode()
    assert ("0 themes added, 3 already here; 0 documents added, 2 already here; 0 codings "
            "added, 4 already here.") in page
    assert contents(coded) == before


def test_a_codebook_round_trip_adds_only_the_themes_a_trial_lacks(world, client, coded):
    client.force_login(world.evaluator)
    codebook = client.get(reverse("refi_qda_codebook", args=[coded.pk])).content
    other = make_trial("Next trial")
    Theme.objects.create(trial=other, name="Fit with practice")
    page = upload(client, other, "pilot.qdc", codebook).content.decode()
    assert "Codebook imported: 2 themes added, 1 already here." in page
    assert sorted((t.name, t.parent.name if t.parent else "") for t in other.themes.all()) == [
        ("Feeling respected", "Fit with practice"), ("Fit with practice", ""),
        ("Playfulness", "Fit with practice")]
    # The GUIDs stay the other trial's: a sub-theme here is a theme of its own.
    assert not set(other.themes.values_list("guid", flat=True)) & set(
        coded.themes.values_list("guid", flat=True))


CODEBOOK_BY_HAND = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Another tool 3.1">
  <Codes>
    <Code guid="{6F1C0D5E-2B7A-4C39-9E10-1A2B3C4D5E6F}" name="Barriers" isCodable="false"
          color="#C0392B">
      <Description>What got in the way</Description>
      <Code guid="0A1B2C3D-4E5F-4061-8273-8495A6B7C8D9" name="No time" isCodable="true"/>
      <Code guid="1B2C3D4E-5F60-4172-8384-95A6B7C8D9EA" name="Language" isCodable="1"/>
    </Code>
    <Code guid="2c3d4e5f-6071-4283-9495-a6b7c8d9eafb" name="  Enablers  " isCodable="true"/>
  </Codes>
  <Sets>
    <Set guid="3D4E5F60-7182-4394-A5A6-B7C8D9EAFB0C" name="For the report">
      <MemberCode guid="0A1B2C3D-4E5F-4061-8273-8495A6B7C8D9"/>
    </Set>
  </Sets>
</CodeBook>
"""


def test_a_codebook_written_by_hand_as_another_tool_would_imports(world, client):
    trial = make_trial()
    client.force_login(world.evaluator)
    page = upload(client, trial, "Codes.QDC", CODEBOOK_BY_HAND.encode()).content.decode()
    assert "Codebook imported: 4 themes added, 0 already here." in page
    assert "Left out, as a trial cannot hold them: sets of codes." in page
    barriers = trial.themes.get(name="Barriers")
    assert barriers.guid == uuid.UUID("6F1C0D5E-2B7A-4C39-9E10-1A2B3C4D5E6F")
    assert barriers.description == "What got in the way"
    assert sorted(barriers.sub_themes.values_list("name", flat=True)) == ["Language", "No time"]
    assert trial.themes.get(name="Enablers").parent is None


HAND_TEXT = "Él dijo: «Sí» 🙂 شكرا"
CODE = "AAAAAAAA-0000-4000-8000-000000000001"


def project_by_hand(text_element: str = f"<PlainTextContent>{HAND_TEXT}</PlainTextContent>",
                    start: int = 9, end: int = 12, code: str = CODE,
                    extra_source: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Fieldwork" origin="Another tool">
  <Users><User guid="BBBBBBBB-0000-4000-8000-000000000001" name="Someone Else"/></Users>
  <CodeBook><Codes>
    <Code guid="AAAAAAAA-0000-4000-8000-000000000001" name="Agreement" isCodable="true"/>
  </Codes></CodeBook>
  <Cases>
    <Case guid="DDDDDDDD-0000-4000-8000-000000000001" name="P001">
      <SourceRef targetGUID="CCCCCCCC-0000-4000-8000-000000000001"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="CCCCCCCC-0000-4000-8000-000000000001" name="Interview one">
      {text_element}
      <PlainTextSelection guid="EEEEEEEE-0000-4000-8000-000000000001" startPosition="{start}"
                          endPosition="{end}" creatingUser="BBBBBBBB-0000-4000-8000-000000000001">
        <Coding guid="FFFFFFFF-0000-4000-8000-000000000001">
          <CodeRef targetGUID="{code}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>
    {extra_source}
  </Sources>
  <Notes><Note guid="99999999-0000-4000-8000-000000000001" name="Memo"/></Notes>
</Project>
"""


def test_a_project_written_by_hand_as_another_tool_would_imports(world, client):
    trial = make_trial()
    client.force_login(world.evaluator)
    pdf = ('<PDFSource guid="CCCCCCCC-0000-4000-8000-000000000002" name="Leaflet" '
           'path="internal://leaflet.pdf"/>')
    page = upload(client, trial, "fieldwork.qdpx", zipped({
        "project.qde": project_by_hand(extra_source=pdf).encode()})).content.decode()
    assert ("Project imported: 1 theme added, 0 already here; 1 document added, 0 already "
            "here; 1 coding added, 0 already here.") in page
    assert "1 coding was made by someone this service does not know, and recorded as yours" in page
    assert "Left out, as a trial cannot hold them: PDF documents, notes." in page
    document = trial.documents.get()
    assert document.participant == trial.practitioners.get(practitioner_code="P001")
    coding = Coding.objects.get()
    assert document.text[coding.start:coding.end] == "«Sí"
    assert coding.coder == world.evaluator


def test_a_source_in_the_sources_folder_with_a_byte_order_mark_is_read_without_it(
        world, client):
    trial = make_trial()
    client.force_login(world.evaluator)
    qde = project_by_hand('', 0, 2).replace(
        'name="Interview one">',
        'name="Interview one" plainTextPath="internal://one.txt">')
    upload(client, trial, "f.qdpx", zipped({"project.qde": qde.encode(),
                                            "Sources/ONE.txt": "\ufeffÉl ha".encode()}))
    coding = Coding.objects.get()
    assert coding.document.text == "Él ha"
    assert coding.document.text[coding.start:coding.end] == "Él"


# Refusing ----------------------------------------------------------------------------------------

def bomb() -> bytes:
    """A few hundred kilobytes that inflate past what an import reads."""
    return zipped({"project.qde": b"<" + b" " * (refi_qda.MAX_UNPACKED + 1)})


REFUSED = [
    ("notes.txt", b"hello", "Choose a REFI-QDA codebook (.qdc) or project (.qdpx)"),
    ("a.qdc", b"<CodeBook", "The codebook is not readable XML"),
    ("a.qdc", CODEBOOK_BY_HAND.replace(' isCodable="true"/>\n      <Code', '/>\n      <Code', 1)
     .encode(), "The codebook does not follow the REFI-QDA standard: line 7: Element 'Code': "
                "The attribute 'isCodable' is required but missing."),
    ("a.qdc", CODEBOOK_BY_HAND.replace("0A1B2C3D-4E5F", "not-a-guid", 1).encode(),
     "The codebook does not follow the REFI-QDA standard: line 7:"),
    ("a.qdc", CODEBOOK_BY_HAND.replace("urn:QDA-XML:codebook:1.0", "urn:example").encode(),
     "The file is not a REFI-QDA codebook: it should start with CodeBook in the namespace "
     "urn:QDA-XML:codebook:1.0, but starts with CodeBook in urn:example"),
    ("a.qdc", CODEBOOK_BY_HAND.replace("<Description>What got in the way</Description>\n", "")
     .replace('color="#C0392B">', 'color="#C0392B"><Code guid="0A1B2C3D-4E5F-4061-8273-'
              '8495A6B7C8D9" name="Twice" isCodable="true"/>').encode(),
     "which another code in the file also has"),
    ("a.qdc", b'<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY a "aaaa">]>'
              b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>',
     "The codebook declares a DOCTYPE, which REFI-QDA files never have"),
    ("a.qdc", CODEBOOK_BY_HAND.replace('name="No time"', f'name="{"x" * 121}"').encode(),
     "has a name longer than 120 characters"),
    ("a.qdpx", b"PK not really", "The .qdpx is not a readable zip file"),
    ("a.qdpx", zipped({"other.qde": b"<Project/>"}),
     "The .qdpx has no project.qde in it, so it is not a REFI-QDA project"),
    ("a.qdpx", zipped({"project.qde": CODEBOOK_BY_HAND.encode()}),
     "The file is not a REFI-QDA project: it should start with Project"),
    ("a.qdpx", zipped({"project.qde": project_by_hand(start=5, end=99).encode()}),
     "A selection in “Interview one” runs from 5 to 99, outside its text of "
     f"{len(HAND_TEXT)} characters"),
    ("a.qdpx", zipped({"project.qde": project_by_hand(
        code="AAAAAAAA-0000-4000-8000-000000000009").encode()}),
     "a code the project's codebook does not have"),
    ("a.qdpx", zipped({"project.qde": project_by_hand(
        '<PlainTextContent>x</PlainTextContent>').replace(
        'name="Interview one">', 'name="Interview one" plainTextPath="internal://a.txt">')
        .encode(), "sources/a.txt": b"x"}),
     "has its text both in the file and in internal://a.txt"),
    ("a.qdpx", zipped({"project.qde": project_by_hand('').replace(
        'name="Interview one">', 'name="Interview one" plainTextPath="internal://gone.txt">')
        .encode()}),
     "the text of “Interview one” is sources/gone.txt, but the .qdpx does not hold that file"),
    ("a.qdpx", zipped({"project.qde": project_by_hand('').replace(
        'name="Interview one">', 'name="Interview one" plainTextPath="internal://l.txt">')
        .encode(), "sources/l.txt": "Él dijo «Sí» gracias".encode("latin-1")}),
     "The text of “Interview one” is not UTF-8, as the standard requires"),
    ("a.qdpx", bomb(), "The .qdpx unpacks to more than 100 MB"),
    ("a.qdpx", zipped({f"sources/{n}.txt": b"" for n in range(refi_qda.MAX_MEMBERS + 1)}),
     "The .qdpx holds more than 2000 files"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED,
                         ids=[f"{i}-{m[:30]}" for i, (_, _, m) in enumerate(REFUSED)])
def test_a_bad_file_is_refused_with_a_sentence_saying_what_is_wrong(world, client, name, data,
                                                                   message):
    trial = make_trial()
    client.force_login(world.evaluator)
    response = upload(client, trial, name, data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and response.redirect_chain == []
    assert "There is a problem" in page
    assert message in page
    assert not trial.themes.exists() and not trial.documents.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(world, client):
    trial = make_trial()
    client.force_login(world.evaluator)
    page = upload(client, trial, "big.qdc", b" " * (refi_qda.MAX_FILE + 1)).content.decode()
    assert "The file is larger than 20 MB, more than Family Feedback takes" in page


def test_no_file_chosen_is_asked_for(world, client):
    trial = make_trial()
    client.force_login(world.evaluator)
    page = client.post(reverse("refi_qda", args=[trial.pk]), {}).content.decode()
    assert "Choose a REFI-QDA codebook (.qdc) or project (.qdpx) to import" in page


def test_a_project_of_another_trial_is_refused_and_changes_nothing(world, client, coded):
    client.force_login(world.evaluator)
    project = client.get(reverse("refi_qda_project", args=[coded.pk])).content
    other = make_trial("Other")
    page = upload(client, other, "pilot.qdpx", project).content.decode()
    assert "is already a document of the trial “Pilot”" in page
    # Its themes were refused with it: one transaction.
    assert not other.themes.exists() and not other.documents.exists()
    assert not AuditEntry.objects.filter(action="refi_qda.import_project").exists()


def test_a_document_whose_text_changed_elsewhere_is_refused(world, client, coded):
    client.force_login(world.evaluator)
    files = unzip(client.get(reverse("refi_qda_project", args=[coded.pk])).content)
    interview = coded.documents.get(kind="interview")
    files[f"sources/{interview.guid}.txt"] = ("Edited in the other tool. " + TEXT).encode()
    page = upload(client, coded, "pilot.qdpx", zipped(files)).content.decode()
    assert "The text of “Interview P001” in the file is not the text of the document here" in page


# Who may ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("route", ["refi_qda", "refi_qda_codebook", "refi_qda_project"])
@pytest.mark.parametrize("persona", ["practitioner", "manager", "data_team", "outsider"])
def test_only_an_evaluator_reaches_the_exchange(world, client, coded, route, persona):
    client.force_login(getattr(world, persona))
    url = reverse(route, args=[coded.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": SimpleUploadedFile("a.qdc", CODEBOOK_BY_HAND.encode())}
                       ).status_code in (404, 405)
    assert coded.themes.count() == 3


def test_the_trial_page_links_to_the_exchange(world, client, coded):
    client.force_login(world.evaluator)
    page = client.get(reverse("trial", args=[coded.pk])).content.decode()
    assert reverse("refi_qda", args=[coded.pk]) in page
