"""What people type to reset a forgotten password, with plain-English messages."""

import logging

from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from familyfeedback.lib.mail import open_connection

log = logging.getLogger(__name__)


class ResetRequestForm(PasswordResetForm):
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


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages = {**self.error_messages,
                               "password_mismatch": "The two passwords are not the same"}
