"""A form sent to its action, the one way every page with a form saves: the action runs only on
what the form has cleaned, and when it refuses (a ValidationError) the reason is put on the form,
so that the page is drawn again with every message and with what was typed, never a 500."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from familyfeedback.lib import versions
from familyfeedback.lib.errors import conflict_summary, error_summary


class Sent:
    """`done` when the form came valid and `act()` went through, with what it returned as
    `result`. The action's refusal goes on the form against the field `refused_on` (None: the
    whole form). On an edit page (a VersionedForm, with the `labels` of its fields) a colleague's
    change since the page was opened redraws the form: `form` and `changed` are what the page
    shows."""

    def __init__(self, form: forms.Form, act: Callable[[], object], refused_on: str | None = None,
                 labels: dict[str, str] | None = None):
        self.form, self.changed, self.done, self.result = form, [], False, None
        if not (form.is_bound and form.is_valid()):
            return
        try:
            self.result = act()
        except ValidationError as error:
            if labels is not None and isinstance(error, versions.EditConflict):
                self.changed, self.form = form.after_conflict(error, labels)
            else:
                form.add_error(refused_on, error)
        else:
            self.done = True

    @property
    def errors(self) -> list[dict]:
        """The page's error summary: the form's messages, or why nothing was saved."""
        return error_summary(self.form) or conflict_summary(self.changed)


def saved(request: HttpRequest, message: str, to: str, **kwargs) -> HttpResponse:
    """After a form went through: say what was done, on the page `to` (a URL name) it goes to."""
    messages.success(request, message)
    return redirect(to, **kwargs)
