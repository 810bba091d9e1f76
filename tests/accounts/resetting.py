"""Asking for a password reset through the pages and following the emailed link, as a person
does."""

import re

from django.urls import reverse

NEW_PASSWORD = "a much longer new passphrase"


def ask_for_reset(client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def link_in(body: str) -> str:
    """The path of the reset link in an email's text."""
    return re.search(r"https?://[^/\s]+(/sign-in/reset/\S+/)", body).group(1)


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the link (it moves the token into the session) and save a new password."""
    opened = client.get(link)
    return client.post(opened["Location"], {"new_password1": password,
                                            "new_password2": password}, follow=True)
