from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from familyfeedback.casework.forms import ScreenLanguageForm
from familyfeedback.lib import languages


@login_not_required
@require_safe
def family_guide(request: HttpRequest) -> HttpResponse:
    """What the questions are for, in plain words, for the families who answer them: linked from
    every family page, the phone's included, so it needs no sign-in and shows nothing personal."""
    language = ScreenLanguageForm(request.GET).chosen() or languages.ENGLISH
    with languages.speaking(language):
        return render(request, "family/guide.html",
                      {"page_language": languages.page_language(language)})
