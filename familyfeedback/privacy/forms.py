"""What an administrator types on the privacy pages, with plain-English messages."""

import re

from django import forms
from django.core.exceptions import ValidationError

from familyfeedback.casework.forms import EditPersonForm
from familyfeedback.lib import versions


class FindByReferenceForm(forms.Form):
    case_reference = forms.CharField(max_length=40, error_messages={
        "required": "Enter the family's case reference",
        "max_length": "A case reference is 40 characters or fewer"})

    def clean_case_reference(self):
        return self.cleaned_data["case_reference"].strip()


class LegalHoldForm(versions.VersionedForm):
    """Named as the family's field, so that after a conflict the reason typed is kept."""

    legal_hold_reason = forms.CharField(max_length=300, error_messages={
        "required": "Give the reason for the legal hold, for example the court case or the "
                    "complaint it is for",
        "max_length": "The reason must be 300 characters or fewer"})


class LiftHoldForm(versions.VersionedForm):
    pass


class ErasureForm(forms.Form):
    """The reason goes into the tombstone, which holds no personal data: so not the name of
    anyone in the family (`names`), nor the family's or a person's reference (`references`),
    which would lead back to them in the case system."""

    reason = forms.CharField(max_length=300, error_messages={
        "required": "Give the reason for the erasure, for example the request's reference",
        "max_length": "The reason must be 300 characters or fewer"})
    confirm = forms.BooleanField(error_messages={
        "required": "Confirm that the family's records are to be erased for good"})

    def __init__(self, *args, names: list[str], references: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.names = [name for name in names if len(name.strip()) > 1]
        self.references = [ref.strip().casefold() for ref in references if ref.strip()]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if any(re.search(rf"\b{re.escape(name.strip())}\b", reason, re.IGNORECASE)
               for name in self.names):
            raise ValidationError("The reason is kept after the records are gone, so it must not "
                                  "name anyone in the family: give the request's reference "
                                  "instead", code="names_someone")
        if any(ref in reason.casefold() for ref in self.references):
            raise ValidationError("The reason is kept after the records are gone, so it must not "
                                  "hold the family's case reference or a person's reference: "
                                  "give the request's reference instead", code="has_reference")
        return reason


class RectifyPersonForm(EditPersonForm):
    """Casework's form of a person's details, and why they are being corrected."""

    reason = forms.CharField(max_length=300, error_messages={
        "required": "Give the reason for the correction, for example the request's reference",
        "max_length": "The reason must be 300 characters or fewer"})

    def after_conflict(self, conflict, labels):
        return self.redrawn(conflict, self.shown(), labels,
                            initial={"reason": self.cleaned_data["reason"]})
