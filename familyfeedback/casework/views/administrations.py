from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.casework import actions
from familyfeedback.casework.access import get_administration_for
from familyfeedback.casework.forms import CorrectionForm
from familyfeedback.casework.presenters import administration_labels
from familyfeedback.lib import versions
from familyfeedback.lib.errors import conflict_summary, error_summary
from familyfeedback.lib.pictures import UNREADABLE_IMAGE, open_picture, picture_kind, thumbnail


@require_http_methods(["GET", "HEAD", "POST"])
def correct_administration(request: HttpRequest, administration_id: int) -> HttpResponse:
    administration = get_administration_for(request.user, administration_id)
    if not administration.completed:
        messages.info(request, "Only a completed record has scores to correct")
        return redirect("session", session_id=administration.session_id)
    if request.method == "GET":
        actions.log_view(request.user, "administration.view", administration)
    form = CorrectionForm(request.POST or None, administration=administration)
    changed = []
    if request.method == "POST" and form.is_valid():
        mine, reason = form.marks(), form.cleaned_data["reason"]
        try:
            actions.correct_administration(request.user, administration, items=form.items(),
                                           face=mine["face"], reason=reason,
                                           opened=form.cleaned_data["version"])
        except versions.EditConflict as conflict:
            changed, form = form.redrawn(conflict, mine, administration_labels(form.words),
                                         {"reason": reason}, administration=administration)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Record corrected. The old scores are kept in the audit log")
            return redirect("session", session_id=administration.session_id)
    return render(request, "casework/correct_administration.html", {
        "administration": administration,
        "family": administration.session.family,
        "form": form,
        "labels": {form.measure.code: form.words},
        "changed": changed,
        "errors": error_summary(form) or conflict_summary(changed),
    })


@require_safe
def administration_picture(request: HttpRequest, administration_id: int) -> FileResponse:
    administration = get_administration_for(request.user, administration_id)
    handle = open_picture(administration.picture)
    actions.log_view(request.user, "administration.view_picture", administration)
    kind = picture_kind(handle.read(12))
    handle.seek(0)
    response = FileResponse(handle, content_type=kind[1] if kind else "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def administration_picture_thumbnail(request: HttpRequest, administration_id: int) -> HttpResponse:
    """A small copy of the photo for the family page, behind the photo's own access check."""
    administration = get_administration_for(request.user, administration_id)
    try:
        with open_picture(administration.picture) as handle:
            content, content_type = thumbnail(handle)
    except UNREADABLE_IMAGE:
        # A photo kept before uploads were re-encoded, whose file is not an image after all.
        raise Http404("The picture cannot be shown small") from None
    actions.log_view(request.user, "administration.view_picture", administration)
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
