import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from familyfeedback.casework import actions, queries
from familyfeedback.casework.access import get_family_for, get_session_for
from familyfeedback.casework.forms import SessionForm, measure_forms, session_date_from
from familyfeedback.lib.errors import error_summary
from familyfeedback.measures import schedules


@require_http_methods(["GET", "HEAD", "POST"])
def record_session(request: HttpRequest, family_id: int) -> HttpResponse:
    family = get_family_for(request.user, family_id)
    people = list(family.people.all())
    data = request.POST if request.method == "POST" else None
    on = session_date_from(data)
    episode = queries.current_episode(family)
    if episode is None or not episode.is_open:
        messages.info(request, "Support for this family is closed: reopen it to record a session")
        return redirect("family", family_id=family.pk)
    if data is None:
        actions.log_view(request.user, "family.view_record_form", family)
    form = SessionForm(data, episode=episode, people=people, initial={
        "token": uuid.uuid4(), "date": on, "present": [str(p.pk) for p in people],
    })
    files = request.FILES if request.method == "POST" else None
    due = _due(episode, people, on, data.get("kind", "") if data is not None else "")
    per_person = measure_forms(data, files, people, on, due)
    # Only the forms of people marked present are checked; the others keep what was typed.
    present_ids = set(data.getlist("present")) if data is not None else set()
    checked = [f for f in per_person if str(f.person.pk) in present_ids]
    for f in checked:
        f.checked = True
    same_day = None
    if request.method == "POST" and all([form.is_valid()] + [f.is_valid() for f in checked]):
        try:
            session, created = actions.record_session(
                request.user, family, token=form.cleaned_data["token"], on=on,
                kind=form.cleaned_data["kind"], present=form.present_people(),
                entries=[e for e in (f.entry() for f in checked) if e is not None],
                notes=form.cleaned_data["notes"],
                another_session=form.cleaned_data["another_session"],
            )
        except actions.SameDaySession as question:
            same_day = question.session
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, "Session recorded")
            else:
                messages.info(request, "This session was already recorded: it was saved once")
            return redirect("session", session_id=session.pk)
    return render(request, "casework/record_session.html", {
        "family": family,
        "form": form,
        "per_person": per_person,
        "labels": {f.measure.code: f.words for f in per_person},
        "schedule": settings.SCHEDULE.describe(),
        "schedule_every_session": settings.SCHEDULE.kind == "every_session",
        "errors": error_summary(form, *checked),
        "same_day": same_day,
        # A browser cannot be told to keep a chosen file: if the page comes back with errors,
        # say so rather than lose the photo silently.
        "photos_to_choose_again": bool(files) and any(f.errors for f in checked),
    })


def _due(episode, people, on, kind: str) -> dict[int, bool]:
    """Who is due a rating at this session. Every session (the pilot's rule) needs no history:
    reading a family's every visit on each save grew with the family's support."""
    if settings.SCHEDULE.kind == "every_session":
        return {p.pk: True for p in people}
    history = queries.visits([episode])
    return {p.pk: schedules.due_at(settings.SCHEDULE, [v for v in history.get(p.pk, [])
                                                       if v.on <= on], on, kind)
            for p in people}


@require_safe
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for(request.user, session_id)
    actions.log_view(request.user, "session.view", session)
    records = queries.session_records(session)
    return render(request, "casework/session.html", {
        "session": session, "family": session.family, "records": records,
    })
