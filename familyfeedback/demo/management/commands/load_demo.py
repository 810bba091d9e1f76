import os
import re

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re
from django.utils import timezone

from familyfeedback.demo import service as demo


class Command(BaseCommand):
    help = (
        "Load the fictional demo service (5 teams, about 45 practitioners, 150 families, six "
        "months of sessions, a third of them finished, with expected trajectories fitted) unless "
        "it is already there, then print the demo sign-ins. The "
        "password is DEMO_PASSWORD (default family-feedback-demo). --address is the one given to "
        "runserver (`make run ADDRESS=...` passes the same to both), so the address printed is "
        "the one served."
    )

    def add_arguments(self, parser):
        parser.add_argument("--address", default="127.0.0.1:8000",
                            help="the [host:]port runserver serves (default 127.0.0.1:8000)")

    def handle(self, *args, address: str, **options):
        url = browser_url(address)
        password = os.environ.get("DEMO_PASSWORD", "family-feedback-demo")
        if demo.demo_exists():
            self.stdout.write("The demo service is already loaded.")
        else:
            counts = demo.load_demo(password, timezone.localdate())
            summary = ", ".join(f"{value} {key}" for key, value in counts.items())
            self.stdout.write(f"Loaded the demo service: {summary}.")
            # The demo's finished support is enough to draw expected ranges for the ORS.
            call_command("fit_trajectories", stdout=self.stdout)
        self.stdout.write("\nDemo sign-ins (password: the DEMO_PASSWORD variable, "
                          "default family-feedback-demo):")
        for login in demo.LOGINS:
            roles = " and ".join(login.roles)
            self.stdout.write(f"  {login.email:<28} {roles:<14} {login.note}")
        if settings.REQUIRE_TWO_FACTOR:
            self.stdout.write("\nEach demo person sets up an authenticator app at their first "
                              "sign-in (FF_REQUIRE_TWO_FACTOR=false turns this off for a demo).")
        self.stdout.write(f"\nOpen {url} and sign in.\n")


def browser_url(address: str) -> str:
    """The address a browser on this machine opens for runserver's [host:]port. Parsed with
    runserver's own pattern so that both read an address the same way."""
    match = re.match(naiveip_re, address)
    if match is None:
        raise CommandError(f"{address!r} is not a port or a host:port as runserver takes")
    host, port = match["addr"] or "127.0.0.1", match["port"]
    # Served on every interface: this machine reaches it at its loopback address.
    # Reads runserver's address to print a link: this binds nothing.
    host = {"0.0.0.0": "127.0.0.1", "0": "127.0.0.1", "[::]": "[::1]"}.get(host, host)  # nosec B104
    return f"http://{host}:{port}"
