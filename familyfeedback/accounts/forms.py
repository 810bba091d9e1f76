"""What a person types while signing in, checked for its shape; whether a code is right is for
accounts.actions, since checking one uses it up."""

import re

from django import forms


class CodeForm(forms.Form):
    """The six digits an authenticator app shows, which people type with spaces as apps show."""

    code = forms.CharField(error_messages={
        "required": "Enter the 6-digit code from your authenticator app"})

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("The code is 6 digits, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(error_messages={"required": "Enter one of your recovery codes"})

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        if not re.fullmatch(r"[a-z2-7]{12}", code):
            raise forms.ValidationError(
                "A recovery code is 12 letters and numbers, like abcd-efgh-2345")
        return code
