"""`make run` gives the demo a mail backend that needs no mail server, so its reminders can be
read; a deployment sends by SMTP unless told otherwise."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_value(name: str, env: dict) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, text=True,
                          capture_output=True,
                          env={**env, "DJANGO_SETTINGS_MODULE": "familyfeedback.settings"}
                          ).stdout.strip()


def test_the_demo_served_by_make_run_writes_its_emails_to_files(tmp_path):
    planned = subprocess.run(["make", "-n", "run"], cwd=ROOT, check=True, text=True,
                             capture_output=True).stdout
    [serve] = [line for line in planned.splitlines() if "manage.py runserver" in line]
    # The same command line, sending Django's test email instead of serving.
    command = re.sub(r"\S*python manage\.py runserver.*", f"{sys.executable} manage.py "
                     "sendtestemail someone@example.test", serve)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    subprocess.run(["bash", "-c", command], cwd=ROOT, check=True, capture_output=True,
                   env={**env, "EMAIL_FILE_PATH": str(tmp_path)})
    [written] = list(tmp_path.iterdir())
    assert "To: someone@example.test" in written.read_text()


def test_a_deployment_sends_by_smtp_from_its_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    assert settings_value("EMAIL_BACKEND", env) == "django.core.mail.backends.smtp.EmailBackend"
    assert settings_value("EMAIL_HOST", {**env, "EMAIL_HOST": "mail.council.example"}) == \
        "mail.council.example"
