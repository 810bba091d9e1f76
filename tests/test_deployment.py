"""The production deployment as docs/deployment.md gives it: Django's deployment checks pass with
the documented environment (deploy/production.env.example) and fail without its protections, and
the entry command of the container image and the systemd unit (deploy/entrypoint) migrates an
empty database, serves pages with their security headers and the static files over HTTP as the
proxy passes them on, keeps query strings and tokens out of its logs, and stops on SIGTERM
leaving no process behind; and nginx with deploy/nginx.conf in front of it serves the service
over HTTPS as the settings expect."""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings

from familyfeedback.lib.pictures import MAX_BYTES

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
COMPOSE = REPO / "compose.yaml"
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
    assert {"send_reminders", "fit_trajectories", "clearsessions", "purge_expired",
            "rebuild_alerts"} <= set(named)
    assert [name for name in named if name not in get_commands()] == []


def test_the_nightly_alert_job_only_checks():
    from django.core.management import get_commands, load_command_class

    drop_in = DEPLOY / "familyfeedback-job@rebuild_alerts.service.d" / "check.conf"
    # An empty ExecStart= first: a oneshot unit would otherwise run both commands.
    starts = re.findall(r"^ExecStart=(.*)$", drop_in.read_text(), re.M)
    assert starts[0] == ""
    command, *options = starts[-1].split(" -m django ")[1].split()
    assert command == "rebuild_alerts"
    parser = load_command_class(get_commands()[command], command).create_parser("manage.py",
                                                                                  command)
    assert parser.parse_args(options).check is True


def test_every_command_the_guide_runs_exists_and_the_first_administrator_is_invited():
    from django.core.management import get_commands

    guide = (REPO / "docs" / "deployment.md").read_text()
    named = set(re.findall(r"(?:manage\.py|^ff) ([a-z_]+)", guide, re.M))
    assert {"create_administrator", "collectstatic", "load_text_pack"} <= named
    assert sorted(named - set(get_commands())) == []
    # createsuperuser would put a password on the command line and skip the set-up link.
    assert "createsuperuser" not in guide


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


class UnixConnection(http.client.HTTPConnection):
    """HTTP over gunicorn's unix socket, as nginx speaks to it."""

    def __init__(self, path: Path):
        super().__init__("localhost", timeout=30)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(str(self.path))


def fetch(connection: http.client.HTTPConnection, path: str, *, method: str = "GET",
          body: bytes | None = None, **headers: str) -> tuple[int, dict, bytes]:
    sent = {"Host": HOST, "User-Agent": AGENT, "Referer": REFERRER,
            **{name.replace("_", "-"): value for name, value in headers.items()}}
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        answer = {name.lower(): value for name, value in response.getheaders()}
        return response.status, answer, response.read()
    finally:
        connection.close()


def collect_static(environment: dict[str, str]) -> None:
    """What the Containerfile does when the image is built, and the guide at installation."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=REPO, env=environment, check=True, timeout=300)


@contextmanager
def entry_command(environment: dict[str, str], logs: Path, connect):
    """deploy/entrypoint running until it answers /health/; stopped on leaving, as systemd and
    container runtimes stop it, and checked to have stopped cleanly."""
    collect_static(environment)
    access_log, error_log = logs / "access.log", logs / "error.log"
    with access_log.open("w") as out, error_log.open("w") as err:
        process = subprocess.Popen([str(DEPLOY / "entrypoint")], cwd=REPO, env=environment,
                                   stdout=out, stderr=err, start_new_session=True)
    try:
        # A guard against waiting for ever, not a measure of speed.
        give_up = time.monotonic() + 180
        while fetch_status(connect(), "/health/") != 200:
            assert process.poll() is None, f"the entry command stopped:\n{error_log.read_text()}"
            assert time.monotonic() < give_up, f"no answer:\n{error_log.read_text()}"
            time.sleep(0.5)
        yield access_log, error_log
    finally:
        os.kill(process.pid, signal.SIGTERM)
        returncode = process.wait(timeout=60)
    assert returncode == 0, error_log.read_text()
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no worker outlived the server


def fetch_status(connection, path: str) -> int | None:
    try:
        return fetch(connection, path, X_Forwarded_Proto="https")[0]
    except OSError:
        return None


def assert_security_headers(headers: dict) -> None:
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert "no-store" in headers["cache-control"]
    assert "Secure" in headers["set-cookie"]


def test_the_entry_command_serves_the_service_as_the_proxy_passes_it_on(tmp_path, empty_database):
    port = free_port()
    environment = production_environment(tmp_path, DATABASE_URL=empty_database,
                                         FF_BIND=f"127.0.0.1:{port}")

    def connect():
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def proxied(path):
        return fetch(connect(), path, X_Forwarded_Proto="https")

    with entry_command(environment, tmp_path, connect) as (access_log, error_log):
        assert proxied("/health/")[::2] == (200, b'{"status": "ok"}')

        status, headers, body = proxied("/sign-in/?next=/families/7/&q=Ashdown")
        assert status == 200
        assert_security_headers(headers)
        stylesheets = re.findall(rb'<link[^>]+href="(/assets/[^"]+\.css)"', body)
        assert stylesheets, "the sign-in page links no stylesheet"
        for stylesheet in stylesheets:
            status, headers, css = proxied(stylesheet.decode())
            assert status == 200
            assert headers["content-type"].startswith("text/css")
            assert "no-store" not in headers.get("cache-control", "")
            assert b"{" in css

        assert proxied(f"/surveys/link/{TOKEN}/")[0] == 404
        assert fetch(connect(), f"/surveys/link/{TOKEN}/", method="POST", body=b"",
                     X_Forwarded_Proto="https")[0] == 403  # no CSRF token

        # Plain http straight to the app server is sent to https, but for the monitor's /health/.
        status, headers, _ = fetch(connect(), "/sign-in/")
        assert (status, headers["location"]) == (301, f"https://{HOST}/sign-in/")
        assert fetch(connect(), "/health/")[0] == 200
        check = re.search(r'test: \["CMD", "python", "-c", (".+")\]', COMPOSE.read_text())
        subprocess.run([sys.executable, "-c", json.loads(check[1]).replace(":8000", f":{port}")],
                       env=environment, check=True, timeout=60)  # compose's health check

    access = access_log.read_text()
    assert re.search(r'"GET /sign-in/ HTTP/1.1" 200 \d+ \d+ms$', access, re.MULTILINE)
    assert '"GET /surveys/link/*/ HTTP/1.1" 404' in access
    assert '"POST /surveys/link/*/ HTTP/1.1" 403' in access
    assert "Forbidden (CSRF cookie not set.): /surveys/link/*/" in error_log.read_text()
    # Neither who asked (the address, the host they typed) nor any of what they asked with.
    for told in ("?", "127.0.0.1", HOST, AGENT):
        assert told not in access
    for secret in ("Ashdown", "next=", TOKEN):
        assert secret not in access + error_log.read_text()


def nginx_site(tmp_path: Path, socket_path: Path, static_root: Path, ports: dict[int, int]) -> Path:
    """deploy/nginx.conf as the guide installs it, but for the places it names on a server
    (certificate, socket, static files, logs) and its ports, which are made here."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    site = (DEPLOY / "nginx.conf").read_text()
    for server_path, here in (("/etc/ssl/familyfeedback/fullchain.pem", tmp_path / "cert.pem"),
                              ("/etc/ssl/familyfeedback/privkey.pem", tmp_path / "key.pem"),
                              ("/run/familyfeedback/gunicorn.sock", socket_path),
                              ("/opt/familyfeedback/static/", f"{static_root}/"),
                              ("/var/log/nginx/", f"{tmp_path}/")):
        assert server_path in site
        site = site.replace(server_path, str(here))
    site = re.sub(r"^ *listen \[::\].*\n", "", site, flags=re.MULTILINE)
    for standard, port in ports.items():
        site = re.sub(rf"^( *listen ){standard}\b", rf"\g<1>127.0.0.1:{port}", site,
                      flags=re.MULTILINE)
    main = tmp_path / "nginx-main.conf"
    main.write_text(f"""{"user root;" if os.geteuid() == 0 else ""}
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp_path}/nginx-other.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    {site}
}}
""")
    return main


def test_nginx_in_front_serves_https_as_the_settings_expect(tmp_path, empty_database):
    socket_path = tmp_path / "gunicorn.sock"
    environment = production_environment(tmp_path, DATABASE_URL=empty_database,
                                         FF_BIND=f"unix:{socket_path}")
    ports = {80: free_port(), 443: free_port()}
    main = nginx_site(tmp_path, socket_path, Path(environment["FF_STATIC_ROOT"]), ports)
    tls = ssl.create_default_context(cafile=tmp_path / "cert.pem")

    def https():
        connection = http.client.HTTPSConnection(HOST, ports[443], context=tls, timeout=30)
        raw = socket.create_connection(("127.0.0.1", ports[443]), timeout=30)
        connection.sock = tls.wrap_socket(raw, server_hostname=HOST)
        return connection

    def plain():
        return http.client.HTTPConnection("127.0.0.1", ports[80], timeout=30)

    with entry_command(environment, tmp_path, lambda: UnixConnection(socket_path)) as (
            access_log, error_log):
        subprocess.run(["nginx", "-c", str(main), "-p", str(tmp_path)], check=True, timeout=60)
        try:
            # The proxy said https, or the app would have sent the page to https itself.
            status, headers, body = fetch(https(), "/sign-in/?q=Ashdown", X_Forwarded_Proto="http")
            assert status == 200
            assert_security_headers(headers)

            status, headers, css = fetch(https(), "/assets/govuk-frontend.min.css")
            assert (status, headers["content-type"]) == (200, "text/css")
            assert headers["strict-transport-security"].startswith("max-age=31536000")
            assert headers["x-content-type-options"] == "nosniff"
            assert css == (Path(environment["FF_STATIC_ROOT"]) / "govuk-frontend.min.css"
                           ).read_bytes()

            status, headers, _ = fetch(plain(), "/sign-in/?q=Ashdown")
            assert (status, headers["location"]) == (301, f"https://{HOST}/sign-in/?q=Ashdown")
            with pytest.raises(http.client.RemoteDisconnected):
                fetch(plain(), "/sign-in/", Host="familyfeedback.example.com")

            # A photo at the app's limit with its form reaches the app (which wants the form's
            # CSRF token); a bigger body is refused at the door.
            photo = b"x" * (MAX_BYTES + 100_000)
            assert fetch(https(), "/sign-in/", method="POST", body=photo)[0] == 403
            assert fetch(https(), "/sign-in/", method="POST", body=photo * 2)[0] == 413
        finally:
            subprocess.run(["nginx", "-c", str(main), "-p", str(tmp_path), "-s", "quit"],
                           check=True, timeout=60)
            wait_for_exit(tmp_path / "nginx.pid")

    nginx_log = (tmp_path / "familyfeedback.access.log").read_text()
    assert re.search(r"^\[.+\] GET 200 \d+ [\d.]+$", nginx_log, re.MULTILINE)
    assert re.search(r"^\[.+\] POST 413 ", nginx_log, re.MULTILINE)
    for told in ("?", "Ashdown", "sign-in", "127.0.0.1", AGENT, TOKEN):
        assert told not in nginx_log
    assert '"GET /sign-in/ HTTP/1.0" 200' in access_log.read_text()


def wait_for_exit(pid_file: Path) -> None:
    give_up = time.monotonic() + 60
    while pid_file.exists():
        assert time.monotonic() < give_up, "nginx did not stop"
        time.sleep(0.2)


@pytest.mark.parametrize(("key", "fails"), [
    ("family_feedback-6f1ad7c2-6a44-4d1e-9a43-1f0c5e0b8a11-0d3c9a27-7d55-4c0e-8f5b-2b7f31a0c9de",
     False),
    ("0d3c9a27-7d55-4c0e-8f5b-2b7f31a0c9de", True),  # the secret alone, pasted short
])
def test_a_notify_key_pasted_short_stops_the_server(tmp_path, key, fails):
    result = check_deploy(production_environment(tmp_path, FF_NOTIFY_API_KEY=key))
    assert result.returncode == int(fails), result.stderr
    assert ("FF_NOTIFY_API_KEY must be the whole key" in result.stderr) == fails
