"""How long the two busiest pages take, against the framework's own floor.

    .venv/bin/python bench/record_session.py [--rounds N] [--warmup N] [--postgres URL]
                                             [--profile] [--show-queries]

Times, through django.test.Client on a real database with the production settings:

  (a) the record-session POST for a family of four (two adults, a 9-year-old on the CORS/CSRS and
      a 4-year-old on the faces forms), every form completed, a fresh token each time;
  (b) the family page GET for that family's twin with 20 earlier sessions;
  (e) the family page GET for the same family with 200 earlier sessions, beside (b): its
      sessions table shows a page of them and its charts draw them all (target: 1.5x (b));
  (c) the floor: a bare function view that requires sign-in and returns a tiny HttpResponse,
      through the same middleware and the same database (session and user look-ups);
  (d) the same family's session given in two halves on the tablet, each request beside (a): the
      start POST, each person's ORS screen (GET, then POST), the session page, each person's SRS
      screen (GET, then POST), the end page (GET, then POST). The steps take their turns in
      order, so each round is one whole session; under the table, each way's page loads (the
      requests a browser makes, a redirect followed being one more) and inputs (the boxes, faces
      and choices a person fills).

SQLite always (a fresh file, var/bench.sqlite3); PostgreSQL as well when --postgres URL is given
or DATABASE_URL is a postgres URL (a dedicated database, ff_bench, dropped and made again each
run). Each database runs in its own child process, so the settings are read as in production.
"""

import re
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: this checkout's bench and app, before any other

from bench import harness  # noqa: E402
from bench.data import build_family_pages, session_form  # noqa: E402

SQLITE_PATH = ROOT / "var" / "bench.sqlite3"
PG_BENCH_DB = "ff_bench"
# Each case, and the case its time is measured against.
CASES = (
    ("post", "(a) record-session POST, family of 4", "floor"),
    ("family", "(b) family page GET, 20 sessions", "floor"),
    ("floor", "(c) floor: signed-in bare view", None),
)
TARGET_RATIO = 2.0
# The family page with ten times the sessions, beside the page with 20.
GROWTH = (
    ("family", "(b) family page GET, 20 sessions", None),
    ("family200", "(e) family page GET, 200 sessions", "family"),
)
GROWTH_TARGET = 1.5
# The family of four in bench/data.py, oldest first, as the tablet is handed round.
WHO = ("adult 1", "adult 2", "9-year-old", "4-year-old")
HALVES = (
    ("start", "(d) start POST", "post"),
    *[(f"ors-{n}-{method}", f"(d) ORS screen {method.upper()}, {who}", "post")
      for n, who in enumerate(WHO) for method in ("get", "post")],
    ("hub", "(d) session page GET", "post"),
    *[(f"srs-{n}-{method}", f"(d) SRS screen {method.upper()}, {who}", "post")
      for n, who in enumerate(WHO) for method in ("get", "post")],
    ("end-get", "(d) end page GET", "post"),
    ("end-post", "(d) end POST", "post"),
)


# ---------------------------------------------------------------------------------------------
# The parent: one child process per database, then the table.


def main() -> int:
    parser = harness.options(__doc__, PG_BENCH_DB, rounds=200, warmup=20,
                             profile="print a cProfile summary of each case after timing")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL each case runs")
    return harness.main(__file__, parser, worker=worker, summary=summary,
                        databases=(SQLITE_PATH, PG_BENCH_DB))


def summary(results: list[dict], args) -> str:
    worst = max(r["cases"][key]["median_ms"] / r["cases"]["floor"]["median_ms"]
                for r in results for key in ("post", "family"))
    grown = max(r["cases"]["family200"]["median_ms"] / r["cases"]["family"]["median_ms"]
                for r in results)
    return "\n".join([
        harness.verdict(table(results), f"Worst ratio to the floor {worst:.1f}x",
                        worst <= TARGET_RATIO, f"{TARGET_RATIO:g}x"),
        harness.verdict("", f"Worst ratio of 200 sessions to 20 {grown:.2f}x",
                        grown <= GROWTH_TARGET, f"{GROWTH_TARGET:g}x").strip()])


def table(results: list[dict]) -> str:
    ratio = harness.Column("x floor", 7, ".1f", get=harness.ratio_to_base(CASES))
    halves = harness.Column("x (a)", 7, ".2f", get=harness.ratio_to_base(HALVES))
    return "\n".join([
        *harness.case_table(results, CASES, harness.timed_columns(ratio), title_width=40,
                            about=lambda r: ""),
        "", "The family page as its sessions grow, beside (b):", "",
        *harness.case_table(results, GROWTH, harness.timed_columns(
            harness.Column("x (b)", 7, ".2f", get=harness.ratio_to_base(GROWTH))),
            title_width=40),
        "", "A session in two halves, each request beside (a):", "",
        *harness.case_table(results, HALVES, harness.timed_columns(halves), title_width=40),
        "", *flows(results)])


def flows(results: list[dict]) -> list[str]:
    """Each way of recording the session: its page loads, its inputs, and the sum of the medians
    of the requests timed for it (on each database)."""
    one, two = results[0]["flows"]["one_page"], results[0]["flows"]["two_halves"]
    rows = harness.ruled(f"{'way':<26} {'page loads':>10} {'inputs':>7}  summed medians, ms")
    for name, flow, keys in (("one-page form", one, ["post"]),
                             ("two halves on the tablet", two, [k for k, *_ in HALVES])):
        sums = ", ".join(f"{r['database']} {sum(r['cases'][k]['median_ms'] for k in keys):.1f}"
                         for r in results)
        rows.append(f"{name:<26} {flow['page_loads']:>10} {flow['inputs']:>7}  {sums}")
    return rows


# ---------------------------------------------------------------------------------------------
# The child: set up Django on one database, build the family (bench/data.py), time the three
# requests.


def worker(args) -> int:
    harness.start_django(args.worker, SQLITE_PATH)
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF=bench_urlconf()):
        bench = Bench(args)
        bench.run()
    harness.report(args.worker, SQLITE_PATH, rounds=args.rounds, warmup=args.warmup,
                   cases=bench.results, flows=bench.flows())
    return 0


def bench_urlconf() -> str:
    """The site's URLs plus the floor view, as a module made here so that the bench needs no file
    in the app."""
    import types

    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import include, path

    import familyfeedback.urls as site

    @login_required
    def floor(request):
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bench/floor/", floor, name="bench_floor"),
                          path("", include(site))]
    for handler in ("handler404", "handler500", "handler403"):
        setattr(module, handler, getattr(site, handler))
    sys.modules[module.__name__] = module
    return module.__name__


class Bench:
    def __init__(self, args):
        from django.test import Client
        from django.utils import timezone

        self.args = args
        self.results: dict[str, dict] = {}
        self.today = timezone.localdate()
        self.user, self.page_family, self.post_family, long_family = build_family_pages(
            self.today)
        self.people = list(self.post_family.people.all())
        self.client = Client()
        self.client.force_login(self.user)
        # The pages need the second factor too: the code from the person's authenticator app,
        # through the code page, as they give it.
        from tests import factories

        device = factories.authenticator(self.user)
        self.send("/sign-in/code/", {"code": factories.unused_code(device)})
        self.urls = {
            "post": f"/families/{self.post_family.pk}/sessions/new/",
            "family": f"/families/{self.page_family.pk}/",
            "family200": f"/families/{long_family.pk}/",
            "floor": "/bench/floor/",
            "start": f"/families/{self.post_family.pk}/sessions/start/",
        }
        self.session_url = ""  # the two-halves session of this round, made by its start POST

    def form_data(self) -> dict:
        """What the record-session form sends when every form is completed."""
        return session_form(self.people, self.today)

    def start_data(self) -> dict:
        """What the tablet's start page sends: its own questions, as the record form's."""
        return {key: value for key, value in self.form_data().items()
                if not re.match(r"p\d+-", key)}

    def rating_data(self, person, tool: str) -> dict:
        """What one person's own screen sends: their marks, or the face they chose."""
        full = self.form_data()
        prefix = f"p{person.pk}-{tool.lower()}-"
        return {f"rating-{key.removeprefix(prefix)}": value for key, value in full.items()
                if key.startswith(prefix) and not key.endswith(("-status", "-notes"))}

    def halves_request(self, key: str):
        """One step of the session in two halves; the start makes the round's session."""
        if key == "start":
            return self.send(self.urls["start"], self.start_data(), then=self.started)
        if key == "hub":
            return self.send(self.session_url, None)
        if key.startswith("end"):
            return self.send(self.session_url + "end/", {} if key == "end-post" else None)
        tool, n, method = key.split("-")
        person = self.people[int(n)]
        url = f"{self.session_url}rate/{person.pk}/{tool.upper()}/"
        return self.send(url, self.rating_data(person, tool) if method == "post" else None)

    def started(self, response) -> None:
        self.session_url = re.match(r"(/sessions/\d+/)", response["Location"]).group(1)

    def send(self, url: str, data: dict | None, then=None):
        """A GET (data None), or a POST of data followed by nothing: a browser would follow its
        redirect, which the flow's next step is."""
        if data is None:
            return self.checked(url, self.client.get(url), 200)
        response = self.client.post(url, urlencode(data, doseq=True),
                                    content_type="application/x-www-form-urlencoded")
        self.client.cookies.pop("messages", None)
        self.checked(url, response, 302)
        if then is not None:
            then(response)
        return response

    @staticmethod
    def checked(key: str, response, expected: int):
        if response.status_code != expected:
            raise SystemExit(f"{key}: expected {expected}, got {response.status_code} "
                             f"{response.get('Location', '')}\n" + page_errors(response))
        return response

    def flows(self) -> dict:
        """Each way's page loads, as a browser makes them, and inputs, from what it sends."""
        def filled(data: dict) -> int:
            return sum(1 for key in data if key.endswith(("-status", "-face"))
                       or re.search(r"-item_\d$", key))

        rated = [self.rating_data(p, tool) for tool in ("ORS", "SRS") for p in self.people]
        return {
            # The form, its POST, and the session page it goes on to.
            "one_page": {"page_loads": 3, "inputs": filled(self.form_data())},
            # The start page, its POST and the first hand-over;
            # for each rating its screen, its POST and the hand-over (or the session page) it
            # goes on to; at the end the end page, its POST and the session page.
            "two_halves": {"page_loads": 3 + 3 * len(rated) + 3,
                           "inputs": sum(filled(data) for data in rated)},
        }

    def request(self, key: str):
        if key not in ("post", "family", "family200", "floor"):
            return self.halves_request(key)
        if key == "post":
            # Sent urlencoded: multipart (the page's enctype, for photos) costs parsing time a
            # form without a photo does not need, and would measure the test client. A browser
            # follows the redirect, and the session page shows and so clears the message: send
            # drops it, so that messages do not pile up into the session store.
            return self.send(self.urls[key], self.form_data())
        return self.send(self.urls[key], None)

    def run(self) -> None:
        calls = {key: (lambda key=key: self.request(key)) for key, _, _ in CASES + GROWTH[1:]
                 + HALVES}
        timings = harness.take_turns(calls, self.args.rounds, self.args.warmup)
        for key, call in calls.items():
            queries = harness.queries_of(call)
            self.results[key] = {**harness.spread(timings[key]), "queries": len(queries)}
            if self.args.show_queries:
                print(f"-- {key}: {len(queries)} queries")
                for query in queries:
                    print("   ", query["sql"][:160])
        if self.args.profile:
            for key, call in calls.items():
                harness.profile(f"50 x {key}", call, times=50, lines=30)

def page_errors(response) -> str:
    """The error summary and field errors of a page, for a POST that did not validate."""
    html = response.content.decode(errors="replace")
    found = re.findall(
        r'class="govuk-error-(?:message|summary__list)"[^>]*>(.*?)</(?:p|ul)>', html, re.S
    )
    text = [re.sub(r"<[^>]+>|\s+", " ", chunk).strip() for chunk in found]
    return "\n".join(text) or html[:2000]


if __name__ == "__main__":
    sys.exit(main())
