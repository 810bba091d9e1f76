from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from familyfeedback.accounts.models import Role
from familyfeedback.implementation import reminders


class ReminderForm(forms.Form):
    weekly = forms.BooleanField(required=False)


@require_http_methods(["GET", "HEAD", "POST"])
def reminder_preference(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own choice of the weekly email: there is no other user's to see."""
    if request.method == "POST":
        form = ReminderForm(request.POST)
        if form.is_valid():
            wanted = form.cleaned_data["weekly"]
            reminders.set_wants_reminders(request.user, wanted)
            messages.success(request, "You will get the weekly email" if wanted
                             else "You will not get the weekly email")
            return redirect("reminders")
    return render(request, "implementation/reminders.html", {
        "title": "Email reminders",
        "weekly": reminders.wants_reminders(request.user),
        "gets_digest": request.user.works_with_families,
        "is_manager": request.user.has_role(Role.TEAM_MANAGER),
    })
