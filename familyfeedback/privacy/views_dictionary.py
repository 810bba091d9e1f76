"""The data dictionary, for an administrator answering the data protection officer."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from familyfeedback.accounts.access import require_administrator
from familyfeedback.privacy import dictionary


@require_http_methods(["GET", "HEAD"])
def data_dictionary(request: HttpRequest) -> HttpResponse:
    """Every kind of record, why it is held, for how long, and each field's class. It shows the
    code's declarations, nobody's data, so opening it is not audited."""
    require_administrator(request.user)
    return render(request, "privacy/data_dictionary.html", {"apps": dictionary.catalogue()})
