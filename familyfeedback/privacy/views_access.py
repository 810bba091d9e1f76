"""Subject access: an administrator downloads everything held about one family member."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from familyfeedback.accounts import rate_limits
from familyfeedback.accounts.access import require_administrator
from familyfeedback.casework.actions import log_view
from familyfeedback.privacy import subject_access as sar


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limits.limited("export", methods={"POST"})
def subject_access(request: HttpRequest, person_id: int) -> HttpResponse:
    """GET says what the download holds (and names the person, so it is a look at them); the
    button POSTs, because making the export is recorded: a link followed, or prefetched, must
    not make one."""
    require_administrator(request.user)
    person = sar.person(person_id)
    if request.method != "POST":
        log_view(request.user, "person.view", person)
        return render(request, "privacy/subject_access.html", sar.page(person))
    response = HttpResponse(sar.export(request.user, person), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{sar.file_name()}"'
    return response
