"""The forms practitioners fill in. Django forms are the only validation layer for what people
type; domain rules (ranges, ages, dates) come from familyfeedback.measures and casework.actions so
that a form and a command can never disagree."""

import re
import uuid
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext

from familyfeedback import measures
from familyfeedback.accounts.models import Team, User
from familyfeedback.casework.access import key_workers_by_team
from familyfeedback.casework.actions import (
    PERSON_FIELDS,
    NewAdministration,
    check_case_reference,
    check_session_date,
)
from familyfeedback.casework.models import Administration, NotAdministeredReason, Person, Session
from familyfeedback.casework.wording import MeasureWords, labels_for
from familyfeedback.lib import languages, versions
from familyfeedback.lib.dateinput import DatePartsField
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.pictures import check_picture
from familyfeedback.lib.record_choices import RecordsField


def check_items(form: forms.Form, measure, words: MeasureWords, raw: dict, cleaned: dict,
                prefix: str) -> None:
    """Check a lines measure's items, marking each wrong field with its own message, which names
    the line in the words the page shows (the text pack's, when loaded)."""
    names = {item.key: item.label for item in words.items}
    try:
        cleaned.update(measures.validate_items(measure, raw, names))
    except measures.ScoreError as error:
        for key, message in error.errors.items():
            form.add_error(key, f"{prefix}{message}")


class SessionForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    date = DatePartsField(subject="The session date")
    kind = forms.ChoiceField(choices=Session.Kind.choices, initial=Session.Kind.HOME_VISIT,
                             error_messages={"required": "Select the kind of session"})
    present = forms.MultipleChoiceField(
        choices=(), error_messages={"required": "Select who was at the session"}
    )
    notes = forms.CharField(required=False, max_length=5000)
    # Sent only by the "Yes, save it as another session" button, shown when this practitioner
    # already has a session for the family on the date.
    another_session = forms.BooleanField(required=False)

    def __init__(self, *args, episode, people: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.people = people
        self.fields["present"].choices = [(str(p.pk), str(p)) for p in people]

    def present_people(self) -> list[Person]:
        chosen = set(self.cleaned_data.get("present", []))
        return [p for p in self.people if str(p.pk) in chosen]

    def clean(self):
        cleaned = super().clean()
        on = cleaned.get("date")
        if on is not None:
            try:
                check_session_date(self.episode, on, self.present_people())
            except ValidationError as error:
                self.add_error("date", error)
        return cleaned


# A choice offered only when the service's schedule says the tools are not due: nothing is saved.
NOT_DUE = "not_due"


class MeasureForm(forms.Form):
    """One person's ORS (start) or SRS (end) within the record-session page."""

    status = forms.ChoiceField(choices=Administration.Status.choices, required=False)
    face = forms.CharField(required=False)
    picture = forms.FileField(required=False)
    reason = forms.ChoiceField(choices=[("", "")] + NotAdministeredReason.choices,
                               required=False)
    reason_detail = forms.CharField(required=False, max_length=200)
    notes = forms.CharField(required=False, max_length=2000)
    # The measure the page showed: if the date typed makes another one apply, the marks were
    # given on the wrong form and must not be relabelled silently.
    shown_measure = forms.CharField(required=False)

    def __init__(self, *args, person: Person, measure: measures.Measure, on: date, due: bool,
                 words: MeasureWords, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = False  # set when the person is marked present and the form validated
        self.person = person
        self.measure = measure
        self.words = words
        self.on = on
        self.due = due
        if not due:
            self.fields["status"].choices = [*Administration.Status.choices,
                                             (NOT_DUE, "Not due today")]
        if measure.kind == "lines":
            for item in measure.items:
                self.fields[item.key] = forms.CharField(required=False, max_length=6)

    @property
    def subject(self) -> str:
        return f"{self.person.first_name}'s {self.measure.code}"

    def about(self) -> str:
        """What starts a message about a mark: whose form it is, among a whole family's."""
        return f"{self.subject}: "

    def face_missing(self) -> str:
        return f"Select the face {self.person.first_name} chose"

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        shown = cleaned.get("shown_measure")
        wrong = (measures.wrong_form(self.measure.tool, shown, self.person.date_of_birth,
                                     self.on) if shown else None)
        if wrong:
            self.add_error("status", f"{self.person.first_name} was {wrong.age} on the session "
                                     f"date, so the {wrong.right.code} applies, not the "
                                     f"{wrong.given}. Check the answers below and save again")
        elif not status:
            self.add_error("status", f"Select whether {self.person.first_name} completed the "
                                     f"{self.measure.code} or say why not")
        elif status == NOT_DUE:
            pass
        elif status == Administration.Status.NOT_ADMINISTERED:
            if not cleaned.get("reason"):
                self.add_error("reason", f"Select why {self.subject} was not administered")
            elif cleaned["reason"] == NotAdministeredReason.OTHER and not cleaned.get(
                "reason_detail", ""
            ).strip():
                self.add_error("reason_detail", f"Say why {self.subject} was not administered")
        elif self.measure.kind == "faces":
            try:
                cleaned["face"] = measures.validate_face(self.measure, cleaned.get("face", ""))
            except measures.ScoreError:
                self.add_error("face", self.face_missing())
            if cleaned.get("picture"):
                try:
                    cleaned["picture"] = check_picture(cleaned["picture"])
                except ValidationError as error:
                    self.add_error("picture", f"{self.about()}{error.message}")
        else:
            raw = {item.key: cleaned.get(item.key, "") for item in self.measure.items}
            check_items(self, self.measure, self.words, raw, cleaned, self.about())
        return cleaned

    def new_administration(self) -> NewAdministration | None:
        data = self.cleaned_data
        if data["status"] == NOT_DUE:
            return None
        completed = data["status"] == Administration.Status.COMPLETED
        items: dict[str, Decimal] = {}
        if completed and self.measure.kind == "lines":
            items = {item.key: data[item.key] for item in self.measure.items}
        return NewAdministration(
            person=self.person,
            tool=self.measure.tool,
            measure=self.measure.code,
            status=data["status"],
            items=items,
            face=data.get("face", "") if completed and self.measure.kind == "faces" else "",
            picture=data.get("picture") if completed and self.measure.kind == "faces" else None,
            reason="" if completed else data.get("reason", ""),
            reason_detail="" if completed else data.get("reason_detail", "").strip(),
            notes=data.get("notes", "").strip(),
        )


class RatingForm(MeasureForm):
    """One person's own rating of one tool, given on the tablet or their own phone: the marks
    (or the face) are all they give, so it is always "completed". `helped` is ticked when an
    interpreter helped or the form was read aloud. Its messages speak to the person, in the
    page's language, and name no one: the page may be on a phone anyone could see."""

    helped = forms.BooleanField(required=False)

    def __init__(self, *args, channel: str, language: str = "en", **kwargs):
        super().__init__(*args, due=True, **kwargs)
        self.channel = channel
        self.language = language

    def clean_status(self) -> str:
        return Administration.Status.COMPLETED

    # The person reads these messages themselves, perhaps on a phone link that must not name
    # them: they speak to "you", in the page's language, and name no one.
    def about(self) -> str:
        return ""

    def face_missing(self) -> str:
        return gettext("Choose a face")

    def clean(self):
        cleaned = super().clean()
        lines = {item.key: item.label for item in self.words.items}
        for key in [key for key in self.errors if key in lines]:
            self.errors[key] = self.error_class([
                gettext("Put a mark on the line for “%(line)s”, from 0 to 10")
                % {"line": lines[key]}])
        return cleaned

    def new_administration(self) -> NewAdministration:
        entry = super().new_administration()
        entry.channel, entry.language = self.channel, self.language
        entry.helped = self.cleaned_data.get("helped", False)
        return entry


class ScreenLanguageForm(forms.Form):
    """The language a family member switched the rating screen to (?lang=cy), if any."""

    lang = forms.CharField(required=False, max_length=35)

    def chosen(self) -> str | None:
        return (languages.code_for(self.cleaned_data["lang"])
                if self.is_valid() and self.cleaned_data["lang"] else None)


def measure_forms(data, files, people: list[Person], on: date,
                  due: dict[int, bool]) -> list[MeasureForm]:
    """A form per person per tool, the measure chosen by the person's age on the session date.
    People born after the date get none: the date check reports them."""
    return _forms_for(data, files, [(person, tool) for person in people
                                    if person.date_of_birth <= on for tool in ("ORS", "SRS")],
                      on, due)


def _forms_for(data, files, wanted: list[tuple[Person, str]], on: date,
               due: dict[int, bool]) -> list[MeasureForm]:
    chosen = [(person, measures.measure_for(tool, measures.age_on(person.date_of_birth, on)))
              for person, tool in wanted]
    words = labels_for([measure for _, measure in chosen])
    return [MeasureForm(data, files, person=person, measure=measure, on=on,
                        due=due.get(person.pk, True), words=words[measure.code],
                        prefix=f"p{person.pk}-{measure.tool.lower()}")
            for person, measure in chosen]


class StartSessionForm(SessionForm):
    """The start of a session given in two halves: the session's own questions, no ratings yet
    (each person gives theirs on their own screen)."""

    def __init__(self, data, *, episode, people: list[Person]):
        super().__init__(data, episode=episode, people=people, initial={
            "token": uuid.uuid4(), "date": timezone.localdate(),
            "present": [str(p.pk) for p in people]})

    def started(self) -> dict:
        """What casework.actions.record_session takes to start the session."""
        data = self.cleaned_data
        return {"token": data["token"], "on": data["date"], "kind": data["kind"],
                "present": self.present_people(), "notes": data["notes"], "entries": [],
                "another_session": data["another_session"], "stage": Session.Stage.STARTED}


class EndSessionForms:
    """The end of a session given in two halves: a form for each rating still missing, where the
    practitioner says why it was not given or types in the marks from paper."""

    def __init__(self, data, files, *, session: Session, missing: list[tuple[Person, str]]):
        self.forms = _forms_for(data, files, missing, session.date, {})

    def is_valid(self) -> bool:
        # Every form is checked, not just up to the first wrong one, so that all are reported.
        checked = [f.is_valid() for f in self.forms]
        return all(checked)

    def entries(self) -> list[NewAdministration]:
        return [f.new_administration() for f in self.forms]

    def errors(self) -> list[dict]:
        return error_summary(*self.forms)


class RecordSessionForms:
    """The record-session page's forms: the session's own, and one per person per tool chosen by
    their age on the date typed. Only the forms of the people marked present are checked; the
    others keep what was typed. `due` says, for a date and a kind of session, who is due."""

    def __init__(self, data, files, *, episode, people: list[Person], due):
        self.on = session_date_from(data)
        self.session = SessionForm(data, episode=episode, people=people, initial={
            "token": uuid.uuid4(), "date": self.on, "present": [str(p.pk) for p in people]})
        kind = data.get("kind", "") if data is not None else ""
        self.per_person = measure_forms(data, files, people, self.on, due(self.on, kind))
        present = set(data.getlist("present")) if data is not None else set()
        self.checked = [f for f in self.per_person if str(f.person.pk) in present]
        for f in self.checked:
            f.checked = True

    def is_valid(self) -> bool:
        return all([self.session.is_valid()] + [f.is_valid() for f in self.checked])

    def recorded(self) -> dict:
        """What casework.actions.record_session takes, from the forms once valid."""
        data = self.session.cleaned_data
        return {"token": data["token"], "on": self.on, "kind": data["kind"],
                "present": self.session.present_people(), "notes": data["notes"],
                "entries": [new for new in (f.new_administration() for f in self.checked)
                            if new is not None],
                "another_session": data["another_session"]}

    def errors(self) -> list[dict]:
        return error_summary(self.session, *self.checked)

    @property
    def has_errors(self) -> bool:
        return any(f.errors for f in self.checked)


def session_date_from(data) -> date:
    """The date the measures are chosen for: the one typed, if it is a real date, else today."""
    if data is not None:
        try:
            on = DatePartsField(subject="date").clean(
                DatePartsField.widget().value_from_datadict(data, None, "date")
            )
            if on is not None:
                return on
        except ValidationError:
            pass
    return timezone.localdate()


OTHER_LANGUAGE = "other"


class PersonForm(forms.Form):
    first_name = forms.CharField(max_length=100,
                                 error_messages={"required": "Enter the person's first name"})
    last_name = forms.CharField(max_length=100, required=False)
    date_of_birth = DatePartsField(subject="The date of birth")
    preferred_language = forms.CharField(max_length=60, initial=languages.ENGLISH, error_messages={
        "required": "Select the person's preferred language"})
    # The language when it is not in the list: its name in English or in itself, or its code.
    other_language = forms.CharField(max_length=60, required=False)
    needs_interpreter = forms.BooleanField(required=False)

    def language_choices(self) -> list[tuple[str, str]]:
        """The common languages, English first, then the person's own if it is not among them,
        then "another language"; a person whose old record named no language starts unset."""
        current = self["preferred_language"].value() or ""
        listed = languages.common_choices()
        if languages.is_language(current) and current not in languages.COMMON:
            listed.append((current, languages.label(current)))
        unset = [("", "Select a language")] if not current else []
        return [*unset, *listed, (OTHER_LANGUAGE, "Another language (type it below)")]

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("preferred_language")
        typed = (cleaned.pop("other_language", None) or "").strip()
        if chosen == OTHER_LANGUAGE:
            code = languages.code_for(typed)
            if not typed:
                self.add_error("other_language", "Enter the language, for example Hausa")
            elif code is None:
                self.add_error("other_language", f"We do not know a language called '{typed}': "
                               "enter its name in English, for example Hausa, or its code, ha")
            cleaned["preferred_language"] = code
        elif chosen:
            # A name typed into an old bookmark or a script ("Polish") is taken as its code.
            cleaned["preferred_language"] = languages.code_for(chosen)
            if cleaned["preferred_language"] is None:
                self.add_error("preferred_language", "Select one of the languages listed")
        return cleaned

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise ValidationError("The date of birth cannot be in the future")
        return born


class EditPersonForm(versions.VersionedForm, PersonForm):
    pass


class PlacementForm(forms.Form):
    """A team, and a key worker who is a current member of it (or none yet). The key workers
    are listed under their teams, so the page works without JavaScript."""

    team = forms.TypedChoiceField(coerce=int, error_messages={
        "required": "Select the team", "invalid_choice": "Select one of the teams listed"})
    key_worker = forms.TypedChoiceField(coerce=int, required=False, empty_value=None,
                                        error_messages={"invalid_choice": "Select one of the "
                                                        "key workers listed"})

    def __init__(self, *args, teams: list[Team], **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {team.pk: team for team in teams}
        self.groups = key_workers_by_team(teams)
        self.fields["team"].choices = [("", "Select a team")] + [
            (team.pk, team.name) for team in teams]
        self.fields["key_worker"].choices = [("", "No key worker yet")] + [
            (user.pk, str(user)) for team in teams for user in self.groups[team.pk]]

    def clean(self):
        cleaned = super().clean()
        team, worker = self.teams.get(cleaned.get("team")), cleaned.get("key_worker")
        if team is None:
            return cleaned
        in_team = {user.pk: user for user in self.groups[team.pk]}
        if worker is not None and worker not in in_team:
            self.add_error("key_worker", f"Select a key worker who is a member of {team}")
        cleaned["team"], cleaned["key_worker"] = team, in_team.get(worker)
        return cleaned


class OpenFamilyForm(PlacementForm):
    name = forms.CharField(max_length=100, error_messages={
        "required": "Enter the family's name, as your team refers to it"})
    case_reference = forms.CharField(max_length=40, error_messages={
        "required": "Enter the case reference from the council's case system",
        "max_length": "The case reference must be 40 characters or fewer"})
    opened_on = DatePartsField(subject="The date support started")

    def clean_case_reference(self):
        reference = self.cleaned_data["case_reference"].strip()
        check_case_reference(reference)
        return reference

    def clean_opened_on(self):
        opened_on = self.cleaned_data["opened_on"]
        if opened_on > timezone.localdate():
            raise ValidationError("The date support started cannot be in the future")
        return opened_on


class HouseholdRow(PersonForm):
    """One person's row on the open-a-family page: a row left blank is no one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, empty_permitted=True, use_required_attribute=False, **kwargs)

    @property
    def filled(self) -> bool:
        return self.is_bound and self.has_changed()


ROWS, MAX_ROWS = 3, 20


class OpenFamilyPage:
    """The open-a-family page: the family's own form and a row per person (three to start
    with: a family of three needs nothing more). The "Add another person" button (another=yes)
    posts the page back with a row more, everything typed kept and no errors shown yet."""

    def __init__(self, data, *, teams: list[Team], user: User):
        initial = {"team": teams[0].pk if len(teams) == 1 else None,
                   "key_worker": user.pk, "opened_on": timezone.localdate()}
        self.family = OpenFamilyForm(data, teams=teams, initial=initial)
        rows = _rows(data)
        self.another = data is not None and data.get("another") == "yes" and rows < MAX_ROWS
        self.rows = rows + self.another
        self.people = [HouseholdRow(data, prefix=f"person-{n}") for n in range(self.rows)]
        self.max_rows = MAX_ROWS
        if self.another:
            # Drawn again only to add a row: what was typed is shown, and nothing is checked
            # yet, so nothing is marked wrong (Django checks a form when its errors are read).
            for form in (self.family, *self.people):
                form._errors = ErrorDict()

    def is_valid(self) -> bool:
        if self.another or not self.family.is_bound:
            return False
        valid = all([self.family.is_valid()] + [row.is_valid() for row in self.people])
        if not any(row.filled for row in self.people):
            self.people[0].add_error("first_name", "Enter at least one person in the household")
            return False
        return valid

    def opened(self) -> dict:
        """What casework.actions.open_family takes, once valid."""
        data = self.family.cleaned_data
        return {"name": data["name"], "case_reference": data["case_reference"],
                "team": data["team"], "key_worker": data["key_worker"],
                "opened_on": data["opened_on"],
                "people": [{key: row.cleaned_data[key] for key in PERSON_FIELDS}
                           for row in self.people if row.filled]}

    def errors(self) -> list[dict]:
        return error_summary(self.family, *self.people)


def _rows(data) -> int:
    """How many person rows the page had (a hidden field), kept within reason."""
    try:
        return min(max(int(data.get("rows", ROWS)), 1), MAX_ROWS) if data is not None else ROWS
    except (TypeError, ValueError):
        return ROWS


PLACEMENT_LABELS = {"team": "Team", "key_worker": "Key worker"}


class TransferForm(versions.VersionedForm, PlacementForm):
    """Another key worker, or another team: the placement it was opened with is carried as
    names (casework.actions.placement), so that a conflict says who and where in words."""

    def mine(self) -> dict:
        data = self.cleaned_data
        return {"team": str(data["team"]), "key_worker": str(data["key_worker"] or "")}

    def after_conflict(self, conflict: versions.EditConflict,
                       labels: dict[str, str]) -> tuple[list[dict], "TransferForm"]:
        """What a colleague changed, and the form again: this person's choice where they made
        one, the family's placement now where they did not."""
        opened, mine = self.cleaned_data["version"], self.mine()
        shown = versions.merged(conflict, opened, mine)
        team = next((t for t in self.teams.values() if t.name == shown["team"]), None)
        worker = next((u for u in self.groups.get(team.pk if team else None, [])
                       if str(u) == shown["key_worker"]), None)
        return self.redrawn(conflict, mine, labels, initial={
            "team": team and team.pk, "key_worker": worker and worker.pk},
            teams=list(self.teams.values()))


class FindFamilyForm(forms.Form):
    words = forms.CharField(max_length=100, error_messages={
        "required": "Enter a case reference or a family name, or part of one"})


class CorrectionForm(versions.VersionedForm):
    face = forms.CharField(required=False)
    reason = forms.CharField(max_length=500,
                             error_messages={"required": "Give the reason for the correction"})

    def __init__(self, *args, administration: Administration, **kwargs):
        super().__init__(*args, **kwargs)
        self.administration = administration
        self.fields["version"].initial = versions.stamp(
            {**administration.items(), "face": administration.face})
        self.measure = measures.get(administration.measure)
        self.words = labels_for([self.measure])[self.measure.code]
        if self.measure.kind == "lines":
            for item in self.measure.items:
                # Not required here: an empty box is reported with the line's name, as on the
                # record form.
                self.fields[item.key] = forms.CharField(
                    required=False, max_length=6, initial=f"{getattr(administration, item.key)}")
        else:
            self.fields["face"].initial = administration.face

    def clean(self):
        cleaned = super().clean()
        if self.measure.kind == "lines":
            raw = {item.key: cleaned.get(item.key, "") for item in self.measure.items}
            check_items(self, self.measure, self.words, raw, cleaned, "")
        else:
            try:
                cleaned["face"] = measures.validate_face(self.measure, cleaned.get("face"))
            except measures.ScoreError:
                self.add_error("face", "Select the face chosen")
        return cleaned

    def items(self) -> dict[str, Decimal]:
        if self.measure.kind != "lines":
            return {}
        return {item.key: self.cleaned_data[item.key] for item in self.measure.items}

    def marks(self) -> dict:
        """Every value the record holds, as this form would leave it."""
        return {**dict.fromkeys(Administration.ITEMS), **self.items(),
                "face": self.cleaned_data.get("face", "") if self.measure.kind == "faces"
                else ""}


class AcknowledgeForm(forms.Form):
    code = forms.ChoiceField(choices=[(c.value, c.value) for c in measures.AlertCode])
    fired_on = forms.DateField()
    note = forms.CharField(max_length=2000, error_messages={
        "required": "Say what you did or will do about this alert"})

    def note_id(self, person: Person) -> str:
        """The note box this form's alert has on the family page, for the error summary."""
        return f"note-{person.pk}-{self['code'].value()}"


class CloseSupportForm(forms.Form):
    closed_on = DatePartsField(subject="The closing date")
    note = forms.CharField(required=False, max_length=2000)


class ReopenSupportForm(forms.Form):
    opened_on = DatePartsField(subject="The date support starts again")


class TeamForm(forms.Form):
    name = forms.CharField(max_length=100, error_messages={
        "required": "Enter the team's name",
        "max_length": "The team's name must be 100 characters or fewer"})


class RenameTeamForm(versions.VersionedForm, TeamForm):
    pass


class ManagersForm(forms.Form):
    managers = RecordsField(
        queryset=User.objects.none(), required=False,
        error_messages={"invalid_choice": "Choose managers from the list",
                        "invalid_pk_value": "Choose managers from the list"})

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].queryset = choices


class MakeLinkForm(forms.Form):
    """Whose self-completion link to make: someone at the session who has not yet rated."""

    person = forms.TypedChoiceField(coerce=int, error_messages={
        "required": "Select who the link is for",
        "invalid_choice": "Select someone listed: they may have given their rating since"})
    tool = forms.ChoiceField(choices=Administration.Tool.choices, initial="SRS", required=False)

    def __init__(self, *args, people: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["person"].choices = [(p.pk, p.first_name) for p in people]

    def chosen(self) -> tuple[Person, str]:
        data = self.cleaned_data
        return self.people[data["person"]], data["tool"] or Administration.Tool.SRS


# A UK mobile number as people write it: 07700 900982, +44 7700 900982, 0044 (0)7700-900982.
_UK_MOBILE = re.compile(r"(?:(?:\+|00)?440?|0)(7\d{9})")


def uk_mobile(typed: str) -> str:
    """The number in the international form Notify takes (+447700900982), or ValidationError."""
    compact = re.sub(r"[\s().-]", "", typed)
    found = _UK_MOBILE.fullmatch(compact)
    if found is None:
        raise ValidationError("Enter a UK mobile number, like 07700 900 982", code="not_mobile")
    return f"+44{found.group(1)}"


class SendLinkForm(forms.Form):
    """Send a link by text message or email. `link` is the link's own token, carried by the page
    that shows it (it is stored nowhere else); `send_token` is this form's, so the button pressed
    twice sends once. The number and address are used for the send and never stored."""

    link = forms.CharField(widget=forms.HiddenInput, max_length=100)
    send_token = forms.UUIDField(widget=forms.HiddenInput)
    how = forms.ChoiceField(choices=[("sms", "Text message"), ("email", "Email")],
                            error_messages={"required": "Select text message or email"})
    phone = forms.CharField(required=False, max_length=40)
    email = forms.EmailField(required=False, max_length=254, error_messages={
        "invalid": "Enter an email address in the correct format, like name@example.com"})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("how") == "sms":
            if not cleaned.get("phone", "").strip():
                self.add_error("phone", "Enter the mobile number to send the link to")
            else:
                try:
                    cleaned["phone"] = uk_mobile(cleaned["phone"])
                except ValidationError as error:
                    self.add_error("phone", error)
        elif cleaned.get("how") == "email" and not cleaned.get("email") and (
                "email" not in self.errors):
            self.add_error("email", "Enter the email address to send the link to")
        return cleaned

    @classmethod
    def for_link(cls, token: str) -> "SendLinkForm":
        """The form as first drawn beside a new link, with a token of its own."""
        return cls(initial={"link": token, "send_token": uuid.uuid4(), "how": "sms"})

    def sent(self) -> dict:
        """What casework.actions.send_feedback_link takes, once valid (with the url)."""
        data = self.cleaned_data
        return {"how": data["how"], "send_token": data["send_token"],
                "to": data["phone"] if data["how"] == "sms" else data["email"]}


class SessionsPageForm(forms.Form):
    """Which page of the family's sessions to show. Anything it cannot read is ignored (the
    newest sessions are shown), never an error page."""

    page = forms.IntegerField(required=False, min_value=1)

    def page_number(self) -> int | None:
        return self.cleaned_data["page"] if self.is_valid() else None


class TrailFilterForm(forms.Form):
    """The record of access's filter: one person of the family, or everyone. Anything it cannot
    read (a person of another family, a page past the end) is ignored, never an error page."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False,
                                    empty_label="Everyone in the family")
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data, *, family):
        super().__init__(data)
        self.fields["person"].queryset = family.people.order_by("first_name", "last_name")

    def filters(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields
                if name not in self.errors}
