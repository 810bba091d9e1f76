"""The forms evaluators and practitioners fill in on the evaluation pages. Django forms are the only
validation layer for what people type (they also refuse the null characters PostgreSQL cannot
store); rules about the trial itself (one name, one code, randomised once) stay in
evaluation.actions so that a page and a command can never disagree."""

import math

from django import forms

from familyfeedback.evaluation.actions import teams_values
from familyfeedback.evaluation.models import (
    TRIAL_NAME_LENGTH,
    UNIT_CODE_LENGTH,
    WAVES,
    Question,
)
from familyfeedback.evaluation.randomisation import METHODS
from familyfeedback.lib import versions
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

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) if self.cleaned_data.get(name) is not None
                else field.default for name, field in self.fields.items()}

    def shown(self) -> dict:
        """What each box shows: what was typed, or the value used."""
        return {name: self.data.get(name) or field.default for name, field in self.fields.items()}


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
