"""Edits that never overwrite a colleague's change silently (optimistic concurrency).

An edit page carries, hidden and signed, the values the record had when the page was drawn. The
write compares them with the row it has locked: if anything changed meanwhile, nothing is saved
and the person sees what changed, with their own typing kept. Values are kept rather than a
version number so that the page can say *what* changed, not only that something did."""

from datetime import date

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError

from familyfeedback.lib.formats import date_long

_SALT = "familyfeedback.edit-version"


def plain(values: dict) -> dict[str, str | None]:
    """The values as strings, as they travel in the page and are compared."""
    return {key: None if value is None else str(value) for key, value in values.items()}


def stamp(values: dict) -> str:
    return signing.dumps(plain(values), salt=_SALT, compress=True)


class EditConflict(ValidationError):
    """The record changed after the page was opened. `changes` is {field: (then, now)}, and
    `now` the record's values now, to stamp the page again with."""

    def __init__(self, changes: dict[str, tuple[str | None, str | None]], now: dict):
        super().__init__("This record was changed since you opened this page", code="conflict")
        self.changes = changes
        self.now = now


def check_unchanged(opened: dict[str, str | None], now: dict) -> None:
    current = plain(now)
    changes = {key: (opened.get(key), current[key]) for key in current
               if opened.get(key) != current[key]}
    if changes:
        raise EditConflict(changes, now)


def merged(conflict: EditConflict, opened: dict[str, str | None], mine: dict) -> dict:
    """What the page shows again after a conflict: this person's value where they changed a
    field, the record's value now where they did not, so that saving again overwrites nothing
    they did not mean to."""
    typed = plain(mine)
    return {key: mine[key] if key in mine and typed[key] != opened.get(key) else now
            for key, now in conflict.now.items()}


def changed_since(conflict: EditConflict, opened: dict, mine: dict,
                  labels: dict[str, str]) -> list[dict]:
    """What a colleague changed since the page was opened, and where this person changed the
    same field too (their value is the one kept on the page)."""
    typed = plain(mine)
    return [
        {"label": labels.get(key, key), "then": _shown(then, conflict.now[key]),
         "now": _shown(now, conflict.now[key]),
         "mine": _shown(typed[key], conflict.now[key])
         if key in typed and typed[key] not in (then, now) else None}
        for key, (then, now) in conflict.changes.items()
    ]


def _shown(value: str | None, like) -> str:
    if value in (None, ""):
        return "blank"
    if isinstance(like, bool):
        return "Yes" if value == "True" else "No"
    if isinstance(like, date):
        return date_long(date.fromisoformat(value))
    return value


class VersionField(forms.CharField):
    """The hidden, signed values an edit page was drawn with."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(error_messages={
            "required": "This page is out of date: open the page again and make your change"},
            **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return signing.loads(value, salt=_SALT)
        except signing.BadSignature:
            raise ValidationError("This page is out of date: open the page again and make your "
                                  "change", code="bad_version") from None


class VersionedForm(forms.Form):
    """An edit page's form: it carries the version it was opened with, and after a conflict it is
    drawn again with the colleague's values where this person changed nothing."""

    version = VersionField()

    def __init__(self, *args, record: dict | None = None, **kwargs):
        """`record`: the values the page opens with, shown in the fields and carried as the
        version."""
        if record is not None:
            kwargs["initial"] = {**record, **kwargs.get("initial", {}), "version": stamp(record)}
        super().__init__(*args, **kwargs)

    def typed(self) -> dict:
        """What this person asked for: the cleaned values, without the version."""
        return {key: value for key, value in self.cleaned_data.items() if key != "version"}

    def edit(self) -> dict:
        """The edit action's keywords: the values asked for, and those the page was `opened`
        with."""
        return {**self.typed(), "opened": self.cleaned_data["version"]}

    def shown(self) -> dict:
        """What this person typed, as the page shows it again after a conflict."""
        return self.typed()

    def after_conflict(self, conflict: EditConflict,
                       labels: dict[str, str]) -> tuple[list[dict], "VersionedForm"]:
        """(what changed, the form to show again), for a form whose own arguments are none."""
        return self.redrawn(conflict, self.shown(), labels)

    def redrawn(self, conflict: EditConflict, mine: dict, labels: dict[str, str],
                initial: dict | None = None, **kwargs) -> tuple[list[dict], "VersionedForm"]:
        """(what changed, the form to show again); kwargs are the form's own arguments."""
        opened = self.cleaned_data["version"]
        return changed_since(conflict, opened, mine, labels), type(self)(initial={
            **merged(conflict, opened, mine), **(initial or {}),
            "version": stamp(conflict.now)}, **kwargs)
