"""The GOV.UK error summary: every error on the page, each linking to the field to fix."""

from django import forms

# Fields drawn as several inputs: the summary links to the first one, as the pattern asks.
_FIRST_INPUT = {"date": "-day", "date_of_birth": "-day", "opened_on": "-day", "closed_on": "-day"}


def field_id(form: forms.Form, name: str) -> str:
    return f"{form.add_prefix(name)}{_FIRST_INPUT.get(name, '')}"


def error_summary(*forms_: forms.Form) -> list[dict]:
    items = []
    for form in forms_:
        if not form.is_bound:
            continue
        for name, errors in form.errors.items():
            href = "#main-content" if name == "__all__" else f"#{field_id(form, name)}"
            items.extend({"text": str(error), "href": href} for error in errors)
    return items


def field_error(form: forms.Form, name: str) -> dict | None:
    """The design system's errorMessage for a field: its first error, or nothing."""
    if not form.is_bound or name not in form.errors:
        return None
    return {"text": str(form.errors[name][0])}


def conflict_summary(changed: list) -> list[dict]:
    """The error summary after an edit conflict: nothing was saved, and why."""
    if not changed:
        return []
    return [{"text": "Someone changed this record since you opened this page: check what "
                     "changed, then save again", "href": "#changed-since"}]
