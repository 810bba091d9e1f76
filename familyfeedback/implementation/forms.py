"""Forms of the manager's pages that are more than a few fields. Django forms are the only
validation layer: they also refuse the null characters PostgreSQL cannot store."""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms

from familyfeedback.accounts.models import User
from familyfeedback.implementation.models import REASON_LENGTH
from familyfeedback.lib import versions
from familyfeedback.lib.dateinput import DatePartsField


class SupervisionNoteForm(forms.Form):
    note = forms.CharField(max_length=5000, widget=forms.Textarea, error_messages={
        "required": "Write the note",
        "max_length": "The note must be 5,000 characters or fewer"})


class AttendanceForm(versions.VersionedForm):
    """The register: for each practitioner, attended or absent (with an optional reason); a
    practitioner left unmarked keeps any earlier mark."""

    def __init__(self, *args, staff: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        for user in staff:
            self.fields[f"u{user.pk}"] = forms.ChoiceField(
                required=False, choices=[("yes", "Attended"), ("no", "Absent")],
                error_messages={"invalid_choice":
                                f"Choose attended or absent for {user.full_name}"})
            self.fields[f"u{user.pk}-reason"] = forms.CharField(
                required=False, max_length=REASON_LENGTH, error_messages={
                    "max_length": f"The reason for {user.full_name} must be {REASON_LENGTH} "
                                  "characters or fewer"})

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.marks():
            raise forms.ValidationError("Mark at least one person as attended or absent")
        return cleaned

    def typed(self) -> dict[str, str]:
        """Every mark as the page sends it, marked or not."""
        return {key: self.cleaned_data.get(key, "") for key in self.fields if key != "version"}

    def marks(self) -> dict[User, tuple[bool, str]]:
        return {user: (self.cleaned_data[f"u{user.pk}"] == "yes",
                       self.cleaned_data[f"u{user.pk}-reason"])
                for user in self.staff if self.cleaned_data.get(f"u{user.pk}")}


class PeriodForm(forms.Form):
    start = DatePartsField(subject="The start date", required=False)
    end = DatePartsField(subject="The end date", required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned


def default_period(today: date) -> tuple[date, date]:
    """The last six whole months and this one so far."""
    first = today.replace(day=1)
    for _ in range(6):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today


@dataclass
class Period:
    form: PeriodForm
    start: date
    end: date
    # The query the download links carry: the period shown (the default one when the typed is
    # wrong).
    query: str


def period_asked(query, today: date) -> Period:
    """The dashboards' period from the page's query: the one asked for, or the default one when
    none is asked for or it is wrong (the form then carries the message and what was typed)."""
    start, end = default_period(today)
    form = PeriodForm(query if "start-year" in query else None,
                      initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return Period(form, start, end,
                  query="" if form.errors else query.urlencode())
