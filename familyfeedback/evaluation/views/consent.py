"""Practitioners' consent to each evaluation activity, and their withdrawals, as the evaluator
records them from the signed forms."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.evaluation import actions, presenters
from familyfeedback.evaluation.access import get_trial_for, get_trial_respondent_for
from familyfeedback.evaluation.forms import ConsentForm, WithdrawalForm
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.sent import Sent, saved


@require_safe
def consent(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    return render(request, "evaluation/consent.html", presenters.consent_page(trial))


def _sent(request, respondent, form, name: str, act, done: str) -> HttpResponse:
    """A consent form sent: `act()` done and back to the trial's consent, or the practitioner's
    page again with the form as sent and its messages."""
    sent = Sent(form, act, refused_on="activities")
    if sent.done:
        return saved(request, f"{done} for {respondent.practitioner_code}", "consent",
                     trial_id=respondent.trial_id)
    return render(request, "evaluation/practitioner_consent.html", {
        **presenters.practitioner_consent_page(respondent, **{name: sent.form}),
        "errors": error_summary(sent.form)})


@require_http_methods(["GET", "HEAD", "POST"])
def practitioner_consent(request: HttpRequest, trial_id: int, respondent_id: int) -> HttpResponse:
    respondent = get_trial_respondent_for(request.user, trial_id, respondent_id)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    return _sent(request, respondent, form, "consent_form", lambda: actions.record_consent(
        request.user, respondent, **form.cleaned_data), "Consent recorded")


@require_POST
def withdraw(request: HttpRequest, trial_id: int, respondent_id: int) -> HttpResponse:
    respondent = get_trial_respondent_for(request.user, trial_id, respondent_id)
    form = WithdrawalForm(request.POST, prefix="withdraw")
    return _sent(request, respondent, form, "withdrawal_form", lambda: actions.withdraw_consent(
        request.user, respondent, **form.cleaned_data), "Withdrawal recorded")
