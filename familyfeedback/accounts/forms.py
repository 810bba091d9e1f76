"""What people type into the accounts pages: administrators about people, their roles and teams;
invited people a first password; anyone signing in their code; anyone who forgot their password
their email and a new one. Each is checked for its shape;
whether a code is right is for accounts.actions, since checking one uses it up."""

import logging
import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from familyfeedback.accounts import actions
from familyfeedback.accounts.models import Role, Team, User, describe_roles
from familyfeedback.lib import versions
from familyfeedback.lib.mail import open_connection
from familyfeedback.lib.record_choices import RecordsField

log = logging.getLogger(__name__)

ROLE_CHOICES = Role.choices


def _teams_field(required_message: str | None = None) -> RecordsField:
    return RecordsField(
        queryset=Team.objects.active(), required=required_message is not None,
        error_messages={"required": required_message or "",
                        "invalid_choice": "Choose teams from the list",
                        "invalid_pk_value": "Choose teams from the list"})


class InviteForm(forms.Form):
    full_name = forms.CharField(max_length=150, error_messages={
        "required": "Enter the person's full name",
        "max_length": "The name must be 150 characters or fewer"})
    email = forms.EmailField(error_messages={
        "required": "Enter the person's email address",
        "invalid": "Enter an email address in the correct format, like name@example.org"})
    roles = forms.MultipleChoiceField(choices=ROLE_CHOICES, error_messages={
        "required": "Choose at least one role", "invalid_choice": "Choose roles from the list"})
    teams = _teams_field()
    manages = _teams_field()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        actions.check_email_is_new(email)
        return email


class PeopleFilterForm(forms.Form):
    """The people list's search; anything it cannot read is ignored, never an error page."""

    q = forms.CharField(required=False, max_length=100)
    team = forms.ModelChoiceField(queryset=Team.objects.active(), required=False,
                                  empty_label="Any team")
    role = forms.ChoiceField(choices=[("", "Any role"), *ROLE_CHOICES], required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def filters(self) -> dict:
        if self.is_valid():
            return self.cleaned_data
        return {name: self.cleaned_data.get(name) for name in self.fields
                if name not in self.errors}


class AuditFilterForm(forms.Form):
    """The audit log's filter: one person's entries (the link in a bulk-viewing alert). Anything
    it cannot read is ignored, never an error page."""

    actor = forms.ModelChoiceField(queryset=User.objects.all(), required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def filters(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields
                if name not in self.errors}


class RolesForm(versions.VersionedForm):
    """A person's roles. They travel in the page's version as their values, comma-separated
    (actions.roles_version), and are shown in words after a conflict."""

    roles = forms.MultipleChoiceField(choices=ROLE_CHOICES, error_messages={
        "required": "Choose at least one role", "invalid_choice": "Choose roles from the list"})

    @classmethod
    def of(cls, person: User, data=None) -> "RolesForm":
        return cls(data, record=actions.roles_version(person),
                   initial={"roles": sorted(person.roles)})

    def shown(self) -> dict:
        return {"roles": ",".join(sorted(self.cleaned_data["roles"]))}

    def after_conflict(self, conflict: versions.EditConflict,
                       labels: dict[str, str]) -> tuple[list[dict], "RolesForm"]:
        changed, form = super().after_conflict(conflict, labels)
        form.initial["roles"] = form.initial["roles"].split(",")
        for row in changed:
            for key in ("then", "now", "mine"):
                if row[key] not in (None, "blank"):
                    row[key] = describe_roles(row[key].split(","))
        return changed, form


class JoinTeamForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.active(), empty_label="Choose a team",
                                  error_messages={
        "required": "Choose a team", "invalid_choice": "Choose a team from the list"})
    manages = forms.BooleanField(required=False)


class MoveTeamForm(forms.Form):
    to = forms.ModelChoiceField(queryset=Team.objects.active(), empty_label="Choose a team",
                                error_messages={
        "required": "Choose the team they are moving to",
        "invalid_choice": "Choose a team from the list"})


class SetPasswordForm(forms.Form):
    password = forms.CharField(strip=False, error_messages={"required": "Enter a password"})
    confirm = forms.CharField(strip=False, error_messages={
        "required": "Enter the password again"})

    def __init__(self, person: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, self.person)
        return password

    def clean(self):
        cleaned = super().clean()
        if "password" in cleaned and cleaned.get("confirm") not in (None, cleaned["password"]):
            self.add_error("confirm", ValidationError("The passwords do not match: enter the "
                                                      "same password twice", code="mismatch"))
        return cleaned


class CodeForm(forms.Form):
    """The six digits an authenticator app shows, which people type with spaces as apps show."""

    code = forms.CharField(error_messages={
        "required": "Enter the 6-digit code from your authenticator app"})

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("The code is 6 digits, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(error_messages={"required": "Enter one of your recovery codes"})

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        if not re.fullmatch(r"[a-z2-7]{12}", code):
            raise forms.ValidationError(
                "A recovery code is 12 letters and numbers, like abcd-efgh-2345")
        return code


class ResetRequestForm(auth_forms.PasswordResetForm):
    """Django's own reset form, its email sent through the service's mail connection."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update({
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        })

    def save(self, **kwargs) -> None:
        # Opened for every request, with an account behind the address or not: a mail server
        # that cannot be reached is then the same message for everyone, and tells nobody
        # whether an address has an account. Raises MailServerUnreachable.
        with open_connection() as self.connection:
            super().save(**kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        try:
            EmailMessage(subject, body, from_email, [to_email],
                         connection=self.connection).send()
        except OSError:
            # An address the server refused: saying so would say the account exists.
            log.warning("Could not send a password reset email to user %s", context["user"].pk)


class NewPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages = {**self.error_messages,
                               "password_mismatch": "The two passwords are not the same"}
