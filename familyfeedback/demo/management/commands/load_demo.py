import os

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from familyfeedback.demo import service as demo


class Command(BaseCommand):
    help = (
        "Load the fictional demo service (5 teams, about 45 practitioners, 150 families, six "
        "months of sessions, a third of them finished, with expected trajectories fitted) unless "
        "it is already there, then print the demo sign-ins. The "
        "password is DEMO_PASSWORD (default family-feedback-demo)."
    )

    def handle(self, *args, **options):
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
            self.stdout.write(f"  {login.email:<28} {login.role:<14} {login.note}")
        self.stdout.write("\nOpen http://127.0.0.1:8000 and sign in.\n")
