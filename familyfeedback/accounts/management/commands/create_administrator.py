from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from familyfeedback.accounts import actions, invitations


class Command(BaseCommand):
    help = (
        "Create the service's first administrator and print their one-time set-up link, by which "
        "they set their own password (none is ever typed on the command line). The link works "
        "once, for FF_INVITATION_DAYS days (default 7), on the address in FF_SITE_URL. Refuses "
        "an email address that already has an account: invite further people from the "
        "People page."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the administrator's email address")
        parser.add_argument("--name", default="", help="their full name (default: from the "
                                                       "email address)")

    def handle(self, *args, email: str, name: str, **options):
        try:
            validate_email(email.strip())
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address") from None
        full_name = name.strip() or email.split("@")[0].replace(".", " ").title()
        try:
            link = actions.create_first_administrator(email=email, full_name=full_name,
                                                      site=settings.SITE_URL)
        except ValidationError as error:
            raise CommandError(error.message) from None
        days = invitations.lifetime().days
        self.stdout.write(f"Created the administrator {email.strip().lower()}.")
        if settings.SITE_URL:
            self.stdout.write(f"Their set-up link (works once, for {days} days):\n  {link}")
        else:
            self.stdout.write(f"Their set-up link (works once, for {days} days), to open on the "
                              f"service's address:\n  {link}\nSet FF_SITE_URL to the service's "
                              "address for the whole link to be printed.")
