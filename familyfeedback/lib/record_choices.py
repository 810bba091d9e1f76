"""A choice of several records, refused plainly when a value is not one of those offered."""

from django import forms
from django.core.exceptions import ValidationError


class RecordsField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, but the values are checked against the choices offered
    before any query: Django looks them up with IN, where a huge number overflows SQLite's
    integers and becomes a server error instead of a message."""

    def _check_values(self, value):
        offered = {str(pk) for pk in self.queryset.values_list("pk", flat=True)}
        for chosen in value:
            if str(chosen) not in offered:
                raise ValidationError(self.error_messages["invalid_choice"],
                                      code="invalid_choice", params={"value": chosen})
        return super()._check_values(value)
