"""One person's own rating of one tool: the screen a family member fills in on the practitioner's
tablet (handed round, one person a screen) or on their own phone through a link. Both ways share
it, so that a family sees one form however they give their feedback."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from familyfeedback import measures
from familyfeedback.accounts.models import User
from familyfeedback.casework import actions
from familyfeedback.casework.forms import RatingForm, ScreenLanguageForm
from familyfeedback.casework.models import Person, Session
from familyfeedback.casework.presenters import rating_page
from familyfeedback.casework.wording import labels_for
from familyfeedback.lib import languages


def rating_screen(request: HttpRequest, session: Session, person: Person, tool: str, *,
                  channel: str, then: str, actor: User | None, named: bool = True
                  ) -> HttpResponse:
    """GET draws the screen; a POST saves the rating (actions.give_rating) and goes on to `then`.
    Drawn in the person's language unless they switched it on the screen (?lang=)."""
    language = ScreenLanguageForm(request.GET).chosen() or person.preferred_language
    measure = measures.measure_for(tool, measures.age_on(person.date_of_birth, session.date))
    words = labels_for([measure], language)[measure.code]
    posted = request.method == "POST"
    form = RatingForm(request.POST if posted else None, request.FILES if posted else None,
                      person=person, measure=measure, on=session.date, words=words,
                      channel=channel, language=words.language, prefix="rating")
    with languages.speaking(language):
        ended = session.stage != Session.Stage.STARTED
        if posted and form.is_valid() and not ended:
            try:
                actions.give_rating(actor, session, form.new_administration())
            except actions.SessionEnded:
                ended = True
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(then)
        if ended:
            return render(request, "family/session_ended.html",
                          {"page_language": languages.page_language(language)})
        return render(request, "family/rate.html", rating_page(
            form, named=named, screen_language=languages.page_language(language),
            offered=_offered(person.preferred_language, measure)))


def _offered(preferred: str, measure) -> list[str]:
    """The languages the screen can be switched to: the page's own, and the person's where the
    page or the measure's wording comes in it."""
    own = labels_for([measure], preferred)[measure.code].language
    has_it = (languages.page_language(preferred) != languages.ENGLISH
              or own.split("-")[0] == preferred.split("-")[0])
    return list(dict.fromkeys([preferred] * has_it + [code for code, _ in settings.LANGUAGES]))
