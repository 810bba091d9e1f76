"""Exchange with qualitative tools (NVivo, ATLAS.ti, MAXQDA, QualCoder) through the REFI-QDA
standard, 1.5 (docs/formats/refi-qda.md): a trial's codebook as a `.qdc`, and its documents,
codebook and codings as a `.qdpx` project; both read back.

Every file read is checked against our schemas of the standard (refi_qda_schemas/) before
anything in it is used, and refused with a sentence saying what is wrong; nothing is written
here until the whole file has been read. What the standard can carry and a trial cannot hold
(notes, sets, pictures, PDFs, media, codes of a whole document) is left out, and the evaluator
is told, as the standard's section 7 asks.

Positions: the standard counts a selection in Unicode code points of the plain text, the first
being 0 (section 10.2), which is what a Python string's index counts, and what Coding.start and
Coding.end hold: they are written and read unchanged. endPosition is the first code point after
the passage, as in Coding.end (the standard's words, "the first and the last character", are
read this way by the tools that exchange with it).
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.db.models import Q
from django.utils.crypto import salted_hmac
from lxml import etree

from familyfeedback.accounts.models import Role, User
from familyfeedback.evaluation.models import (
    DOCUMENT_KINDS,
    WAVES,
    Coding,
    Document,
    Theme,
    Trial,
)

PROJECT = "urn:QDA-XML:project:1.0"
CODEBOOK = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Family Feedback"
SCHEMAS = Path(__file__).with_name("refi_qda_schemas")

# An upload larger than this is refused before it is opened; a .qdpx may not unpack to more than
# MAX_UNPACKED in all (a zip bomb declares little and inflates to a lot: what is read is counted,
# not what the zip declares), nor hold more than MAX_MEMBERS files.
MAX_FILE = 20 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
MAX_MEMBERS = 2000
_MB = 1024 * 1024

# The variables a project carries. Their GUIDs are fixed, so a project we wrote is read back by
# GUID; another tool's is read by the variable's name.
_VARIABLES = uuid.UUID("055faa58-fcd3-43ed-a768-12a5f45bcb05")
CASE_VARIABLES = ("Role", "Team", "Arm")
SOURCE_VARIABLES = ("Document kind", "Wave", "Question", "Team observed")
THEME_NAME_LENGTH = Theme._meta.get_field("name").max_length
TITLE_LENGTH = Document._meta.get_field("title").max_length


class RefiQdaError(ValueError):
    """A file refused: the message says what is wrong, in a sentence for the evaluator."""


def variable_guid(name: str) -> uuid.UUID:
    return uuid.uuid5(_VARIABLES, name)


def _derived_guid(salt: str, value: str) -> uuid.UUID:
    """A GUID for something we name by number (an account, a participant): the same each time
    this service writes it, so a project comes back to the same people, but one nobody can turn
    back into the number without the service's secret key."""
    return uuid.UUID(bytes=salted_hmac(salt, value).digest()[:16], version=4)


def coder_guid(user: User) -> uuid.UUID:
    return _derived_guid("familyfeedback.evaluation.refi_qda.coder", str(user.pk))


def case_guid(practitioner) -> uuid.UUID:
    return _derived_guid("familyfeedback.evaluation.refi_qda.case", str(practitioner.pk))


def selection_guid(document: Document, start: int, end: int) -> uuid.UUID:
    # A selection is not a row of ours: the codings of one passage share it.
    return uuid.uuid5(document.guid, f"{start}:{end}")


# Writing -----------------------------------------------------------------------------------------

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str) -> str:
    """What XML 1.0 can carry of a name or description: control characters pasted into a
    title would otherwise make the file unwritable."""
    return _NOT_XML.sub(" ", value)


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _codes(parent: etree._Element, ns: str, themes: list[Theme]) -> None:
    children = defaultdict(list)
    for theme in themes:
        children[theme.parent_id].append(theme)

    def add(into, theme):
        code = etree.SubElement(into, f"{{{ns}}}Code", guid=str(theme.guid),
                                name=_xml_text(theme.name), isCodable="true")
        if theme.description:
            etree.SubElement(code, f"{{{ns}}}Description").text = _xml_text(theme.description)
        for child in children[theme.pk]:
            add(code, child)

    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    for theme in children[None]:
        add(codes, theme)


def codebook_file(trial: Trial) -> bytes:
    """The trial's codebook as a .qdc: each theme a Code, its sub-themes inside it. Raises
    RefiQdaError if the trial has no themes (the standard's codebook holds at least one)."""
    themes = list(trial.themes.all())
    if not themes:
        raise RefiQdaError("This trial has no themes yet, so there is no codebook to download")
    root = etree.Element(f"{{{CODEBOOK}}}CodeBook", nsmap={None: CODEBOOK}, origin=ORIGIN)
    _codes(root, CODEBOOK, themes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _variable_value(parent, name: str, value: str) -> None:
    holder = etree.SubElement(parent, f"{{{PROJECT}}}VariableValue")
    etree.SubElement(holder, f"{{{PROJECT}}}VariableRef", targetGUID=str(variable_guid(name)))
    etree.SubElement(holder, f"{{{PROJECT}}}TextValue").text = _xml_text(value)


def _source_values(document: Document) -> list[tuple[str, str]]:
    kinds, waves = dict(DOCUMENT_KINDS), dict(WAVES)
    values = [("Document kind", kinds[document.kind]),
              ("Wave", waves.get(document.wave, "")), ("Question", document.question_code),
              ("Team observed", document.team.team_code if document.team else "")]
    return [(name, value) for name, value in values if value]


def _p(parent, tag: str, **attributes) -> etree._Element:
    return etree.SubElement(parent, f"{{{PROJECT}}}{tag}", **attributes)


def project_xml(trial: Trial) -> tuple[bytes, list[Document]]:
    """project.qde for the trial, and the documents whose text goes beside it."""
    themes = list(trial.themes.all())
    documents = list(trial.documents.select_related("participant__team", "team"))
    codings = list(Coding.objects.filter(document__trial=trial)
                   .select_related("theme", "coder").order_by("coded_at", "pk"))
    root = etree.Element(f"{{{PROJECT}}}Project", nsmap={None: PROJECT}, name=_xml_text(trial.name),
                         origin=ORIGIN, creationDateTime=_when(datetime.now(UTC)))
    coders = list(dict.fromkeys(coding.coder for coding in codings))  # by first coding
    if coders:
        users = _p(root, "Users")
        for number, coder in enumerate(coders, start=1):
            # A pseudonym, never the evaluator's name or email: the file leaves the service.
            _p(users, "User", guid=str(coder_guid(coder)), name=f"Evaluator {number}")
    if themes:
        _codes(_p(root, "CodeBook"), PROJECT, themes)
    variables = _p(root, "Variables")
    for name in CASE_VARIABLES + SOURCE_VARIABLES:
        _p(variables, "Variable", guid=str(variable_guid(name)), name=name, typeOfVariable="Text")
    participants = defaultdict(list)
    for document in documents:
        if document.participant is not None:
            participants[document.participant].append(document)
    if participants:
        cases = _p(root, "Cases")
        for person, theirs in sorted(participants.items(), key=lambda p: p[0].practitioner_code):
            case = _p(cases, "Case", guid=str(case_guid(person)), name=person.practitioner_code)
            for name, value in zip(CASE_VARIABLES, (person.role, person.team.team_name,
                                                    person.team.get_arm_display()), strict=True):
                if value:
                    _variable_value(case, name, value)
            for document in theirs:
                _p(case, "SourceRef", targetGUID=str(document.guid))
    passages = defaultdict(list)
    for coding in codings:
        passages[(coding.document_id, coding.start, coding.end)].append(coding)
    if documents:
        sources = _p(root, "Sources")
        for document in documents:
            source = _p(sources, "TextSource", guid=str(document.guid),
                        name=_xml_text(document.title),
                        plainTextPath=f"internal://{document.guid}.txt",
                        creationDateTime=_when(document.added_at))
            for (_, start, end), together in sorted(
                    (key, value) for key, value in passages.items() if key[0] == document.pk):
                selection = _p(source, "PlainTextSelection",
                               guid=str(selection_guid(document, start, end)),
                               startPosition=str(start), endPosition=str(end))
                for coding in together:
                    made = _p(selection, "Coding", guid=str(coding.guid),
                              creatingUser=str(coder_guid(coding.coder)),
                              creationDateTime=_when(coding.coded_at))
                    _p(made, "CodeRef", targetGUID=str(coding.theme.guid))
            for name, value in _source_values(document):
                _variable_value(source, name, value)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml, documents


def project_file(trial: Trial) -> bytes:
    """The trial as a .qdpx: project.qde, and each document's text as sources/<guid>.txt in
    UTF-8, as the standard's section 8 lays it out."""
    xml, documents = project_xml(trial)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for document in documents:
            archive.writestr(f"sources/{document.guid}.txt", document.text.encode("utf-8"))
    return buffer.getvalue()


# Reading -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeIn:
    guid: uuid.UUID
    name: str
    description: str
    children: tuple[CodeIn, ...]


@dataclass(frozen=True)
class CodingIn:
    guid: uuid.UUID
    code: uuid.UUID
    user: uuid.UUID | None


@dataclass(frozen=True)
class SelectionIn:
    start: int
    end: int
    codings: tuple[CodingIn, ...]


@dataclass(frozen=True)
class SourceIn:
    guid: uuid.UUID
    name: str
    text: str
    values: dict[str, str]  # SOURCE_VARIABLES given, by name
    participant: str  # the pseudonym of the case it belongs to, or ""
    selections: tuple[SelectionIn, ...]


@dataclass(frozen=True)
class Exchange:
    """What a .qdc or .qdpx brings, read and checked, before anything is stored."""

    kind: str  # "codebook" or "project"
    codes: tuple[CodeIn, ...]
    sources: tuple[SourceIn, ...] = ()
    left_out: tuple[str, ...] = ()  # what the file had that a trial cannot hold, in words


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


_PLAIN = re.compile(r"\{urn:QDA-XML:(?:project|codebook):1\.0\}")


def _checked(data: bytes, what: str, root_name: str, ns: str, schema: str) -> etree._Element:
    """The file's XML root, once it is well-formed, has no DOCTYPE (entities are a way to make
    a small file huge), is the root the standard names and validates against our schema."""
    try:
        tree = etree.parse(io.BytesIO(data), _PARSER)
    except etree.XMLSyntaxError as error:
        raise RefiQdaError(f"The {what} is not readable XML: {error.msg}") from None
    if tree.docinfo.doctype:
        raise RefiQdaError(f"The {what} declares a DOCTYPE, which REFI-QDA files never have")
    root = etree.QName(tree.getroot())
    if (root.namespace, root.localname) != (ns, root_name):
        raise RefiQdaError(f"The file is not a REFI-QDA {what}: it should start with "
                           f"{root_name} in the namespace {ns}, but starts with "
                           f"{root.localname} in {root.namespace or 'no namespace'}")
    validator = _schema(schema)
    if not validator.validate(tree):
        problems = [f"line {entry.line}: {_PLAIN.sub('', entry.message)}"
                    for entry in list(validator.error_log)[:3]]
        raise RefiQdaError(f"The {what} does not follow the REFI-QDA standard: "
                           + "; ".join(problems))
    return tree.getroot()


def _guid(text: str) -> uuid.UUID:
    return uuid.UUID(text.strip().strip("{}"))  # the schema has checked its form


def _read_codes(parent: etree._Element, ns: str, seen: set) -> tuple[CodeIn, ...]:
    codes = []
    for element in parent.findall(f"{{{ns}}}Code"):
        guid = _guid(element.get("guid"))
        name = " ".join(element.get("name").split())
        if guid in seen:
            raise RefiQdaError(f"The code “{name[:60]}” has the GUID {guid}, which another code "
                               "in the file also has")
        seen.add(guid)
        if not name:
            raise RefiQdaError(f"The code with GUID {guid} has no name")
        if len(name) > THEME_NAME_LENGTH:
            raise RefiQdaError(f"The code “{name[:60]}…” has a name longer than "
                               f"{THEME_NAME_LENGTH} characters: shorten it, then export again")
        description = element.findtext(f"{{{ns}}}Description") or ""
        codes.append(CodeIn(guid, name, description.strip(),
                            _read_codes(element, ns, seen)))
    return tuple(codes)


def read_codebook(data: bytes) -> Exchange:
    root = _checked(data, "codebook", "CodeBook", CODEBOOK, "Codebook.xsd")
    left_out = ("sets of codes",) if root.find(f"{{{CODEBOOK}}}Sets") is not None else ()
    return Exchange("codebook", _read_codes(root.find(f"{{{CODEBOOK}}}Codes"), CODEBOOK, set()),
                    left_out=left_out)


def _unpacked(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """A member's bytes, counted against what is left of MAX_UNPACKED as they inflate."""
    chunks = []
    with archive.open(member) as handle:
        while chunk := handle.read(64 * 1024):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise RefiQdaError(f"The .qdpx unpacks to more than {MAX_UNPACKED // _MB} MB, "
                                   "more than Family Feedback takes")
            chunks.append(chunk)
    return b"".join(chunks)


def _members(data: bytes) -> tuple[bytes, dict[str, bytes]]:
    """project.qde and the files of its sources folder (by name, any case), from the zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
        raise RefiQdaError("The .qdpx is not a readable zip file") from None
    if len(members) > MAX_MEMBERS:
        raise RefiQdaError(f"The .qdpx holds more than {MAX_MEMBERS} files, more than Family "
                           "Feedback takes")
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise RefiQdaError(f"The .qdpx unpacks to more than {MAX_UNPACKED // _MB} MB, more than "
                           "Family Feedback takes")
    budget, project, sources = [MAX_UNPACKED], None, {}
    try:
        for member in members:
            folder, _, name = member.filename.replace("\\", "/").rpartition("/")
            if member.is_dir():
                continue
            if not folder and name.lower() == "project.qde":
                project = _unpacked(archive, member, budget)
            elif folder.lower() == "sources":
                sources[name.lower()] = _unpacked(archive, member, budget)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
        # Damaged, encrypted, or packed in a way zipfile cannot unpack.
        raise RefiQdaError("The .qdpx is damaged or packed in a way that cannot be read") \
            from None
    if project is None:
        raise RefiQdaError("The .qdpx has no project.qde in it, so it is not a REFI-QDA project")
    return project, sources


def _values(element: etree._Element, names: dict[uuid.UUID, str]) -> dict[str, str]:
    found = {}
    for holder in element.findall(f"{{{PROJECT}}}VariableValue"):
        name = names.get(_guid(holder.find(f"{{{PROJECT}}}VariableRef").get("targetGUID")))
        text = holder.findtext(f"{{{PROJECT}}}TextValue")
        if name and text:
            found[name] = text.strip()
    return found


def _text_of(source: etree._Element, name: str, files: dict[str, bytes]) -> str | None:
    """The source's plain text, or None when it has none we can read (rich text only, or a
    file outside the .qdpx)."""
    inline = source.find(f"{{{PROJECT}}}PlainTextContent")
    path = source.get("plainTextPath")
    if inline is not None and path:
        raise RefiQdaError(f"The source “{name}” has its text both in the file and in "
                           f"{path}: the standard allows one or the other")
    if inline is not None:
        return inline.text or ""
    if not path or not path.startswith("internal://"):
        return None
    file_name = path.removeprefix("internal://")
    if file_name.lower() not in files:
        raise RefiQdaError(f"The project says the text of “{name}” is sources/{file_name}, but "
                           "the .qdpx does not hold that file")
    try:
        # A byte order mark is not part of the text the positions count.
        return files[file_name.lower()].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RefiQdaError(f"The text of “{name}” is not UTF-8, as the standard requires") \
            from None


def _selections(source: etree._Element, name: str, text: str, codes: set,
                left_out: list[str]) -> tuple[SelectionIn, ...]:
    found = []
    for selection in source.findall(f"{{{PROJECT}}}PlainTextSelection"):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        if not 0 <= start <= end <= len(text):
            raise RefiQdaError(f"A selection in “{name}” runs from {start} to {end}, outside its "
                               f"text of {len(text)} characters")
        if start == end:
            left_out.append(f"an empty selection in “{name}”")
            continue
        codings = []
        for coding in selection.findall(f"{{{PROJECT}}}Coding"):
            code = _guid(coding.find(f"{{{PROJECT}}}CodeRef").get("targetGUID"))
            if code not in codes:
                raise RefiQdaError(f"A selection in “{name}” is coded with {code}, a code the "
                                   "project's codebook does not have")
            user = coding.get("creatingUser") or selection.get("creatingUser")
            codings.append(CodingIn(_guid(coding.get("guid")), code,
                                    _guid(user) if user else None))
        found.append(SelectionIn(start, end, tuple(codings)))
    return tuple(found)


_NOT_READ = {"PictureSource": "pictures", "PDFSource": "PDF documents",
             "AudioSource": "audio", "VideoSource": "video", "Notes": "notes",
             "Links": "links", "Sets": "sets", "Graphs": "graphs"}


def read_project(data: bytes) -> Exchange:
    project, files = _members(data)
    root = _checked(project, "project", "Project", PROJECT, "Project.xsd")
    codebook = root.find(f"{{{PROJECT}}}CodeBook/{{{PROJECT}}}Codes")
    seen: set = set()
    codes = _read_codes(codebook, PROJECT, seen) if codebook is not None else ()
    names = {variable_guid(n): n for n in CASE_VARIABLES + SOURCE_VARIABLES}
    for variable in root.iterfind(f"{{{PROJECT}}}Variables/{{{PROJECT}}}Variable"):
        if variable.get("name") in SOURCE_VARIABLES:
            names[_guid(variable.get("guid"))] = variable.get("name")
    owners = {}
    for case in root.iterfind(f"{{{PROJECT}}}Cases/{{{PROJECT}}}Case"):
        for ref in case.findall(f"{{{PROJECT}}}SourceRef"):
            owners[_guid(ref.get("targetGUID"))] = (case.get("name") or "").strip()
    left_out: list[str] = [words for tag, words in _NOT_READ.items()
                           if root.find(f".//{{{PROJECT}}}{tag}") is not None]
    sources = []
    for source in root.iterfind(f"{{{PROJECT}}}Sources/{{{PROJECT}}}TextSource"):
        guid = _guid(source.get("guid"))
        name = " ".join((source.get("name") or "").split())[:TITLE_LENGTH] or "Imported text"
        text = _text_of(source, name, files)
        if text is None:
            left_out.append(f"“{name}”, whose plain text is not in the .qdpx")
            continue
        if "\x00" in text:
            raise RefiQdaError(f"The text of “{name}” contains a null character, which is not "
                               "text")
        if source.find(f"{{{PROJECT}}}Coding") is not None:
            left_out.append(f"codes of the whole of “{name}”")
        sources.append(SourceIn(guid, name, text, _values(source, names), owners.get(guid, ""),
                                _selections(source, name, text, seen, left_out)))
    if len({s.guid for s in sources}) < len(sources):
        raise RefiQdaError("Two sources in the project have the same GUID")
    return Exchange("project", codes, tuple(sources), tuple(dict.fromkeys(left_out)))


def read_file(name: str, data: bytes) -> Exchange:
    """A .qdc or .qdpx as uploaded, read and checked; RefiQdaError says why not."""
    if len(data) > MAX_FILE:
        raise RefiQdaError(f"The file is larger than {MAX_FILE // _MB} MB, more than Family "
                           "Feedback takes")
    suffix = Path(name).suffix.lower()
    if suffix == ".qdpx":
        return read_project(data)
    if suffix == ".qdc":
        return read_codebook(data)
    raise RefiQdaError("Choose a REFI-QDA codebook (.qdc) or project (.qdpx)")


# Storing -----------------------------------------------------------------------------------------

@dataclass
class Imported:
    """What an import did, for the evaluator and the audit log."""

    kind: str
    themes_added: int = 0
    themes_matched: int = 0
    documents_added: int = 0
    documents_matched: int = 0
    codings_added: int = 0
    codings_matched: int = 0
    codings_as_importer: int = 0  # by someone the file names whom we do not know
    participants_not_found: list[str] = field(default_factory=list)
    left_out: tuple[str, ...] = ()

    def counts(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in (
            "themes_added", "themes_matched", "documents_added", "documents_matched",
            "codings_added", "codings_matched", "codings_as_importer")}


def store_codes(trial: Trial, codes: tuple[CodeIn, ...], done: Imported,
                parent: Theme | None = None, found: dict | None = None) -> dict[uuid.UUID, Theme]:
    """Each code as a theme of the trial: the theme with its GUID, or else of its name under the
    same parent, is matched and left as it is; otherwise a theme is added. The file's GUID -> the
    trial's theme."""
    found = {} if found is None else found
    for code in codes:
        theme = (trial.themes.filter(guid=code.guid).first()
                 or trial.themes.filter(parent=parent, name=code.name).first())
        if theme is not None:
            done.themes_matched += 1
        else:
            # A GUID another trial's theme has (a codebook shared between trials) is not taken.
            taken = Theme.objects.filter(guid=code.guid).exists()
            theme = Theme.objects.create(trial=trial, parent=parent, name=code.name,
                                         description=code.description,
                                         guid=uuid.uuid4() if taken else code.guid)
            done.themes_added += 1
        found[code.guid] = theme
        store_codes(trial, code.children, done, theme, found)
    return found


def _coders(actor: User, exchange: Exchange) -> dict[uuid.UUID, User]:
    """The people the file names whom this service wrote it for: each of its coders' GUIDs is
    derived from their account (coder_guid), so only accounts can be matched, never names."""
    named = {c.user for s in exchange.sources for sel in s.selections for c in sel.codings}
    if not named - {None}:
        return {}
    candidates = User.objects.filter(Q(role_grants__role=Role.EVALUATOR) | Q(pk=actor.pk)
                                     | Q(pk__in=Coding.objects.values("coder"))).distinct()
    return {guid: user for user in candidates
            if (guid := coder_guid(user)) in named}


def _new_document(trial: Trial, actor: User, source: SourceIn) -> Document:
    kinds = {label: kind for kind, label in DOCUMENT_KINDS} | {k: k for k, _ in DOCUMENT_KINDS}
    waves = {label: kind for kind, label in WAVES} | {k: k for k, _ in WAVES}
    kind = kinds.get(source.values.get("Document kind", ""), "interview")
    wave = waves.get(source.values.get("Wave", ""), "")
    question = source.values.get("Question", "")[:60]
    if kind == "open_text" and not (wave and question):
        kind = "interview"  # gathered answers are known by their question and wave
    team = trial.teams.filter(team_code=source.values.get("Team observed", "")).first()
    return Document.objects.create(
        guid=source.guid, trial=trial, kind=kind, title=source.name, text=source.text,
        wave=wave if kind == "open_text" else "",
        question_code=question if kind == "open_text" else "",
        team=team if kind == "observation" else None,
        participant=trial.practitioners.filter(practitioner_code=source.participant).first(),
        added_by=actor, file_name="")


def store_sources(trial: Trial, actor: User, exchange: Exchange, themes: dict,
                  done: Imported) -> None:
    """Each source as a document of the trial (the one with its GUID, or a new one), and each
    coding of it (the one with its GUID, or the same passage coded alike by the same person, or
    a new one). Raises RefiQdaError, for the action to undo everything, when a document is
    another trial's or its text here is not the text the file's positions count in."""
    coders = _coders(actor, exchange)
    for source in exchange.sources:
        document = Document.objects.filter(guid=source.guid).select_related("trial").first()
        if document is not None and document.trial_id != trial.pk:
            raise RefiQdaError(f"“{source.name}” is already a document of the trial "
                               f"“{document.trial.name}”: a project goes back into the trial "
                               "it came from, or into a new trial once that one is gone")
        if document is None:
            document = _new_document(trial, actor, source)
            done.documents_added += 1
            if source.participant and document.participant is None:
                done.participants_not_found.append(source.participant)
        elif document.text != source.text:
            raise RefiQdaError(f"The text of “{source.name}” in the file is not the text of the "
                               "document here, so its codings would fall in the wrong places: "
                               "nothing was imported")
        else:
            done.documents_matched += 1
        for selection in source.selections:
            for coding in selection.codings:
                _store_coding(document, selection, coding, themes[coding.code],
                              coders.get(coding.user, actor), done,
                              known=coding.user in coders)


def _store_coding(document: Document, selection: SelectionIn, coding: CodingIn, theme: Theme,
                  coder: User, done: Imported, *, known: bool) -> None:
    same = {"document": document, "theme": theme, "coder": coder,
            "start": selection.start, "end": selection.end}
    if (Coding.objects.filter(guid=coding.guid, document=document).exists()
            or Coding.objects.filter(**same).exists()):
        done.codings_matched += 1
        return
    taken = Coding.objects.filter(guid=coding.guid).exists()
    Coding.objects.create(guid=uuid.uuid4() if taken else coding.guid, **same)
    done.codings_added += 1
    if not known:
        done.codings_as_importer += 1
