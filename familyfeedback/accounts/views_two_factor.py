"""The sign-in pages after the password: set up an authenticator app, see the recovery codes
once, give a code (or a recovery code); and the page for a single sign-on this service refuses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.accounts import actions, two_factor
from familyfeedback.accounts.access import (
    authenticator_for,
    enrolling,
    recovery_codes_for,
    recovery_codes_to_show,
    single_sign_on,
)
from familyfeedback.accounts.forms import CodeForm, RecoveryCodeForm
from familyfeedback.lib.sent import Sent


@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    person = enrolling(request)
    device = actions.begin_enrolment(person)
    form = CodeForm(request.POST or None)
    sent = Sent(form, lambda: actions.confirm_enrolment(person, device, form.cleaned_data["code"]),
                refused_on="code")
    if sent.done:
        two_factor.passed_now(request, device)
        request.session[two_factor.NEW_CODES_SESSION_KEY] = sent.result
        return redirect(f"{reverse('recovery_codes')}?{request.GET.urlencode()}")
    return render(request, "accounts/enrol_two_factor.html", {
        "form": form, "secret": two_factor.spaced_secret(device.bin_key),
        "qr": two_factor.qr_svg(device.config_url), "title": "Set up your authenticator app",
    })


@require_safe
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = recovery_codes_to_show(request)
    return render(request, "accounts/recovery_codes.html", {
        "codes": codes, "onward": two_factor.onward(request), "title": "Your recovery codes",
    })


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    device = authenticator_for(request)
    form = CodeForm(request.POST or None)
    if Sent(form, lambda: actions.check_code(device, form.cleaned_data["code"]),
            refused_on="code").done:
        two_factor.passed_now(request, device)
        return redirect(two_factor.onward(request))
    return render(request, "accounts/verify_code.html", {
        "form": form, "title": "Enter the code from your authenticator app",
        "query": request.GET.urlencode(),
    })


@require_http_methods(["GET", "HEAD", "POST"])
def recovery_sign_in(request: HttpRequest) -> HttpResponse:
    device = recovery_codes_for(request)
    form = RecoveryCodeForm(request.POST or None)
    sent = Sent(form, lambda: actions.use_recovery_code(device, form.cleaned_data["code"]),
                refused_on="code")
    if sent.done:
        two_factor.passed_now(request, device)
        messages.info(request, f"You have {sent.result} recovery codes left. If you have lost "
                               "your phone, ask your administrator to reset your sign-in")
        return redirect(two_factor.onward(request))
    return render(request, "accounts/recovery_code_sign_in.html", {
        "form": form, "title": "Enter a recovery code", "query": request.GET.urlencode(),
    })


@login_not_required
@require_safe
def sso_refused(request: HttpRequest) -> HttpResponse:
    single_sign_on()
    return render(request, "accounts/sso_refused.html",
                  {"title": "Your council account cannot sign in here yet"})
