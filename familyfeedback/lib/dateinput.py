"""A date typed as day, month and year boxes: the GOV.UK date input pattern as a Django field.

Django's SelectDateWidget draws dropdowns, which the design system advises against, and its field
gives one generic message; this one says which part is missing or wrong, as the pattern asks.
"""

from datetime import date

from django import forms


class DatePartsWidget(forms.Widget):
    parts = ("day", "month", "year")

    def value_from_datadict(self, data, files, name):
        return tuple(str(data.get(f"{name}-{part}", "")).strip() for part in self.parts)

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in self.parts)


class DatePartsField(forms.Field):
    widget = DatePartsWidget

    def __init__(self, *, subject: str, **kwargs):
        self.subject = subject
        super().__init__(**kwargs)

    def to_python(self, value) -> date | None:
        if isinstance(value, date):
            return value
        day, month, year = value if value else ("", "", "")
        if not (day or month or year):
            return None
        missing = [name for name, part in zip(("day", "month", "year"), (day, month, year),
                                              strict=True) if not part]
        if missing:
            raise forms.ValidationError(f"{self.subject} must include a {' and '.join(missing)}")
        try:
            parsed = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            # OverflowError: a number too big for the C integer that date() takes.
            raise forms.ValidationError(f"{self.subject} must be a real date") from None
        if parsed.year < 1900:
            raise forms.ValidationError(f"{self.subject} must have a 4-digit year, like 2026")
        return parsed

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(f"Enter {self.subject.lower()}")


def date_parts(form: forms.Form, name: str) -> dict[str, str]:
    """The day, month and year to show in the boxes: what was typed, or the initial date."""
    if form.is_bound:
        day, month, year = form[name].field.widget.value_from_datadict(
            form.data, form.files, form.add_prefix(name)
        )
        return {"day": day, "month": month, "year": year}
    initial = form[name].value()
    if isinstance(initial, date):
        return {"day": str(initial.day), "month": str(initial.month), "year": str(initial.year)}
    return {"day": "", "month": "", "year": ""}
