"""`make run` gives the demo a mail backend that needs no mail server, so its reminders can be
read; a deployment sends by SMTP unless told otherwise."""

import os
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
    # make run's own recipe, with a stand-in for the venv's python that sends Django's test
    # email where the recipe would serve (and does nothing for its other steps); the install
    # and asset steps are taken as done.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "python"
    stand_in.write_text(f"""#!/bin/sh
if [ "$2" = runserver ]; then
    exec {sys.executable} manage.py sendtestemail someone@example.test
fi
""")
    stand_in.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    subprocess.run(["make", "-o", ".venv/.installed-run", "-o", "assets", "run",
                    f"BIN={bin_dir}"], cwd=ROOT, check=True, capture_output=True,
                   env={**env, "EMAIL_FILE_PATH": str(tmp_path / "mail")})
    [written] = list((tmp_path / "mail").iterdir())
    assert "To: someone@example.test" in written.read_text()


def test_a_deployment_sends_by_smtp_from_its_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    assert settings_value("EMAIL_BACKEND", env) == "django.core.mail.backends.smtp.EmailBackend"
    assert settings_value("EMAIL_HOST", {**env, "EMAIL_HOST": "mail.council.example"}) == \
        "mail.council.example"
