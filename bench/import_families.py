"""How long onboarding a whole service from the case system takes: `manage.py import_families`
on an export of 1,500 open families (1 to 6 people each, about 4,500 rows).

    .venv/bin/python bench/import_families.py [--rounds N] [--families N] [--postgres URL]

Times, through call_command on a real database with the production settings:

  (a) checking: --dry-run on the export, against a service with its teams and practitioners
      but no families yet (every row read and checked, nothing written);
  (b) importing: the same file into that service (1,500 families, their periods of support,
      people and audit entries, in one transaction);
  (c) importing again: the file a second time, once everything is there (checked whole, and
      nothing changes).

Between rounds of (b) the families are deleted, outside the timing. SQLite always (a fresh
file, var/bench_import_families.sqlite3); PostgreSQL as well when --postgres URL is given or
DATABASE_URL is a postgres URL (database ff_bench_import_families, dropped and made again).
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: this checkout's bench and app, before any other

from bench import harness  # noqa: E402
from bench.data import build_onboarding_staff, write_families_file  # noqa: E402

SQLITE_PATH = ROOT / "var" / "bench_import_families.sqlite3"
EXPORT_PATH = ROOT / "var" / "bench_families.csv"
PG_BENCH_DB = "ff_bench_import_families"
CASES = (
    ("check", "(a) checking (--dry-run)"),
    ("import", "(b) importing into an empty service"),
    ("again", "(c) importing again: nothing changes"),
)
COLUMNS = (
    harness.Column("median s", 9, ".2f", "median_s"),
    harness.Column("min s", 7, ".2f", "min_s"),
    harness.Column("max s", 7, ".2f", "max_s"),
)


def main() -> int:
    parser = harness.options(__doc__, PG_BENCH_DB, rounds=5)
    parser.add_argument("--families", type=int, default=1500,
                        help="families in the export (default 1500)")
    return harness.main(__file__, parser, worker=worker, summary=summary,
                        databases=(SQLITE_PATH, PG_BENCH_DB),
                        doing=lambda args: f"{args.rounds} rounds of {args.families} families")


def summary(results: list[dict], args) -> str:
    return "\n".join(harness.case_table(
        results, CASES, COLUMNS, title_width=40,
        about=lambda r: f"; {r['families']} families, {r['rows']} rows, {r['rounds']} rounds"))


def worker(args) -> int:
    harness.start_django(args.worker, SQLITE_PATH)
    from django.core.management import call_command
    from django.utils import timezone

    from familyfeedback.casework.models import Family

    build_onboarding_staff()
    EXPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    rows = write_families_file(EXPORT_PATH, timezone.localdate(), families=args.families)

    def command(*options) -> float:
        start = time.perf_counter()
        call_command("import_families", str(EXPORT_PATH), *options, stdout=_Quiet(),
                     stderr=sys.stderr)
        return time.perf_counter() - start

    # Untimed: the first call imports the command and what it uses (scipy among them), once.
    command("--dry-run")
    timings: dict[str, list[float]] = {key: [] for key, _ in CASES}
    for _ in range(args.rounds):
        timings["check"].append(command("--dry-run"))
        timings["import"].append(command())
        timings["again"].append(command())
        if Family.objects.count() != args.families:
            raise SystemExit("the import did not open every family in the export")
        Family.objects.all().delete()
    harness.report(args.worker, SQLITE_PATH, rounds=args.rounds, families=args.families, rows=rows,
           cases={key: {"median_s": statistics.median(found), "min_s": min(found),
                        "max_s": max(found)} for key, found in timings.items()})
    return 0


class _Quiet:
    """Where the command's summary goes: not the table's output."""

    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


if __name__ == "__main__":
    raise SystemExit(main())
