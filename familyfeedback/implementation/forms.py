"""Forms of the manager's pages that are more than a few fields. Django forms are the only
validation layer: they also refuse the null characters PostgreSQL cannot store."""

from django import forms

from familyfeedback.accounts.models import User
from familyfeedback.implementation.models import REASON_LENGTH
from familyfeedback.lib import versions


class SupervisionNoteForm(forms.Form):
    note = forms.CharField(max_length=5000, widget=forms.Textarea, error_messages={
        "required": "Write the note",
        "max_length": "The note must be 5,000 characters or fewer"})


class AttendanceForm(forms.Form):
    """The register: for each practitioner, attended or absent (with an optional reason); a
    practitioner left unmarked keeps any earlier mark."""

    version = versions.VersionField()

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
