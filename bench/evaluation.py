"""How long an evaluation package takes to import and analyse, and the JSON report from the shell.

    .venv/bin/python bench/evaluation.py [--rounds N] [--large-rounds N] [--postgres URL]
                                         [--profile]

Generates two evaluation packages (docs/formats/evaluation-package.md) as CSV files in
var/bench_evaluation_packages (written again each run), from a seeded random number generator:

  (1) seed-sized: 5 teams (three intervention teams, two of them one randomisation unit; two
      comparison teams), 47 practitioners, training for the intervention arm, three waves
      (baseline and endline: working alliance and ProQOL compassion satisfaction for both arms;
      post-training: acceptability and feasibility of the ORS and the SRS, intervention arm only),
      the ten custom questions of the format's example package (docs/formats/example-package),
      about 150 ORS/SRS administrations;
  (2) synthetic: 200 teams in 180 units, about 2,000 practitioners, responses in the same
      proportions, about 60,000 ORS/SRS administrations.

Then times, in-process with time.perf_counter, `package_io.load(dir, trial)` (read, check, import:
one transaction) into a fresh trial each round, and `analysis.report(trial)` on that trial, then
the evaluation report drawn from it as HTML and as PDF (evaluation.report.output; target for the
seed-sized PDF under 10 s); and, for (1), the whole command line `python manage.py
evaluation_report --trial NAME --format json` as a subprocess (wall clock, Python start-up
included; target under 2 s), beside three floors:
`python -c pass`, `python -c "import django; django.setup()"` and `python manage.py
evaluation_report --help` (Django set up and the command's module imported, no query). The
command skips Django's system checks (they import every URL and view). Its JSON is checked
against the in-process report.

SQLite always (a fresh file, var/bench_evaluation.sqlite3); PostgreSQL as well when --postgres
URL is given or DATABASE_URL is a postgres URL (a dedicated database, ff_bench_evaluation,
dropped and made again each run). Each database runs in its own child process, so the settings
are read as in production.
"""

import csv
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: this checkout's bench and app, before any other

from bench import harness  # noqa: E402
from bench.data import HEADERS, build_package, large_teams, seed_teams  # noqa: E402

SQLITE_PATH = ROOT / "var" / "bench_evaluation.sqlite3"
PG_BENCH_DB = "ff_bench_evaluation"
PACKAGES = ROOT / "var" / "bench_evaluation_packages"
CASES = (
    ("seed_import", "(1) seed-sized: import (package_io.load)"),
    ("seed_report", "(1) seed-sized: analysis.report"),
    ("seed_html", "(1) seed-sized: report as HTML (output.html)"),
    ("seed_pdf", "(1) seed-sized: report as PDF (output.pdf)"),
    ("cli_python", "(1) floor: python -c pass"),
    ("cli_setup", "(1) floor: python -c 'django.setup()'"),
    ("cli_help", "(1) floor: manage.py evaluation_report --help"),
    ("cli_report", "(1) manage.py evaluation_report --format json"),
    ("large_import", "(2) 200 teams: import (package_io.load)"),
    ("large_report", "(2) 200 teams: analysis.report"),
    ("large_html", "(2) 200 teams: report as HTML (output.html)"),
    ("large_pdf", "(2) 200 teams: report as PDF (output.pdf)"),
    ("large_cli", "(2) 200 teams: manage.py evaluation_report"),
)
SEED = 2022
TARGET_CLI_S = 2.0
TARGET_PDF_S = 10.0

# ---------------------------------------------------------------------------------------------
# The parent: make the packages, one child process per database, then the table.


def main() -> int:
    parser = harness.options(__doc__, PG_BENCH_DB, rounds=10, rounds_help="timed rounds for "
                             "the seed-sized package and the command (default 10)",
                             profile="print cProfile summaries of the import, the analysis and "
                                     "the command, and where the command's start-up goes")
    parser.add_argument("--large-rounds", type=int, default=3,
                        help="timed rounds for the 200-team package (default 3)")
    return harness.main(__file__, parser, worker=worker, summary=summary, targets=packages,
                        doing=lambda args: f"{args.rounds} seed-sized and {args.large_rounds} "
                                           "200-team rounds")


def packages(args) -> list[tuple[str, str]]:
    """Both packages written, for the children to import; the databases they run on."""
    # The packages' waves are the app's own (evaluation.actions), so Django is set up to read
    # them; each child sets it up again on its own database.
    harness.load_django()
    sizes = {
        "seed": build_package(PACKAGES / "seed", seed_teams(), 150, SEED),
        "large": build_package(PACKAGES / "large", large_teams(random.Random(SEED + 1)), 60_000,
                               SEED + 2),
    }
    for name, counts in sizes.items():
        print(f"package {name}: " + ", ".join(f"{file.removesuffix('.csv')} {n:,}"
                                              for file, n in counts.items()))
    return harness.bench_targets(SQLITE_PATH, args.postgres, PG_BENCH_DB)


def summary(results: list[dict], args) -> str:
    worst = max(r["cases"]["cli_report"]["median_ms"] for r in results) / 1000
    worst_p90 = max(r["cases"]["cli_report"]["p90_ms"] for r in results) / 1000
    said = (f"Seed-sized JSON report from the command line: median {worst:.2f} s, p90 "
            f"{worst_p90:.2f} s at worst")
    pdf = max(r["cases"]["seed_pdf"]["median_ms"] for r in results) / 1000
    said += f"; seed-sized PDF report: median {pdf:.2f} s at worst (target {TARGET_PDF_S:g} s)"
    return harness.verdict(table(results), said,
                           worst_p90 < TARGET_CLI_S and pdf < TARGET_PDF_S, f"{TARGET_CLI_S:g} s",
                           median_within=worst < TARGET_CLI_S)


def table(results: list[dict]) -> str:
    rows = harness.case_table(results, CASES, (
        harness.Column("median ms", 9, ".1f", "median_ms"),
        harness.Column("p90 ms", 9, ".1f", "p90_ms"),
        harness.Column("rounds", 6, field="rounds"),
        harness.Column("queries", 7, field="queries"),
    ), title_width=48, about=lambda r: (f"; report JSON {r['json_bytes']['seed']:,} bytes "
                                        f"(seed-sized), {r['json_bytes']['large']:,} bytes "
                                        "(200 teams)"))
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# The child: set up Django on one database, import and analyse each package round after round.


def worker(args) -> int:
    harness.start_django(args.worker, SQLITE_PATH)
    bench = Bench(args, PACKAGES)
    bench.run()
    harness.report(args.worker, SQLITE_PATH, cases=bench.results, json_bytes=bench.json_bytes)
    return 0


class QueryCounter:
    """Counts the queries run while installed (connection.execute_wrapper), cheaply enough to
    stay on while timing: CaptureQueriesContext would keep the text of 60,000-row inserts."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Bench:
    def __init__(self, args, packages: Path):
        self.args = args
        self.packages = packages
        self.results: dict[str, dict] = {}
        self.json_bytes: dict[str, int] = {}
        self.timings: dict[str, list[float]] = {key: [] for key, _ in CASES}
        self.queries: dict[str, int | None] = {key: None for key, _ in CASES}
        self.trials: dict[str, list[str]] = {"seed": [], "large": []}

    def timed(self, key: str, function, *arguments):
        from django.db import connection

        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            value = function(*arguments)
            self.timings[key].append((time.perf_counter() - start) * 1000)
        self.queries[key] = counter.count
        return value

    def import_and_report(self, size: str, name: str):
        from familyfeedback.evaluation import analysis, package_io

        directory = self.packages / size
        trial, added = self.timed(f"{size}_import", package_io.load, directory, name)
        expected = {file: sum(1 for _ in (directory / file).open(encoding="utf-8")) - 1
                    for file in HEADERS}
        blank = sum(1 for row in csv.DictReader((directory / "responses.csv").open(
            encoding="utf-8")) if not row["value"])
        expected["responses.csv"] -= blank  # blank answers are not stored
        if added != expected:
            raise SystemExit(f"{name}: imported {added}, expected {expected}")
        report = self.timed(f"{size}_report", analysis.report, trial)
        # The evaluation report drawn from the same trial (target: the PDF under 10 s).
        from familyfeedback.evaluation.report import output

        self.timed(f"{size}_html", output.html, trial)
        self.timed(f"{size}_pdf", output.pdf, trial)
        self.trials[size].append(name)
        return report

    def command(self, key: str, arguments: list[str], expected: dict | None = None) -> None:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, *arguments], cwd=ROOT, capture_output=True,
                              text=True)
        self.timings[key].append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(arguments)} failed:\n{done.stderr}")
        if expected is not None and json.loads(done.stdout) != expected:
            raise SystemExit(f"{' '.join(arguments)}: the JSON differs from analysis.report")

    def run(self) -> None:
        # An untimed round first, so that module imports and the first connection fall outside
        # the timings (the command's own start-up is timed in full, that being the point).
        self.import_and_report("seed", "bench-seed-warm-up")
        for key in self.timings:
            self.timings[key].clear()
        report_command = ["manage.py", "evaluation_report", "--format", "json", "--trial"]
        self.command("cli_report", report_command + ["bench-seed-warm-up"])
        self.timings["cli_report"].clear()
        for n in range(1, self.args.rounds + 1):
            name = f"bench-seed-{n}"
            report = self.import_and_report("seed", name)
            expected = json.loads(json.dumps(report, allow_nan=False))
            self.json_bytes["seed"] = len(json.dumps(report, indent=2))
            # The command lines take turns, so drift in the machine falls on all alike.
            self.command("cli_python", ["-c", "pass"])
            self.command("cli_setup", ["-c", "import django; django.setup()"])
            self.command("cli_help", ["manage.py", "evaluation_report", "--help"])
            self.command("cli_report", report_command + [name], expected)
        for n in range(1, self.args.large_rounds + 1):
            name = f"bench-large-{n}"
            report = self.import_and_report("large", name)
            self.json_bytes["large"] = len(json.dumps(report, indent=2))
            self.command("large_cli", report_command + [name],
                         json.loads(json.dumps(report, allow_nan=False)))
            print(f"   {name}: import {self.timings['large_import'][-1] / 1000:.1f} s, "
                  f"report {self.timings['large_report'][-1] / 1000:.2f} s, command "
                  f"{self.timings['large_cli'][-1] / 1000:.2f} s", flush=True)
        for key, _ in CASES:
            values = self.timings[key]
            self.results[key] = {**harness.spread(values), "rounds": len(values),
                                 "queries": self.queries[key]}
        if self.args.profile:
            self.profile()

    def profile(self) -> None:
        import io
        import pstats

        from familyfeedback.evaluation import analysis, package_io
        from familyfeedback.evaluation.models import Trial

        harness.profile("seed-sized import",
                lambda: package_io.load(self.packages / "seed", "bench-seed-profile"))
        large = Trial.objects.get(name=self.trials["large"][-1])
        harness.profile("200-team analysis.report", lambda: analysis.report(large))
        harness.profile("200-team import",
                lambda: package_io.load(self.packages / "large", "bench-large-profile"))
        # The command line: where its start-up goes (python -X importtime, top imports by
        # cumulative time) and the profile of the whole command in a fresh interpreter.
        done = subprocess.run([sys.executable, "-X", "importtime", "manage.py",
                               "evaluation_report", "--format", "json", "--trial",
                               self.trials["seed"][-1]], cwd=ROOT, capture_output=True, text=True)
        top = []  # (cumulative microseconds, name) of the imports made at the top level
        for line in done.stderr.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[1].strip().isdigit():
                name = parts[2].rstrip()
                if len(name) - len(name.lstrip()) == 1:
                    top.append((int(parts[1]), name.strip()))
        print(f"-- imports of manage.py evaluation_report: {sum(t for t, _ in top) / 1000:.0f} "
              "ms in all; the slowest top-level imports (cumulative):")
        for us, name in sorted(top, reverse=True)[:15]:
            print(f"   {us / 1000:8.1f} ms  {name}")
        out_file = ROOT / "var" / "bench_evaluation_command.prof"
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out_file), "manage.py",
                        "evaluation_report", "--format", "json", "--trial",
                        self.trials["seed"][-1]], cwd=ROOT, capture_output=True, check=True)
        out = io.StringIO()
        pstats.Stats(str(out_file), stream=out).sort_stats("cumulative").print_stats(25)
        print("-- profile of the whole command (fresh interpreter)")
        print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
