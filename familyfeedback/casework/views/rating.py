"""The screen a family member rates on themselves: on the practitioner's tablet or, through a
link, on their own phone. The callers check who may see it and say where to go next."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from familyfeedback import measures
from familyfeedback.casework import actions
from familyfeedback.casework.forms import RatingForm
from familyfeedback.casework.models import Person, Session
from familyfeedback.casework.wording import labels_for
from familyfeedback.lib.errors import error_summary


def _language_for(person: Person, request: HttpRequest) -> str:
    """The one place the screen's language is chosen."""
    return "en"


def _ended(request: HttpRequest, language: str) -> HttpResponse:
    """Said kindly: the practitioner ended the session before this rating came."""
    return render(request, "family/ended.html", {"page_language": language})


def rating_screen(request: HttpRequest, session: Session, person: Person, tool: str, *,
                  channel: str, then: str, actor, named: bool = True) -> HttpResponse:
    language = _language_for(person, request)
    if session.stage != Session.Stage.STARTED:
        return _ended(request, language)
    measure = measures.measure_for(tool, measures.age_on(person.date_of_birth, session.date))
    words = labels_for([measure], language)[measure.code]
    posted = request.method == "POST"
    form = RatingForm(request.POST if posted else None, request.FILES if posted else None,
                      person=person, measure=measure, on=session.date, words=words,
                      channel=channel, language=language, prefix="rating")
    if posted and form.is_valid():
        try:
            actions.give_rating(actor, session, form.new_administration())
        except actions.SessionEnded:
            return _ended(request, language)
        return redirect(then)
    return render(request, "family/rate.html", {
        "form": form, "words": words, "named": named, "page_language": language,
        "errors": error_summary(form), "photo_to_choose_again": posted and bool(request.FILES),
    })
