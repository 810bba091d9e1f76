from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.casework import actions
from familyfeedback.casework.access import get_administration_for
from familyfeedback.casework.forms import CorrectionForm
from familyfeedback.casework.wording import labels_for
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.pictures import picture_kind


@require_http_methods(["GET", "HEAD", "POST"])
def correct_record(request: HttpRequest, administration_id: int) -> HttpResponse:
    administration = get_administration_for(request.user, administration_id)
    if not administration.completed:
        messages.info(request, "Only a completed record has scores to correct")
        return redirect("session", session_id=administration.session_id)
    form = CorrectionForm(request.POST or None, administration=administration)
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_administration(
                request.user, administration, items=form.items(),
                face=form.cleaned_data.get("face", ""), reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Record corrected. The old scores are kept in the audit log")
            return redirect("session", session_id=administration.session_id)
    return render(request, "casework/correct_record.html", {
        "administration": administration,
        "family": administration.session.family,
        "form": form,
        "labels": labels_for([form.measure]),
        "errors": error_summary(form),
    })


@require_safe
def record_picture(request: HttpRequest, administration_id: int) -> FileResponse:
    administration = get_administration_for(request.user, administration_id)
    if not administration.picture:
        raise Http404("No picture")
    try:
        handle = administration.picture.open("rb")
    except FileNotFoundError:
        raise Http404("The picture's file is missing") from None
    kind = picture_kind(handle.read(12))
    handle.seek(0)
    response = FileResponse(handle, content_type=kind[1] if kind else "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response
