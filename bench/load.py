"""Many people at once on the production server: a council's service under locust.

    .venv/bin/python bench/load.py [--duration 5m] [--users-scale 1] [--think 5-15]
                                   [--postgres URL] [--size N] [--results DIR]

For each database (SQLite always, a fresh file var/bench_load.sqlite3; PostgreSQL as well when
--postgres URL is given or DATABASE_URL is a postgres URL, database ff_bench_load, dropped and
made again):

1. a child process builds a council's service (bench/data.py's build_council: 300,000
   administrations over two years, 1,500 families, 8 teams, 100 practitioners), with 20 team
   managers, 5 evaluators and a trial (bench/data.py's seed-sized evaluation package), every one
   of them with a password and an authenticator app;
2. deploy/entrypoint starts gunicorn with deploy/production.env.example's settings (DEBUG off,
   3 workers, secure cookies, HTTPS redirect, one trusted proxy), on 127.0.0.1 with its own port
   and secret key. nginx ends TLS in production: the simulated browsers send what nginx sends
   (X-Forwarded-Proto: https, X-Forwarded-For: each person's own address) and, as a browser on
   HTTPS does, their secure cookies and an Origin header;
3. locust (in a child process of its own) signs everyone in through the real pages, password
   then the code from their app, and once all are in, for --duration: 100 practitioners open
   their caseload and their families' pages and record sessions through the record-session form
   (GET, then POST, then the session page it goes on to), 20 managers open the dashboards, their
   team and a practitioner's supervision page, 5 evaluators the trials, the trial and its
   analysis, each waiting --think seconds (uniformly between the two) between pages;
4. gunicorn is stopped, and its log read for errors and "database is locked".

It prints p50 / p95 / p99 (ms) per page, the requests and errors, and the verdict against the
targets (p95 under 300 ms for practitioners' pages, under 1 s for managers' and evaluators',
zero errors, zero "database is locked"), and writes the table and the JSON to --results
(bench/results/ by default) as load-DATE-DATABASE.txt and .json. Only 127.0.0.1 is ever asked.
"""

import argparse
import itertools
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: this checkout's bench and app, before any other

from bench import harness  # noqa: E402

SQLITE_PATH = ROOT / "var" / "bench_load.sqlite3"
PG_BENCH_DB = "ff_bench_load"
RESULTS = ROOT / "bench" / "results"
PASSWORD = "bench load password"  # noqa: S105 - every bench account's, on a bench database
# The simulated people at --users-scale 1.
PRACTITIONERS, MANAGERS, EVALUATORS = 100, 20, 5
# People starting a second, and how many sign in at once: a password takes a worker half a
# second of hashing or more (much more on a busy machine), and a code is good for 30 seconds or
# so, so people come in at the rate the server takes them, not all in the first minute.
SPAWN_RATE = 10
SIGNING_IN_AT_ONCE = 2
SIGN_IN_WAIT = 900  # seconds for everyone to be signed in before the run gives up
CODE_TRIES = 3
# Each page, who opens it, and its target p95 in milliseconds.
PAGES = (
    ("caseload", "practitioner", 300),
    ("family page", "practitioner", 300),
    ("record form", "practitioner", 300),
    ("record POST", "practitioner", 300),
    ("session page", "practitioner", 300),
    ("dashboards", "manager", 1000),
    ("team", "manager", 1000),
    ("supervision", "manager", 1000),
    ("trials", "evaluator", 1000),
    ("trial", "evaluator", 1000),
    ("analysis", "evaluator", 1000),
)
SIGN_IN_PAGES = ("sign-in form", "sign-in password POST", "sign-in home, to the code",
                 "sign-in code form", "sign-in code POST")
LOCKED = "database is locked"


# ---------------------------------------------------------------------------------------------
# The parent: for each database, the service built, gunicorn started, the swarm run, the table.


def parser() -> argparse.ArgumentParser:
    found = harness.options(__doc__, PG_BENCH_DB, timed=False)
    found.add_argument("--duration", type=seconds, default="5m",
                       help="how long everyone uses the service once signed in: 30s, 5m "
                            "(default 5m)")
    found.add_argument("--users-scale", type=float, default=1.0,
                       help=f"the share of {PRACTITIONERS} practitioners, {MANAGERS} managers "
                            f"and {EVALUATORS} evaluators simulated (at least one of each; "
                            "default 1)")
    found.add_argument("--think", type=think, default="5-15",
                       help="seconds each person waits between pages, from-to (default 5-15)")
    found.add_argument("--size", type=int, default=None,
                       help="administrations in the council (default 300,000, a council)")
    found.add_argument("--postgres-only", action="store_true",
                       help="with --postgres: leave SQLite out (a run takes minutes)")
    found.add_argument("--results", type=Path, default=RESULTS,
                       help="where the table and the JSON are written (default bench/results)")
    found.add_argument("--swarm", help=argparse.SUPPRESS)  # the locust child: its plan file
    return found


def seconds(text: str) -> int:
    match = re.fullmatch(r"(\d+)\s*([smh]?)", text.strip())
    if not match or int(match[1]) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 30s, 5m or 1h")
    return int(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[match[2]]


def think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        pair = float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not seconds from-to such as 5-15") from None
    if not 0 <= pair[0] <= pair[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: the first must be 0 or more, and no more "
                                         "than the second")
    return pair


def people(scale: float) -> dict[str, int]:
    return {role: max(1, round(count * scale)) for role, count in
            (("practitioner", PRACTITIONERS), ("manager", MANAGERS),
             ("evaluator", EVALUATORS))}


def main() -> int:
    args = parser().parse_args()
    if args.swarm:
        return swarm(args)
    if args.worker:
        return worker(args)
    # One secret key for the building child and gunicorn alike: the audit chain's key is
    # derived from it, and the entries made while building are sealed with it.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    args.results.mkdir(parents=True, exist_ok=True)
    status = 0
    for label, url in harness.bench_targets(SQLITE_PATH, args.postgres, PG_BENCH_DB):
        if args.postgres_only and label == "SQLite":
            continue
        print(f"== {label}: building the service", flush=True)
        built = harness.run_child(__file__, label, url, harness.forwarded(sys.argv[1:]))
        if built is None:
            return 1
        measured = under_load(args, label, url, built)
        if measured is None:
            return 1
        text = table(measured)
        print(text, flush=True)
        stem = args.results / f"load-{date.today().isoformat()}-{label.lower()}"
        stem.with_suffix(".json").write_text(json.dumps(measured, indent=2) + "\n")
        stem.with_suffix(".txt").write_text(text + "\n")
        print(f"written: {stem}.txt and .json", flush=True)
        status = status or (0 if measured["within_targets"] else 2)
    return status


def under_load(args, label: str, url: str, built: dict) -> dict | None:
    """gunicorn on this database, the swarm against it for the run, gunicorn stopped and its log
    read: what was measured, or None (said on stderr) if a part failed."""
    port = free_port()
    load_before = os.getloadavg()
    log = ROOT / "var" / f"bench_load-{label.lower()}-gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(ROOT / "deploy" / "entrypoint")], cwd=ROOT,
                                  env=production_environment(url, port), stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        if not answering(port, server):
            print(f"{label}: gunicorn did not start; see {log}", file=sys.stderr)
            return None
        counts = people(args.users_scale)
        print(f"== {label}: {counts['practitioner']} practitioners, {counts['manager']} "
              f"managers, {counts['evaluator']} evaluators for {args.duration} s", flush=True)
        stats_file = ROOT / "var" / f"bench_load-{label.lower()}-stats.json"
        stats_file.unlink(missing_ok=True)
        swarm_run = subprocess.run(
            [sys.executable, __file__, "--swarm", built["plan"], "--duration",
             f"{args.duration}s", "--users-scale", str(args.users_scale), "--think",
             f"{args.think[0]}-{args.think[1]}", "--results", str(stats_file)],
            cwd=ROOT, env={**os.environ, "FF_LOAD_PORT": str(port)})
    finally:
        # SIGTERM, as systemd stops it: the requests in hand finish first.
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    if swarm_run.returncode != 0 or not stats_file.exists():
        print(f"{label}: the swarm failed (exit {swarm_run.returncode})", file=sys.stderr)
        return None
    measured = json.loads(stats_file.read_text())
    logged = read_log(log.read_text(errors="replace"))
    return verdict({
        "database": label, "server": built["server"], "service": built["service"],
        "date": date.today().isoformat(), "cpus": os.cpu_count(),
        "gunicorn": "deploy/entrypoint, deploy/production.env.example (3 sync workers)",
        "machine": "shared: other people's tests and benches may run at the same time",
        # The machine's load averages (1, 5, 15 minutes) as the run began and ended.
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "think_seconds": list(args.think), "people": people(args.users_scale),
        **measured, "log": logged,
    })


def production_environment(url: str, port: int) -> dict[str, str]:
    """deploy/production.env.example as tests/test_deployment.py reads it, but for what names a
    place: this database, this address and port (for the host names), var/ here."""
    from tests.test_deployment import documented_environment

    origin = f"https://127.0.0.1:{port}"
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin:/bin",
        "PYTHONPATH": str(ROOT), "HOME": str(ROOT / "var"),
        **documented_environment(),
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "DATABASE_URL": url, "FF_VAR_DIR": str(ROOT / "var"),
        "FF_STATIC_ROOT": str(ROOT / "var" / "static"),
        "ALLOWED_HOSTS": "127.0.0.1", "CSRF_TRUSTED_ORIGINS": origin, "FF_SITE_URL": origin,
        "FF_BIND": f"127.0.0.1:{port}",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answering(port: int, server: subprocess.Popen, wait: float = 120) -> bool:
    """Whether gunicorn answers /health/ (as nginx asks it, over HTTPS) within wait seconds."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/health/",
                                     headers={"X-Forwarded-Proto": "https"})
    until = time.monotonic() + wait
    while time.monotonic() < until and server.poll() is None:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - 127.0.0.1
                return response.status == 200
        except OSError:
            time.sleep(0.5)
    return False


def read_log(text: str) -> dict:
    """What gunicorn's log says of the run: the responses by status, the errors logged (each
    ERROR line, a traceback's first) and how many were "database is locked" (a traceback names
    it on its exception's lines; django.db's line is counted once per error)."""
    statuses: dict[str, int] = {}
    for status in re.findall(r'" (\d{3}) \S+ \d+ms$', text, re.M):
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "responses_by_status": dict(sorted(statuses.items())),
        "errors_logged": len(re.findall(r"^\S+ \S+ ERROR ", text, re.M)),
        "database_is_locked": len(re.findall(rf"^django\.db\.utils\.OperationalError: {LOCKED}",
                                             text, re.M)),
        "mentions_of_database_is_locked": text.count(LOCKED),
    }


def verdict(measured: dict) -> dict:
    """The measured run with each page's target and whether it, and the run, met them."""
    errors = sum(page["failures"] for page in measured["pages"].values())
    locked = max(measured["log"]["database_is_locked"], measured["locked_in_responses"])
    for name, _, target in PAGES:
        page = measured["pages"].get(name)
        if page is not None:
            page["target_p95_ms"] = target
            page["within"] = page["p95_ms"] is not None and page["p95_ms"] < target
    missing = [name for name, _, _ in PAGES if not measured["pages"].get(name, {}).get(
        "requests")]
    server_errors = sum(n for status, n in measured["log"]["responses_by_status"].items()
                        if status.startswith("5"))
    return {**measured, "errors": errors + measured["exceptions"], "server_errors": server_errors,
            "database_is_locked": locked, "pages_missing": missing,
            "within_targets": (not missing and errors + measured["exceptions"] == 0
                               and server_errors == 0 and locked == 0
                               and all(measured["pages"][name]["within"]
                                       for name, _, _ in PAGES))}


def table(measured: dict) -> str:
    columns = (f"{'page':<26} {'who':<13} {'requests':>8} {'errors':>6} {'p50 ms':>7} "
               f"{'p95 ms':>7} {'p99 ms':>7} {'target':>7}  ")
    rows = [f"{measured['database']}: {measured['server']}; {measured['service']}", "",
            *harness.ruled(columns)]

    def row(name: str, who: str, target: str, mark: str) -> str:
        page = measured["pages"].get(name) or {"requests": 0, "failures": 0, "p50_ms": None,
                                                "p95_ms": None, "p99_ms": None}
        cells = [f"{'' if page[k] is None else page[k]:>7}" for k in ("p50_ms", "p95_ms", "p99_ms")]
        return (f"{name:<26} {who:<13} {page['requests']:>8} {page['failures']:>6} "
                f"{' '.join(cells)} {target:>7}  {mark}")

    for name, who, target in PAGES:
        page = measured["pages"].get(name, {})
        mark = "" if page.get("within") else "ABOVE" if page.get("requests") else "NOT OPENED"
        rows.append(row(name, who, f"< {target}", mark))
    rows.append("")
    for name in SIGN_IN_PAGES:
        rows.append(row(name, "everyone", "", ""))
    people_line = ", ".join(f"{n} {role}s" for role, n in measured["people"].items())
    rows += [
        "",
        f"{people_line}, each waiting {measured['think_seconds'][0]:g}-"
        f"{measured['think_seconds'][1]:g} s between pages, for {measured['duration_s']} s once "
        f"all were signed in ({measured['requests_per_s']:.1f} requests/s; the sign-in rows are "
        f"the sign-ins before, {SIGNING_IN_AT_ONCE} at a time, all in after "
        f"{measured['signed_in_after_s']:.0f} s; codes given again, having gone out of date "
        f"while waiting: {measured['codes_given_again']}).",
        f"Errors: {measured['errors']} (failed requests and exceptions in the simulated "
        f"browsers); 5xx in gunicorn's log: {measured['server_errors']}; errors logged: "
        f"{measured['log']['errors_logged']}; \"database is locked\": "
        f"{measured['database_is_locked']}.",
        f"gunicorn: {measured['gunicorn']}; locust on the same {measured['cpus']} CPUs; "
        f"{measured['machine']} (load average {measured['load_average']['before'][0]:.1f} "
        f"before, {measured['load_average']['after'][0]:.1f} after).",
    ]
    if measured["pages_missing"]:
        rows.append(f"Pages never opened: {', '.join(measured['pages_missing'])}.")
    rows.append("Within the targets." if measured["within_targets"]
                else "NOT within the targets.")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# The building child: the service, its people and what the swarm needs to know of them.


def worker(args) -> int:
    harness.start_django(args.worker, SQLITE_PATH)
    from bench.data import COUNCIL_ADMINISTRATIONS, build_council

    started = time.perf_counter()
    service = build_council(args.size or COUNCIL_ADMINISTRATIONS)
    plan = ROOT / "var" / f"bench_load-{args.worker.lower()}-plan.json"
    plan.write_text(json.dumps(build_people(args, plan.parent)))
    print(f"   built in {time.perf_counter() - started:.0f} s: {service}", flush=True)
    harness.report(args.worker, SQLITE_PATH, service=service, plan=str(plan))
    return 0


def build_people(args, var: Path) -> dict:
    """The accounts the swarm signs in as, made usable (a password, an authenticator app); the
    extra managers and the evaluators; the trial; and for each person what they open: a
    practitioner's open families (each with the record form's answers), a manager's
    practitioners, the trial."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.data import build_package, seed_teams, session_form
    from familyfeedback import measures
    from familyfeedback.accounts.models import Membership, Role, RoleGrant, Team, User
    from familyfeedback.casework.models import Family
    from familyfeedback.evaluation import package_io

    counts = people(args.users_scale)
    today = timezone.localdate()
    teams = list(Team.objects.order_by("pk"))
    with transaction.atomic():
        # The council has a manager a team; a council's twenty share them out.
        made = User.objects.filter(role_grants__role=Role.TEAM_MANAGER).count()
        for n in range(made, counts["manager"]):
            manager = User.objects.create(email=f"manager.{n + 1}@bench.test",
                                          full_name=f"Manager {n + 1}",
                                          job_title="team_manager")
            RoleGrant.objects.create(user=manager, role=Role.TEAM_MANAGER)
            Membership.objects.create(user=manager, team=teams[n % len(teams)],
                                      kind=Membership.Kind.MANAGER)
        for n in range(counts["evaluator"]):
            evaluator = User.objects.create(email=f"evaluator.{n + 1}@bench.test",
                                            full_name=f"Evaluator {n + 1}")
            RoleGrant.objects.create(user=evaluator, role=Role.EVALUATOR)
    package = var / "bench_load-package"
    build_package(package, seed_teams(), 150, seed=2026)
    trial, _ = package_io.load(package, "Bench load trial")

    def accounts(role: str, count: int, **having) -> list[User]:
        found = list(User.objects.filter(role_grants__role=role, **having).distinct()
                     .order_by("pk")[:count])
        if len(found) < count:
            raise SystemExit(f"only {len(found)} {role} accounts for {count} people: "
                             "a larger --size, or a smaller --users-scale")
        return found

    chosen = {"practitioner": accounts(Role.PRACTITIONER, counts["practitioner"],
                                       families__isnull=False),
              "manager": accounts(Role.TEAM_MANAGER, counts["manager"]),
              "evaluator": accounts(Role.EVALUATOR, counts["evaluator"])}
    everyone = [user for users in chosen.values() for user in users]
    User.objects.filter(pk__in=[u.pk for u in everyone]).update(password=make_password(PASSWORD))
    keys = {user.pk: TOTPDevice.objects.create(user=user, name="Authenticator app",
                                               confirmed=True).key for user in everyone}

    def recordable(family: Family):
        """The record form's answers for this family today, or None if someone has no form
        for their age (a baby): the bench records only whole families."""
        folk = list(family.people.all())
        try:
            form = session_form(folk, today)
        except measures.UnknownMeasure:
            return None
        del form["token"]  # each POST makes its own
        return form

    plan: dict[str, list[dict]] = {}
    for user in chosen["practitioner"]:
        families = []
        for family in (Family.objects.filter(key_worker=user, episodes__closed_on__isnull=True)
                       .distinct().prefetch_related("people").order_by("pk")):
            families.append({"id": family.pk, "form": recordable(family)})
        if not any(family["form"] for family in families):
            raise SystemExit(f"{user.email} has no open family to record a session for")
        plan.setdefault("practitioner", []).append(
            {"email": user.email, "key": keys[user.pk], "families": families})
    for user in chosen["manager"]:
        managed = Membership.objects.filter(user=user, kind=Membership.Kind.MANAGER) \
            .values_list("team", flat=True)
        staff = list(Membership.objects.filter(team__in=managed, kind=Membership.Kind.MEMBER)
                     .values_list("user_id", flat=True).distinct())
        plan.setdefault("manager", []).append(
            {"email": user.email, "key": keys[user.pk], "practitioners": staff})
    for user in chosen["evaluator"]:
        plan.setdefault("evaluator", []).append(
            {"email": user.email, "key": keys[user.pk], "trial": trial.pk})
    return {"password": PASSWORD, **plan}


# ---------------------------------------------------------------------------------------------
# The swarm child: locust, as a library, in a process of its own (it patches the standard
# library for gevent on import).


def swarm(args) -> int:
    import gevent
    from gevent.lock import BoundedSemaphore
    from locust import HttpUser, between, task
    from locust.env import Environment
    from requests.cookies import RequestsCookieJar

    plan = json.loads(Path(args.swarm).read_text())
    counts = people(args.users_scale)
    port = int(os.environ["FF_LOAD_PORT"])
    origin = f"https://127.0.0.1:{port}"
    signed_in = itertools.count(1)
    state = {"signed_in": 0, "locked": 0, "codes_given_again": 0}
    addresses = itertools.count(1)
    door = BoundedSemaphore(SIGNING_IN_AT_ONCE)

    class BehindNginx(RequestsCookieJar):
        """A browser's cookie jar on HTTPS: cookies marked Secure go from a browser to nginx
        over HTTPS, and here the plain link to gunicorn stands for that one, so they are kept
        as sendable on it. (Redirects are followed one request at a time, each through this
        jar, as a browser follows them.)"""

        def set_cookie(self, cookie, *args, **kwargs):
            cookie.secure = False
            return super().set_cookie(cookie, *args, **kwargs)

    class Person(HttpUser):
        """Someone at a browser on HTTPS, through nginx: nginx's headers on every request, the
        browser's Origin and Referer on every POST, and its secure cookies."""

        abstract = True
        host = f"http://127.0.0.1:{port}"
        wait_time = between(*args.think)
        role = ""
        accounts = iter(())

        def on_start(self):
            self.account = next(self.accounts)
            self.client.cookies = BehindNginx()
            n = next(addresses)
            self.headers = {"X-Forwarded-Proto": "https",
                            "X-Forwarded-For": f"10.0.{n // 250}.{n % 250 + 1}"}
            with door:
                self.sign_in()
            state["signed_in"] = next(signed_in)

        def sign_in(self):
            from django_otp.oath import TOTP

            self.page("/sign-in/", "sign-in form")
            where = self.post("/sign-in/", "sign-in password POST", {
                "username": self.account["email"], "password": plan["password"]}, "/")
            # As the browser follows the redirects: to the home page, which sends the person on
            # to give their code, and the code page, with the new CSRF token signing in made.
            code_page = self.redirected(where, "sign-in home, to the code", "/sign-in/code/")
            self.page(code_page, "sign-in code form")
            for attempt in range(1, CODE_TRIES + 1):
                code = TOTP(bytes.fromhex(self.account["key"])).token()
                with self.client.post("/sign-in/code/", name="sign-in code POST",
                                      data={"code": f"{code:06d}",
                                            "csrfmiddlewaretoken": self.csrf},
                                      catch_response=True, allow_redirects=False,
                                      headers={**self.headers, "Origin": origin,
                                               "Referer": origin + "/sign-in/code/"}) as response:
                    if response.status_code == 200 and attempt < CODE_TRIES:
                        # Refused: the code went out of date while the request queued behind
                        # others' passwords. The person types the one their app shows now,
                        # after the wait a wrong code costs (2, then 4 seconds).
                        self.checked(response, 200)
                        state["codes_given_again"] += 1
                        gevent.sleep(2 ** attempt)
                        continue
                    self.onward(response, "/")
                    return

        def page(self, path: str, name: str) -> str:
            """GET path, its time counted as name's; the page, which must be the page asked
            for (not the sign-in page) with 200."""
            with self.client.get(path, name=name, headers=self.headers, catch_response=True,
                                 allow_redirects=False) as response:
                return self.checked(response, 200)

        def redirected(self, path: str, name: str, going: str) -> str:
            """GET path, which must send the browser on to a page starting with going; that
            page's address."""
            with self.client.get(path, name=name, headers=self.headers, catch_response=True,
                                 allow_redirects=False) as response:
                return self.onward(response, going)

        def post(self, path: str, name: str, data: dict, going: str) -> str:
            """POST the form at path (its CSRF token from the page last read), which must send
            the browser on to a page starting with going; that page's address."""
            data = {**data, "csrfmiddlewaretoken": self.csrf}
            with self.client.post(path, name=name, data=data, catch_response=True,
                                  allow_redirects=False,
                                  headers={**self.headers, "Origin": origin,
                                           "Referer": origin + path}) as response:
                return self.onward(response, going)

        def onward(self, response, going: str) -> str:
            self.checked(response, 302)
            where = response.headers.get("Location", "")
            if not where.startswith(going):
                response.failure(f"sent on to {where!r}, not {going!r}")
            return where

        def checked(self, response, status: int) -> str:
            text = response.text or ""
            if LOCKED in text:
                state["locked"] += 1
            if response.status_code != status:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
                return ""
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
            if token:
                self.csrf = token[1]
            return text

    # Each person goes round their pages in the order their work takes them, waiting between
    # pages as they read (a form's POST and the page it goes on to follow at once), so that every
    # page is opened in every round, however short the run.

    class Practitioner(Person):
        """The caseload, a family's page, then the record form for one of their families,
        filled in and sent, and the session page it goes on to."""

        fixed_count = counts["practitioner"]
        accounts = iter(plan["practitioner"])

        @task
        def round(self):
            self.page("/", "caseload")
            self.wait()
            self.page(f"/families/{pick(self.account['families'])['id']}/", "family page")
            self.wait()
            # Only whole families: the plan leaves out a family with a baby too young for a form.
            family = pick([f for f in self.account["families"] if f["form"]])
            path = f"/families/{family['id']}/sessions/new/"
            self.page(path, "record form")
            self.wait()
            answers = {**family["form"], "token": str(uuid.uuid4())}
            if where := self.post(path, "record POST", answers, "/sessions/"):
                self.page(where, "session page")

    class Manager(Person):
        """The dashboards, their team, and one of their practitioners' supervision page."""

        fixed_count = counts["manager"]
        accounts = iter(plan["manager"])

        @task
        def round(self):
            self.page("/dashboards/", "dashboards")
            self.wait()
            self.page("/team/", "team")
            self.wait()
            self.page(f"/team/{pick(self.account['practitioners'])}/", "supervision")

    class Evaluator(Person):
        """The trials, the trial, and its analysis."""

        fixed_count = counts["evaluator"]
        accounts = iter(plan["evaluator"])

        @task
        def round(self):
            self.page("/evaluation/", "trials")
            self.wait()
            self.page(f"/evaluation/{self.account['trial']}/", "trial")
            self.wait()
            self.page(f"/evaluation/{self.account['trial']}/analysis/", "analysis")

    total = sum(counts.values())
    environment = Environment(user_classes=[Practitioner, Manager, Evaluator])
    runner = environment.create_local_runner()
    runner.start(total, spawn_rate=SPAWN_RATE)
    waited = 0.0
    while state["signed_in"] < total and waited < SIGN_IN_WAIT and not runner.exceptions:
        gevent.sleep(0.5)
        waited += 0.5
    sign_ins = {name: figures(entry) for (name, _), entry in environment.stats.entries.items()}
    failures_signing_in = [error.to_dict() for error in environment.stats.errors.values()]
    exceptions_signing_in = sum(e["count"] for e in runner.exceptions.values())
    if state["signed_in"] < total:
        runner.quit()
        print(f"only {state['signed_in']} of {total} signed in within {waited:.0f} s; "
              f"{exceptions_signing_in} exceptions; failures: "
              f"{[e.to_dict() for e in environment.stats.errors.values()]}", file=sys.stderr)
        return 1
    environment.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(args.duration)
    runner.quit()
    ran = time.monotonic() - started
    pages = {name: figures(entry) for (name, _), entry in environment.stats.entries.items()}
    requests = sum(page["requests"] for page in pages.values())
    Path(args.results).write_text(json.dumps({
        "duration_s": round(ran), "requests_per_s": requests / ran,
        "pages": {**pages, **{k: v for k, v in sign_ins.items() if k in SIGN_IN_PAGES}},
        "failures": failures_signing_in
        + [error.to_dict() for error in environment.stats.errors.values()],
        "exceptions": sum(e["count"] for e in runner.exceptions.values()),
        "exception_texts": [e["msg"] for e in runner.exceptions.values()],
        "locked_in_responses": state["locked"],
        "codes_given_again": state["codes_given_again"],
        "signed_in_after_s": waited,
    }, indent=2))
    return 0


def pick(items: list):
    """One of items, chosen as a person would: any of them."""
    return items[secrets.randbelow(len(items))]


def figures(entry) -> dict:
    """One page's figures from locust's statistics (its percentiles are of response times
    rounded to two significant figures above 100 ms)."""
    def percentile(share: float) -> int | None:
        return entry.get_response_time_percentile(share) if entry.num_requests else None

    return {"requests": entry.num_requests, "failures": entry.num_failures,
            "p50_ms": percentile(0.5), "p95_ms": percentile(0.95), "p99_ms": percentile(0.99),
            "max_ms": round(entry.max_response_time or 0)}


if __name__ == "__main__":
    sys.exit(main())
