"""The forms evaluators and practitioners fill in on the evaluation pages. Django forms are the only
validation layer for what people type (they also refuse the null characters PostgreSQL cannot
store); rules about the trial itself (one name, one code, randomised once) stay in
evaluation.actions so that a page and a command can never disagree."""

import math

from django import forms
from django.utils import timezone

from familyfeedback.evaluation import refi_qda, texts
from familyfeedback.evaluation.actions import teams_values
from familyfeedback.evaluation.models import (
    ARM_CHOICES,
    CONSENT_ACTIVITIES,
    TRIAL_NAME_LENGTH,
    UNIT_CODE_LENGTH,
    WAVES,
    Question,
    ResearchQuestion,
)
from familyfeedback.evaluation.randomisation import METHODS
from familyfeedback.lib import versions
from familyfeedback.lib.dateinput import DatePartsField
from familyfeedback.measures.surveys import SurveyMeasure


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class TrialForm(forms.Form):
    name = forms.CharField(max_length=TRIAL_NAME_LENGTH, error_messages={
        "required": "Enter a name for the trial",
        "max_length": f"The name must be {TRIAL_NAME_LENGTH} characters or fewer"})
    protocol_note = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)


class ResearchQuestionForm(versions.VersionedForm):
    text = forms.CharField(max_length=2000, widget=forms.Textarea,
                           error_messages={"required": "Enter the research question"})
    methods = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)

    def clean_methods(self) -> list[str]:
        return lines(self.cleaned_data["methods"])

    def shown(self) -> dict[str, str]:
        """What this person typed, as the page shows it again: the methods one a line."""
        return {**self.typed(), "methods": "\n".join(self.cleaned_data["methods"])}


class QuestionForm(forms.Form):
    question_id = forms.CharField(max_length=60, required=False)
    wave = forms.ChoiceField(choices=WAVES, error_messages={
        "required": "Choose the wave the question is asked in",
        "invalid_choice": "Choose the wave the question is asked in"})
    text = forms.CharField(max_length=2000, required=False)
    kind = forms.ChoiceField(choices=Question.KINDS, error_messages={
        "required": "Choose the kind of answer",
        "invalid_choice": "Choose the kind of answer"})
    options = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)

    def clean_options(self) -> list[str]:
        return lines(self.cleaned_data["options"])


class TeamsForm(versions.VersionedForm):
    """The service's teams in the trial, each with an optional unit label (a field per team)."""

    teams = forms.MultipleChoiceField(choices=(), required=False, error_messages={
        "invalid_choice": "Choose the teams from the list"})

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_teams = {str(t.pk): t for t in teams}
        self.fields["teams"].choices = [(pk, t.name) for pk, t in self.service_teams.items()]
        for pk, team in self.service_teams.items():
            self.fields[f"unit-{pk}"] = forms.CharField(
                required=False, max_length=UNIT_CODE_LENGTH, error_messages={
                    "max_length": f"The unit for {team.name} must be {UNIT_CODE_LENGTH} "
                                  "characters or fewer"})

    def units(self) -> dict:
        """Each chosen team and its unit label."""
        return {self.service_teams[pk]: self.cleaned_data[f"unit-{pk}"]
                for pk in self.cleaned_data["teams"]}

    def after_conflict(self, conflict: versions.EditConflict,
                       labels: dict[str, str]) -> tuple[list[dict], "TeamsForm"]:
        """What `redrawn` gives any edit page, but the teams are compared by name and ticked by
        number: the ticks are this evaluator's if they changed the teams, else the colleague's,
        and a unit typed for a team the colleague does not have is kept too. Each team's unit
        is labelled by the team's name."""
        mine = teams_values(self.units())
        opened = self.cleaned_data["version"]
        ticked = (self.cleaned_data["teams"] if mine["teams"] != opened.get("teams") else
                  [key.removeprefix("unit-") for key in conflict.now if key != "teams"])
        labels = {**labels, **{f"unit-{pk}": f"Unit for {team.name}"
                               for pk, team in self.service_teams.items()}}
        return super().redrawn(conflict, mine, labels, initial={
            **{key: value for key, value in mine.items() if key not in conflict.now},
            "teams": ticked}, teams=list(self.service_teams.values()))


SEED_MESSAGE = "The seed must be a whole number from 0 to 9223372036854775807"
RATIO_MESSAGE = "The ratio must be two whole numbers like 1:1 or 2:1"


class SurveyLinkForm(forms.Form):
    """Which button was pressed beside a practitioner's personal link."""

    _choose = "Choose whether to send a new link or revoke the link"
    what = forms.ChoiceField(choices=[("reissue", "Send a new link"), ("revoke", "Revoke")],
                             error_messages={"required": _choose, "invalid_choice": _choose})


class RandomiseForm(forms.Form):
    method = forms.ChoiceField(choices=[(m, m) for m in METHODS], error_messages={
        "required": "Choose the method", "invalid_choice": "Choose the method"})
    # The allocation's seed is a 64-bit column.
    seed = forms.IntegerField(min_value=0, max_value=2**63 - 1, error_messages=dict.fromkeys(
        ("required", "invalid", "min_value", "max_value"), SEED_MESSAGE))
    # Left out: one to one.
    ratio = forms.RegexField(regex=r"^\s*[1-9]\d?\s*:\s*[1-9]\d?\s*$", required=False,
                             error_messages={"invalid": RATIO_MESSAGE})

    def clean_ratio(self) -> tuple[int, int]:
        first, second = (self.cleaned_data["ratio"] or "1:1").split(":")
        return int(first), int(second)


def _bounded(kind, low, high, default, message: str) -> forms.Field:
    """A number with bounds, one message for every way it can be wrong (FloatField already
    refuses NaN and infinities as invalid)."""
    field = (forms.IntegerField if kind is int else forms.FloatField)(
        required=False, min_value=low, max_value=high,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), message))
    field.default = default
    return field


class PowerForm(forms.Form):
    """What the power page works from; a box left empty takes the pilot's value."""

    clusters = _bounded(int, 2, 1000, 10, "Enter the clusters in each arm as a whole number "
                                          "from 2 to 1000")
    per_cluster = _bounded(int, 1, 1000, 10, "Enter the practitioners in each cluster as a "
                                             "whole number from 1 to 1000")
    icc = _bounded(float, 0, 1, 0.05, "Enter an ICC from 0 to 1")
    alpha = _bounded(float, 0.001, 0.2, 0.05, "Enter an alpha from 0.001 to 0.2")
    power = _bounded(float, 0.5, 0.99, 0.8, "Enter a power from 0.5 to 0.99")
    effect = _bounded(float, 0.01, 5, 0.5, "Enter an effect from 0.01 to 5 standard deviations")
    # Empty: the analysis is not adjusted for the baseline.
    correlation = _bounded(float, -0.99, 0.99, None, "Enter a baseline-endline correlation "
                                                     "from -0.99 to 0.99, or leave it empty")
    # A trial whose own estimates fill the empty boxes (its analysis page links here).
    trial = _bounded(int, 1, None, None, "Open the power page from a trial's analysis page to "
                                         "use its estimates")
    pilot: dict | None = None

    def start_from(self, pilot: dict) -> None:
        """Empty boxes take these values (a trial's estimates) instead of the defaults."""
        self.pilot = pilot

    def _default(self, name: str):
        return (self.pilot or {}).get(name, self.fields[name].default)

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) if self.cleaned_data.get(name) is not None
                else self._default(name) for name in self.fields}

    def shown(self) -> dict:
        """What each box shows: what was typed, or the value used."""
        return {name: self.data.get(name) or ("" if self._default(name) is None
                                              else self._default(name))
                for name in self.fields}


def _number(message: str):
    def check(value: str) -> None:
        try:
            number = float(value)
        except ValueError:
            raise forms.ValidationError(message) from None
        if not math.isfinite(number):
            raise forms.ValidationError(message)
    return check


class SurveyForm(forms.Form):
    """One wave's answers: every item of its measures and its own questions, each optional so a
    practitioner can stop and come back. Answers are kept as given, as text."""

    def __init__(self, *args, measures: list[SurveyMeasure], questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        for measure in measures:
            scale = [str(v) for v in range(measure.scale_min, measure.scale_max + 1)]
            message = (f"Answers to {measure.short_name} are from {measure.scale_min} to "
                       f"{measure.scale_max}")
            for item in measure.items:
                self.fields[item.key] = forms.ChoiceField(
                    required=False, choices=[(v, v) for v in scale],
                    error_messages={"invalid_choice": message})
        for question in questions:
            if question.kind in ("likert", "choice"):
                field = forms.ChoiceField(
                    required=False, choices=[(o, o) for o in question.options],
                    error_messages={"invalid_choice":
                                    f"Choose one of the answers to “{question.text}”"})
            elif question.kind == "number":
                field = forms.CharField(required=False, max_length=50, validators=[
                    _number(f"“{question.text}” needs a number, like 7")])
            else:
                field = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
            self.fields[question.question_code] = field

    def answers(self) -> dict[str, str]:
        """The questions answered (a blank leaves any earlier answer alone)."""
        return {item: value for item, value in self.cleaned_data.items() if value}

    def typed(self) -> dict[str, str]:
        """What was sent for each question, as sent, to show again beside its message."""
        return {name: value for name in self.fields
                if (value := self[name].value()) and str(value).strip()}

    def saved_for_later(self) -> bool:
        """Which button was pressed: "Save and come back later", or "Send my answers"."""
        return self.data.get("action") == "later"

    def unanswered(self, given: dict[str, str]) -> int:
        """How many questions would still have no answer, counting those `given` before."""
        answers = self.answers()
        return sum(1 for name in self.fields if name not in answers and name not in given)

    def to_confirm(self, given: dict[str, str]) -> int:
        """The questions left unanswered when "Send my answers" was pressed, the first time:
        the page asks once whether to send anyway (the page asking carries send_anyway)."""
        if self.data.get("action") != "submit" or self.data.get("send_anyway") == "yes":
            return 0
        return self.unanswered(given)


# Fieldwork ----------------------------------------------------------------------------------------

class OpenWaveForm(forms.Form):
    """A wave's dates, as it is opened (one form per wave on the trial page: its prefix is the
    wave's kind). No opening date: today. No closing date: open until the evaluator closes it."""

    opens_on = DatePartsField(subject="The opening date", required=False)
    closes_on = DatePartsField(subject="The closing date", required=False)

    def clean(self):
        opens, closes = self.cleaned_data.get("opens_on"), self.cleaned_data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date must be on or after the opening date")
        return self.cleaned_data


# The statements of the pilot's consent form, one tick box each, in its order.
CONSENT_STATEMENTS = {
    "surveys": "I agree to answer the practitioner surveys",
    "interview": "I agree to be interviewed, and for the interview to be recorded and written up",
    "observation": "I agree to sessions or meetings I take part in being observed",
    "admin_data": "I agree to the evaluators using the records of my work with families "
                  "(ORS and SRS records and training), pseudonymised",
}
assert set(CONSENT_STATEMENTS) == {code for code, _ in CONSENT_ACTIVITIES}


def _not_in_future(subject: str):
    def check(value) -> None:
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(f"{subject} must be today or in the past")
    return check


class ConsentForm(forms.Form):
    """A practitioner's consent form, as they signed it: each statement they ticked, the date
    and the information sheet's version."""

    activities = forms.MultipleChoiceField(
        choices=list(CONSENT_STATEMENTS.items()),
        error_messages={"required": "Tick each statement the practitioner agreed to",
                        "invalid_choice": "Tick the statements from the list"})
    given_on = DatePartsField(subject="The date consent was given",
                              validators=[_not_in_future("The date consent was given")])
    information_sheet_version = forms.CharField(max_length=40, error_messages={
        "required": "Enter the version of the information sheet they were given, like 2.1",
        "max_length": "The version must be 40 characters or fewer"})


class WithdrawalForm(forms.Form):
    activities = forms.MultipleChoiceField(
        choices=CONSENT_ACTIVITIES,
        error_messages={"required": "Choose what the practitioner withdrew from",
                        "invalid_choice": "Choose what the practitioner withdrew from"})
    withdrawn_on = DatePartsField(subject="The date of withdrawal",
                                  validators=[_not_in_future("The date of withdrawal")])


class RetentionForm(forms.Form):
    retention_date = DatePartsField(subject="The retention date", required=False)
    # The date the page showed, so that a colleague's change since is not overwritten.
    was = forms.CharField(required=False, widget=forms.HiddenInput, max_length=10)



class RefiQdaForm(forms.Form):
    """A REFI-QDA codebook (.qdc) or project (.qdpx) from a qualitative tool: read and checked
    against the standard here, so that the page says what is wrong with it before anything is
    stored. `cleaned_data["file"]` is what the file brings (a refi_qda.Exchange)."""

    file = forms.FileField(error_messages={
        "required": "Choose a REFI-QDA codebook (.qdc) or project (.qdpx) to import",
        "invalid": "Choose a REFI-QDA codebook (.qdc) or project (.qdpx) to import",
        "empty": "The file chosen is empty"})

    def clean_file(self) -> refi_qda.Exchange:
        upload = self.cleaned_data["file"]
        if upload.size > refi_qda.MAX_FILE:
            raise forms.ValidationError(f"The file is larger than {refi_qda.MAX_FILE // 2**20} "
                                        "MB, more than Family Feedback takes")
        try:
            return refi_qda.read_file(upload.name, upload.read())
        except refi_qda.RefiQdaError as error:
            raise forms.ValidationError(str(error)) from None

# The framework matrix (issue 12).
class MatrixFilterForm(forms.Form):
    """Which part of the framework matrix to show (and download): the themes of one research
    question, the participants of one arm and one role. Each left at "All" filters nothing."""

    question = forms.ChoiceField(required=False, error_messages={
        "invalid_choice": "Choose a research question from the list"})
    arm = forms.ChoiceField(required=False, choices=[("", "All arms"), *ARM_CHOICES],
                            error_messages={"invalid_choice": "Choose an arm from the list"})
    role = forms.ChoiceField(required=False, error_messages={
        "invalid_choice": "Choose a role from the list"})

    def __init__(self, *args, questions: list[ResearchQuestion],
                 roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {q.number: q for q in questions}
        self.fields["question"].choices = [("", "All research questions"), *[
            (q.number, f"{q.number} {q.dimension}") for q in questions]]
        self.fields["role"].choices = [("", "All roles"), *roles]

    def filters(self) -> dict:
        """The filters asked for: the research question (or None), the arm and the role ("" for
        all)."""
        return {"question": self.questions.get(self.cleaned_data["question"]),
                "arm": self.cleaned_data["arm"], "role": self.cleaned_data["role"]}


MATRIX_SUMMARY_LENGTH = 10_000


class MatrixCellForm(versions.VersionedForm):
    """An evaluator's summary of what one participant said on one theme; left empty, the cell
    has none."""

    summary = forms.CharField(required=False, max_length=MATRIX_SUMMARY_LENGTH,
                              widget=forms.Textarea, error_messages={
                                  "max_length": "The summary must be "
                                                f"{MATRIX_SUMMARY_LENGTH:,} characters or fewer"})

# Qualitative work.
def _choose(message: str) -> dict:
    return {"required": message, "invalid_choice": message}


class DocumentForm(forms.Form):
    """An uploaded interview transcript or observation notes, read into its text here."""

    kind = forms.ChoiceField(choices=[("interview", "Interview transcript"),
                                      ("observation", "Observation notes")],
                             error_messages=_choose("Choose an interview or observation notes"))
    title = forms.CharField(max_length=200, error_messages={
        "required": "Enter a title for the document",
        "max_length": "The title must be 200 characters or fewer"})
    participant = forms.TypedChoiceField(coerce=int, required=False, choices=(),
                                         error_messages=_choose("Choose the participant"))
    team = forms.TypedChoiceField(coerce=int, required=False, choices=(),
                                  error_messages=_choose("Choose the team observed"))
    file = forms.FileField(error_messages={
        "required": "Choose the file to upload", "empty": "The file is empty",
        "invalid": "Choose the file to upload"})

    def __init__(self, *args, participants, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = {p.pk: p for p in participants}
        self.teams = {t.pk: t for t in teams}
        self.fields["participant"].choices = [("", "")] + [(pk, pk) for pk in self.participants]
        self.fields["team"].choices = [("", "")] + [(pk, pk) for pk in self.teams]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > texts.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {texts.MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        return upload

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == "interview" and not cleaned.get("participant"):
            self.add_error("participant", "Choose the participant interviewed")
        if kind == "observation" and not cleaned.get("team"):
            self.add_error("team", "Choose the team observed")
        if cleaned.get("file"):
            try:
                cleaned["text"] = texts.read_upload(cleaned["file"].name, cleaned["file"].read())
            except forms.ValidationError as error:
                self.add_error("file", error)
        return cleaned

    def document(self) -> dict:
        """The add_document action's keywords."""
        data = self.cleaned_data
        return {"kind": data["kind"], "title": data["title"], "text": data["text"],
                "participant": self.participants.get(data.get("participant")),
                "team": self.teams.get(data.get("team")), "file_name": data["file"].name}


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={
        "required": "Enter the theme's name",
        "max_length": "The name must be 120 characters or fewer"})
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
    parent = forms.TypedChoiceField(coerce=int, required=False, choices=(),
                                    error_messages=_choose("Choose a theme to put it under"))
    research_questions = forms.TypedMultipleChoiceField(
        coerce=int, required=False, choices=(),
        error_messages=_choose("Choose research questions from the list"))

    def __init__(self, *args, themes, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {t.pk: t for t in themes if t.parent_id is None}
        self.questions = {q.pk: q for q in questions}
        self.fields["parent"].choices = [("", "")] + [(pk, pk) for pk in self.themes]
        self.fields["research_questions"].choices = [(pk, pk) for pk in self.questions]

    def theme(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "description": data["description"],
                "parent": self.themes.get(data.get("parent")),
                "research_questions": [self.questions[pk] for pk in data["research_questions"]]}


class CodingForm(forms.Form):
    """Themes applied to a passage: a whole paragraph (the page without JavaScript), or the
    characters [start, end) of a selection (coding.js)."""

    themes = forms.TypedMultipleChoiceField(coerce=int, choices=(),
                                            error_messages=_choose("Choose at least one theme"))
    paragraph = forms.IntegerField(required=False, min_value=1, max_value=10**6,
                                   error_messages=dict.fromkeys(
                                       ("invalid", "min_value", "max_value"),
                                       "Choose a paragraph of the document"))
    start = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                               error_messages=dict.fromkeys(("invalid", "min_value", "max_value"),
                                                            "The passage is not in the document"))
    end = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                             error_messages=dict.fromkeys(("invalid", "min_value", "max_value"),
                                                          "The passage is not in the document"))

    def __init__(self, *args, themes, paragraphs, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_rows = {t.pk: t for t in themes}
        self.paragraphs = {p.number: p for p in paragraphs}
        self.fields["themes"].choices = [(pk, pk) for pk in self.theme_rows]

    def clean(self):
        cleaned = super().clean()
        number, start, end = (cleaned.get(k) for k in ("paragraph", "start", "end"))
        if start is not None and end is not None:
            cleaned["span"] = (start, end)
        elif number in self.paragraphs:
            cleaned["span"] = (self.paragraphs[number].start, self.paragraphs[number].end)
        elif not {"paragraph", "start", "end"} & set(self.errors):
            self.add_error("paragraph", "Choose a paragraph of the document")
        return cleaned

    def coding(self) -> dict:
        start, end = self.cleaned_data["span"]
        return {"themes": [self.theme_rows[pk] for pk in self.cleaned_data["themes"]],
                "start": start, "end": end}


class AgreementForm(forms.Form):
    """The two evaluators whose codings of a document are compared."""

    first = forms.TypedChoiceField(coerce=int, choices=(),
                                   error_messages=_choose("Choose the first evaluator"))
    second = forms.TypedChoiceField(coerce=int, choices=(),
                                    error_messages=_choose("Choose the second evaluator"))

    def __init__(self, *args, coders, **kwargs):
        super().__init__(*args, **kwargs)
        self.coders = {c.pk: c for c in coders}
        for name in ("first", "second"):
            self.fields[name].choices = [(pk, c.full_name or c.email)
                                         for pk, c in self.coders.items()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") is not None and cleaned.get("first") == cleaned.get("second"):
            self.add_error("second", "Choose two different evaluators")
        return cleaned

    def pair(self) -> tuple | None:
        """The two compared: those chosen, or the first two who coded the document."""
        if self.is_bound and self.is_valid():
            return self.coders[self.cleaned_data["first"]], self.coders[self.cleaned_data["second"]]
        coders = list(self.coders.values())
        return (coders[0], coders[1]) if len(coders) >= 2 and not self.is_bound else None


class ChangeThemeForm(versions.VersionedForm):
    name = forms.CharField(max_length=120, error_messages={
        "required": "Enter the theme's name",
        "max_length": "The name must be 120 characters or fewer"})
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
    research_questions = forms.MultipleChoiceField(
        required=False, choices=(),
        error_messages=_choose("Choose research questions from the list"))

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["research_questions"].choices = [(q.number, f"{q.number} {q.text}")
                                                     for q in questions]

    def clean_research_questions(self) -> list[str]:
        return sorted(self.cleaned_data["research_questions"])

    def after_conflict(self, conflict, labels):
        return self.redrawn(conflict, self.shown(), labels, questions=self.questions)

# The report: the evaluator's text under a research question (or the limitations) and the
# order of the quotes picked for it.
FINDING_LENGTH = 20_000
MOST_QUOTES = 99


class FindingForm(versions.VersionedForm):
    """`codings`: the passages the page offers to quote; each has a box for its place in the
    report (blank: not quoted). `record`: the finding as the page opened it."""

    text = forms.CharField(required=False, max_length=FINDING_LENGTH, widget=forms.Textarea,
                           error_messages={"max_length": f"The text must be {FINDING_LENGTH:,} "
                                                         "characters or fewer"})

    def __init__(self, *args, codings: list = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.codings = list(codings)
        for coding in self.codings:
            self.fields[f"quote_{coding.pk}"] = forms.IntegerField(
                required=False, min_value=1, max_value=MOST_QUOTES, error_messages={
                    "invalid": "Enter the quote's place as a number, like 1, or leave it blank",
                    "min_value": "Enter a place from 1, or leave it blank to leave it out",
                    "max_value": f"Enter a place up to {MOST_QUOTES}"})

    def quote_fields(self) -> list[tuple]:
        """(coding, its bound field) for each passage offered."""
        return [(coding, self[f"quote_{coding.pk}"]) for coding in self.codings]

    def typed(self) -> dict:
        """The text, and the quotes as the coding ids in their places ("12,7"), ties kept in
        the order the page lists them."""
        places = [(self.cleaned_data[f"quote_{c.pk}"], i, c.pk)
                  for i, c in enumerate(self.codings)
                  if self.cleaned_data.get(f"quote_{c.pk}") is not None]
        return {"text": self.cleaned_data["text"],
                "quotes": ",".join(str(pk) for _, _, pk in sorted(places))}

    def shown(self) -> dict:
        return {"text": self.cleaned_data["text"]}

    def after_conflict(self, conflict: versions.EditConflict,
                       labels: dict[str, str]) -> tuple[list[dict], "FindingForm"]:
        changed, form = self.redrawn(conflict, self.typed(), labels, codings=self.codings)
        form.initial.update(quote_places(form.initial["quotes"]))
        return changed, form


def quote_places(quotes: str) -> dict[str, int]:
    """The quote boxes' values for quotes given as "12,7": coding 12 first, 7 second."""
    return {f"quote_{pk}": place for place, pk in enumerate(filter(None, quotes.split(",")), 1)}
