"""The production deployment as docs/deployment.md gives it: Django's deployment checks pass with
the documented environment (deploy/production.env.example) and fail without its protections, and
the entry command of the container image and the systemd unit (deploy/entrypoint) migrates an
empty database, serves pages with their security headers and the static files over HTTP as the
proxy passes them on, keeps query strings and tokens out of its logs, and stops on SIGTERM
leaving no process behind."""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings

from familyfeedback.lib.pictures import MAX_BYTES

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
HOST = "familyfeedback.example.gov.uk"
TOKEN = "Zq8wPersonalLinkToken_3k"
AGENT = "Tablet-of-Pat"
REFERRER = f"https://{HOST}/surveys/link/{TOKEN}/"


def documented_environment() -> dict[str, str]:
    """deploy/production.env.example, read as systemd's EnvironmentFile= reads it."""
    values = {}
    for number, line in enumerate((DEPLOY / "production.env.example").read_text().splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            key, separator, value = line.partition("=")
            assert separator and key.isidentifier(), f"production.env.example:{number}: {line!r}"
            values[key] = value
    return values


def production_environment(var_dir: Path, **overrides: str) -> dict[str, str]:
    """The documented environment and nothing else of this machine's, but for what names a place
    on it: the secret key (made as the guide says), var/ and the static files, and how to reach
    the interpreter and this checkout's code."""
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "HOME": str(var_dir),
        **documented_environment(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FF_VAR_DIR": str(var_dir),
        "FF_STATIC_ROOT": str(var_dir / "static"),
        **overrides,
    }


def check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=environment, capture_output=True, text=True, timeout=120,
    )


def test_the_documented_production_environment_passes_the_deployment_checks(tmp_path):
    result = check_deploy(production_environment(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(("change", "check"), [
    ({"DEBUG": "true"}, "security.W018"),
    ({"SECRET_KEY": "change-me"}, "security.W009"),
    ({"SECURE_COOKIES": "false"}, "security.W012"),
    ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
])
def test_an_unsafe_production_environment_fails_the_deployment_checks(tmp_path, change, check):
    result = check_deploy(production_environment(tmp_path, **change))
    assert result.returncode == 1
    assert f"({check})" in result.stderr


def test_the_guide_explains_every_documented_variable():
    guide = (REPO / "docs" / "deployment.md").read_text()
    missing = [key for key in documented_environment() if f"`{key}`" not in guide]
    assert missing == []


def test_the_proxy_takes_a_photo_upload_and_no_more():
    limit = re.search(r"client_max_body_size (\d+)m;", (DEPLOY / "nginx.conf").read_text())
    assert limit, "nginx.conf sets no client_max_body_size"
    # One photo at the app's limit (lib/pictures.py) and the rest of the form.
    assert MAX_BYTES < int(limit[1]) * 1024 * 1024 <= MAX_BYTES + 1024 * 1024


def test_the_service_and_the_image_start_with_the_entry_command():
    unit = (DEPLOY / "familyfeedback.service").read_text()
    assert "ExecStart=/opt/familyfeedback/app/deploy/entrypoint\n" in unit
    assert "EnvironmentFile=/etc/familyfeedback/production.env\n" in unit
    assert 'CMD ["/app/deploy/entrypoint"]' in (REPO / "Containerfile").read_text()


def test_the_guide_gives_the_gunicorn_command_the_entry_command_runs():
    script = (DEPLOY / "entrypoint").read_text()
    command = script[script.index("exec gunicorn"):]
    assert f"```sh\n{command}```" in (REPO / "docs" / "deployment.md").read_text()


def test_each_timer_runs_a_command_that_exists():
    from django.core.management import get_commands

    timers = sorted(DEPLOY.glob("familyfeedback-*.timer"))
    named = [re.search(r"^Unit=familyfeedback-job@(\w+)\.service$", timer.read_text(), re.M)[1]
             for timer in timers]
    assert {"send_reminders", "fit_trajectories", "clearsessions"} <= set(named)
    assert [name for name in named if name not in get_commands()] == []


@pytest.fixture
def empty_database(tmp_path):
    """A database URL for a database with no tables, on the server the tests run against."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'entrypoint.sqlite3'}"
        return
    parts = urlsplit(settings.DATABASE_URL)
    name = f"ff_entrypoint_{os.getpid()}"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, port: int):
        self.port = port

    def get(self, path: str, *, through_proxy: bool = True) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": HOST, "User-Agent": AGENT, "Referer": REFERRER,
                   **({"X-Forwarded-Proto": "https"} if through_proxy else {})}
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            headers = {name.lower(): value for name, value in response.getheaders()}
            return response.status, headers, response.read()
        finally:
            connection.close()

    def wait_until_up(self, process: subprocess.Popen, log: Path) -> None:
        # A guard against hanging for ever, not a measure of speed.
        give_up = time.monotonic() + 180
        while time.monotonic() < give_up:
            assert process.poll() is None, f"the entry command stopped:\n{log.read_text()}"
            try:
                if self.get("/health/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"the server did not answer:\n{log.read_text()}")


def test_the_entry_command_serves_the_service_as_the_proxy_passes_it_on(tmp_path, empty_database):
    port = free_port()
    environment = production_environment(tmp_path, DATABASE_URL=empty_database,
                                         FF_BIND=f"127.0.0.1:{port}")
    # What the Containerfile does when the image is built, and the guide at installation.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=REPO, env=environment, check=True, timeout=300)
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    with access_log.open("w") as out, error_log.open("w") as err:
        process = subprocess.Popen([str(DEPLOY / "entrypoint")], cwd=REPO, env=environment,
                                   stdout=out, stderr=err, start_new_session=True)
    server = Server(port)
    try:
        server.wait_until_up(process, error_log)

        status, headers, body = server.get("/health/")
        assert (status, body) == (200, b'{"status": "ok"}')

        status, headers, body = server.get("/sign-in/?next=/families/7/&q=Ashdown")
        assert status == 200
        assert headers["strict-transport-security"] == (
            "max-age=31536000; includeSubDomains; preload")
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert "no-store" in headers["cache-control"]
        assert "Secure" in headers["set-cookie"]
        stylesheets = re.findall(rb'<link[^>]+href="(/assets/[^"]+\.css)"', body)
        assert stylesheets, "the sign-in page links no stylesheet"
        for stylesheet in stylesheets:
            status, headers, css = server.get(stylesheet.decode())
            assert status == 200
            assert headers["content-type"].startswith("text/css")
            assert "no-store" not in headers.get("cache-control", "")
            assert b".govuk-" in css or b"{" in css

        assert server.get(f"/surveys/link/{TOKEN}/")[0] == 404

        # Plain http straight to the app server is sent to https, but for the monitor's /health/.
        status, headers, _ = server.get("/sign-in/", through_proxy=False)
        assert (status, headers["location"]) == (301, f"https://{HOST}/sign-in/")
        assert server.get("/health/", through_proxy=False)[0] == 200
    finally:
        os.kill(process.pid, signal.SIGTERM)
        returncode = process.wait(timeout=60)
    assert returncode == 0, error_log.read_text()
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no worker outlived the server

    access = access_log.read_text()
    assert re.search(r'"GET /sign-in/ HTTP/1.1" 200 \d+ \d+ms$', access, re.MULTILINE)
    assert '"GET /surveys/link/*/ HTTP/1.1" 404' in access
    # Neither who asked (the address, the host they typed) nor any of what they asked with.
    for told in ("?", "127.0.0.1", HOST, AGENT):
        assert told not in access
    for secret in ("Ashdown", "next=", TOKEN):
        assert secret not in access + error_log.read_text()
