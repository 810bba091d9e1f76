"""A forgotten password: Django's own reset views on the service's pages. The link in the email
works once and for settings.PASSWORD_RESET_TIMEOUT; the pages never say whether an address has
an account."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from familyfeedback.accounts import actions
from familyfeedback.accounts.forms import NewPasswordForm, ResetRequestForm
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.mail import MailServerUnreachable


def _minutes() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 60


class _ResetPage:
    """What every page of the reset tells: how long a link lasts, and what was wrong."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        return {**context, "minutes": _minutes(),
                "errors": error_summary(form) if form is not None else []}


class RequestReset(_ResetPage, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "email/password_reset.txt"
    subject_template_name = "email/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL, "minutes": _minutes()}
        try:
            return super().form_valid(form)
        except MailServerUnreachable:
            form.add_error(None, "The service cannot send email just now. Try again later, or "
                                 "ask your administrator to reset your password")
            return self.form_invalid(form)


class ResetSent(_ResetPage, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class ChooseNewPassword(_ResetPage, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_choose.html"
    form_class = NewPasswordForm

    def form_valid(self, form):
        actions.reset_password(form.user, form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class ResetDone(_ResetPage, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"
