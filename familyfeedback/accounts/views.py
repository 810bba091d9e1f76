from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from familyfeedback.accounts import throttle, two_factor
from familyfeedback.accounts.access import audit_entries_for, bulk_view_alerts_for
from familyfeedback.accounts.forms import AuditFilterForm
from familyfeedback.lib.errors import error_summary

# How many alerts of unusual viewing, newest first, the audit log page shows above the log.
ALERTS_SHOWN = 10


def attempted_email(request, credentials) -> str:
    """The email a sign-in attempt was for, as django-axes counts failures: normalised the way the
    form normalises it, so "Pat@" and "pat@" are one account's attempts."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    # No email is longer than 254 characters, and django-axes keeps at most 255: anything longer
    # is not an account, and must not become a database error on PostgreSQL.
    return raw.strip().lower()[:254]


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been switched off. Ask your administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean_username(self):
        # Emails are stored in lower case; people type them however their phone capitalises them.
        email = self.cleaned_data["username"].strip().lower()
        # Lower case can be longer ("İ" is two characters): then it is no account's address, and
        # too long for the record of the attempt.
        if len(email) > self.username_field.max_length:
            raise ValidationError("Enter a correct email address and password", code="too_long")
        return email

    def clean(self):
        # Before the password is checked, so a try made too soon tells nothing and counts for
        # nothing.
        email = self.cleaned_data.get("username")
        if email and (wait := throttle.account_wait(email)):
            raise ValidationError(
                "There have been too many wrong passwords for this email address. Wait "
                f"{throttle.wait_text(wait)} and try again, or reset your password",
                code="slowed")
        return super().clean()


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["errors"] = [
            {**item, "href": "#username"} if item["href"] == "#main-content" else item
            for item in error_summary(form)
        ]
        context["single_sign_on"] = settings.SINGLE_SIGN_ON
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        two_factor.forget_failures_once_signed_in(self.request)
        return response

    def form_invalid(self, form):
        slowed = form.has_error("__all__", "slowed")
        return self.render_to_response(self.get_context_data(form=form),
                                       status=429 if slowed else 200)


@login_not_required
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = audit_entries_for(request.user)
    filters = AuditFilterForm(request.GET).filters()
    actor = filters.get("actor")
    if actor is not None:
        entries = entries.filter(actor=actor)
    page = Paginator(entries, 50).get_page(filters.get("page"))
    return render(request, "accounts/audit_log.html", {
        "page": page, "actor": actor, "others": f"actor={actor.pk}&" if actor else "",
        "alerts": bulk_view_alerts_for(request.user)[:ALERTS_SHOWN],
        "limit": settings.BULK_VIEW_FAMILIES, "minutes": settings.BULK_VIEW_MINUTES,
        "sent_to": settings.DATA_PROTECTION_EMAIL})
