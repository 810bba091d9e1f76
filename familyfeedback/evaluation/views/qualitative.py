"""Qualitative work: the trial's documents, its codebook, and coding a document's passages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from familyfeedback.evaluation import actions, presenters
from familyfeedback.evaluation.access import (
    get_coding_for,
    get_document_for,
    get_theme_for,
    get_trial_for,
)
from familyfeedback.evaluation.forms import (
    AgreementForm,
    ChangeThemeForm,
    CodingForm,
    DocumentForm,
    ThemeForm,
)
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.sent import Sent, saved


def _document_form(request: HttpRequest, trial) -> DocumentForm:
    posted = request.method == "POST"
    return DocumentForm(request.POST if posted else None, request.FILES if posted else None,
                        **presenters.document_choices(trial))


@require_http_methods(["GET", "HEAD", "POST"])
def documents(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    form = _document_form(request, trial)
    sent = Sent(form, lambda: actions.add_document(request.user, trial, **form.document()))
    if sent.done:
        return saved(request, "Document added", "document", trial_id=trial.pk,
                     document_id=sent.result.pk)
    return render(request, "evaluation/documents.html", {
        **presenters.documents_page(trial, sent.form), "errors": sent.errors})


def _coding_form(request: HttpRequest, document) -> CodingForm:
    return CodingForm(request.POST if request.method == "POST" else None,
                      **presenters.coding_choices(document))


@require_safe
def document(request: HttpRequest, trial_id: int, document_id: int) -> HttpResponse:
    document = get_document_for(request.user, trial_id, document_id)
    actions.log_view(request.user, "document.view", document)
    return render(request, "evaluation/document.html",
                  presenters.document_page(document, request.user, _coding_form(request, document)))


@require_POST
def code_passage(request: HttpRequest, trial_id: int, document_id: int) -> HttpResponse:
    document = get_document_for(request.user, trial_id, document_id)
    form = _coding_form(request, document)
    sent = Sent(form, lambda: actions.code_passage(request.user, document, **form.coding()))
    if sent.done:
        return saved(request, "Passage coded", "document", trial_id=trial_id,
                     document_id=document.pk)
    return render(request, "evaluation/document.html", {
        **presenters.document_page(document, request.user, sent.form), "errors": sent.errors})


@require_POST
def gather_open_text(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    messages.success(request, presenters.gathered_text(actions.gather_open_text(request.user,
                                                                                 trial)))
    return redirect("documents", trial_id=trial.pk)


@require_POST
def remove_coding(request: HttpRequest, trial_id: int, coding_id: int) -> HttpResponse:
    coding = get_coding_for(request.user, trial_id, coding_id)
    try:
        actions.remove_coding(request.user, coding)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Coding removed")
    return redirect("document", trial_id=trial_id, document_id=coding.document_id)


@require_http_methods(["GET", "HEAD", "POST"])
def codebook(request: HttpRequest, trial_id: int) -> HttpResponse:
    trial = get_trial_for(request.user, trial_id)
    form = ThemeForm(request.POST if request.method == "POST" else None,
                     **presenters.theme_choices(trial))
    sent = Sent(form, lambda: actions.add_theme(request.user, trial, **form.theme()),
                refused_on="name")
    if sent.done:
        return saved(request, f"Theme {sent.result.name} added", "codebook", trial_id=trial.pk)
    return render(request, "evaluation/codebook.html", {
        **presenters.codebook_page(trial, sent.form), "errors": sent.errors})


@require_safe
def agreement(request: HttpRequest, trial_id: int, document_id: int) -> HttpResponse:
    document = get_document_for(request.user, trial_id, document_id)
    form = AgreementForm(request.GET or None, **presenters.agreement_choices(document))
    return render(request, "evaluation/agreement.html", {
        **presenters.agreement_page(document, form), "errors": error_summary(form)})


THEME_LABELS = {"name": "Name", "description": "Description",
                "research_questions": "Research questions"}


@require_http_methods(["GET", "HEAD", "POST"])
def change_theme(request: HttpRequest, trial_id: int, theme_id: int) -> HttpResponse:
    theme = get_theme_for(request.user, trial_id, theme_id)
    form = ChangeThemeForm(request.POST if request.method == "POST" else None,
                           record=actions.theme_values(theme),
                           **presenters.theme_edit_choices(theme.trial))
    sent = Sent(form, lambda: actions.change_theme(request.user, theme, **form.edit()),
                refused_on="name", labels=THEME_LABELS)
    if sent.done:
        return saved(request, f"Theme {sent.result.name} saved", "codebook", trial_id=trial_id)
    return render(request, "evaluation/theme.html", {
        "trial": theme.trial, "theme": theme, "form": sent.form, "changed": sent.changed,
        "errors": sent.errors})
