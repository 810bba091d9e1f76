"""How long the two busiest pages take, against the framework's own floor.

    .venv/bin/python bench/record_session.py [--rounds N] [--warmup N] [--postgres URL]
                                             [--profile] [--show-queries]

Times, through django.test.Client on a real database with the production settings:

  (a) the record-session POST for a family of four (two adults, a 9-year-old on the CORS/CSRS and
      a 4-year-old on the faces forms), every form completed, a fresh token each time;
  (b) the family page GET for that family's twin with 20 earlier sessions;
  (c) the floor: a bare function view that requires sign-in and returns a tiny HttpResponse,
      through the same middleware and the same database (session and user look-ups).

SQLite always (a fresh file, var/bench.sqlite3); PostgreSQL as well when --postgres URL is given
or DATABASE_URL is a postgres URL (a dedicated database, ff_bench, dropped and made again each
run). Each database runs in its own child process, so the settings are read as in production.
"""

import re
import sys
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: this checkout's bench and app, before any other

from bench import harness  # noqa: E402
from bench.data import build_family_pages  # noqa: E402

SQLITE_PATH = ROOT / "var" / "bench.sqlite3"
PG_BENCH_DB = "ff_bench"
# Each case, and the case its time is measured against.
CASES = (
    ("post", "(a) record-session POST, family of 4", "floor"),
    ("family", "(b) family page GET, 20 sessions", "floor"),
    ("floor", "(c) floor: signed-in bare view", None),
)
TARGET_RATIO = 2.0


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
    return harness.verdict(table(results), f"Worst ratio to the floor {worst:.1f}x",
                           worst <= TARGET_RATIO, f"{TARGET_RATIO:g}x")


def table(results: list[dict]) -> str:
    ratio = harness.Column("x floor", 7, ".1f", get=harness.ratio_to_base(CASES))
    return "\n".join(harness.case_table(results, CASES, harness.timed_columns(ratio),
                                         title_width=40, about=lambda r: ""))


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
                   cases=bench.results)
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
        self.user, self.page_family, self.post_family = build_family_pages(self.today)
        self.people = list(self.post_family.people.all())
        self.client = Client()
        self.client.force_login(self.user)
        self.urls = {
            "post": f"/families/{self.post_family.pk}/sessions/new/",
            "family": f"/families/{self.page_family.pk}/",
            "floor": "/bench/floor/",
        }

    def form_data(self) -> dict:
        """What the record-session form sends when every form is completed."""
        from familyfeedback import measures

        data = {
            "token": str(uuid.uuid4()),
            "date-day": str(self.today.day),
            "date-month": str(self.today.month),
            "date-year": str(self.today.year),
            "kind": "home_visit",
            "present": [str(p.pk) for p in self.people],
            "notes": "",
            # Every round records today for the same family: each POST says, as the page's
            # "Yes, save it as another session" button does, that this is one more session.
            "another_session": "on",
        }
        for person in self.people:
            age = measures.age_on(person.date_of_birth, self.today)
            for tool in ("ORS", "SRS"):
                measure = measures.measure_for(tool, age)
                prefix = f"p{person.pk}-{tool.lower()}"
                data[f"{prefix}-status"] = "completed"
                data[f"{prefix}-shown_measure"] = measure.code
                data[f"{prefix}-notes"] = ""
                if measure.kind == "faces":
                    data[f"{prefix}-face"] = "happy"
                else:
                    # The marks, as the page sends them: the lines only fill these boxes.
                    for i, item in enumerate(measure.items):
                        data[f"{prefix}-{item.key}"] = f"{6 + i * 0.7:.1f}"
        return data

    def request(self, key: str):
        if key == "post":
            # Sent urlencoded: multipart (the page's enctype, for photos) costs parsing time a
            # form without a photo does not need, and would measure the test client.
            response = self.client.post(self.urls[key], urlencode(self.form_data(), doseq=True),
                                        content_type="application/x-www-form-urlencoded")
            # A browser follows the redirect, and the session page shows and so clears the
            # message; drop it here so that messages do not pile up into the session store.
            self.client.cookies.pop("messages", None)
            expected = 302
        else:
            response = self.client.get(self.urls[key])
            expected = 200
        if response.status_code != expected:
            raise SystemExit(f"{key}: expected {expected}, got {response.status_code}\n"
                             + page_errors(response))
        return response

    def run(self) -> None:
        calls = {key: (lambda key=key: self.request(key)) for key, _, _ in CASES}
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
