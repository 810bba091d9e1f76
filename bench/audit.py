"""What the audit chain costs: writing 1 and 8 entries in a transaction and sealing them as its
commit does, beside the same insert unsealed; the bulk-viewing count a family page makes; and
verify_audit over the whole log.

    .venv/bin/python bench/audit.py [--rounds N] [--warmup N] [--entries N] [--postgres URL]

Each case is a transaction of its own, committed, as a page's is: (a) one entry, inserted
unsealed (the insert alone, as before the chain); (b) one entry, sealed after commit; (c) eight
entries in one INSERT (a session's ratings), unsealed; (d) eight, sealed; (e) the count of the
families one person opened in the last hour (accounts.bulk_views.families_opened) in a log of
--entries entries, a tenth of them that person's; (f) verify_audit over that log, in entries a
millisecond. SQLite always (a fresh file, var/bench_audit.sqlite3); PostgreSQL as well when
--postgres URL is given or DATABASE_URL is a postgres URL (database ff_bench_audit, dropped and
made again).
"""

import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: this checkout's bench and app, before any other

from bench import harness  # noqa: E402

SQLITE_PATH = ROOT / "var" / "bench_audit.sqlite3"
PG_BENCH_DB = "ff_bench_audit"
CASES = (
    ("one_unsealed", "(a) 1 entry, unsealed", None),
    ("one", "(b) 1 entry, sealed", "one_unsealed"),
    ("eight_unsealed", "(c) 8 entries, unsealed", None),
    ("eight", "(d) 8 entries, sealed", "eight_unsealed"),
    ("count", "(e) bulk-viewing count", None),
)


def main() -> int:
    parser = harness.options(__doc__, PG_BENCH_DB, rounds=200, warmup=20)
    parser.add_argument("--entries", type=int, default=20_000,
                        help="entries in the log before timing (default 20000)")
    return harness.main(__file__, parser, worker=worker, summary=summary,
                        databases=(SQLITE_PATH, PG_BENCH_DB))


def summary(results: list[dict], args) -> str:
    columns = harness.timed_columns(harness.Column("× unsealed", 10, ".2f",
                                                   get=harness.ratio_to_base(CASES)))
    return "\n".join(harness.case_table(
        results, CASES, columns, title_width=26,
        about=lambda r: f"; log of {r['entries']:,} entries; verify_audit checked "
                        f"{r['verify_per_ms']:,.0f} entries a millisecond"))


def worker(args) -> int:
    harness.start_django(args.worker, SQLITE_PATH)
    from django.db import transaction
    from django.utils import timezone

    from familyfeedback.accounts import audit, bulk_views
    from familyfeedback.accounts.models import AuditEntry, User

    people = [User.objects.create(email=f"bench{n}@example.test", full_name=f"Bench {n}")
              for n in range(10)]
    viewer = people[0]
    # The log before timing: family views by ten people, sealed in batches as commits would.
    for start in range(0, args.entries, 2000):
        with transaction.atomic():
            AuditEntry.objects.bulk_create([
                AuditEntry(actor=people[n % 10], action="family.view", object_type="family",
                           object_id=n % 1500) for n in range(start, min(start + 2000,
                                                                         args.entries))])
        audit.seal()

    def unsealed(count: int):
        def write():
            with transaction.atomic():
                AuditEntry.objects.bulk_create([
                    AuditEntry(actor=viewer, action="person.view", object_type="person",
                               object_id=n) for n in range(count)])
        return write

    def sealed(count: int):
        def write():
            with transaction.atomic():
                audit.record_many(viewer, [("person.view", None, None)] * count)
        return write

    since = timezone.now() - timedelta(hours=1)
    plain = {"one_unsealed": unsealed(1), "eight_unsealed": unsealed(8)}
    chained = {"one": sealed(1), "eight": sealed(8),
               "count": lambda: bulk_views.families_opened(viewer, since)}
    queries = {key: len(harness.queries_of(call)) for key, call in {**plain, **chained}.items()}
    # The unsealed cases take turns on their own: entries they leave would be sealed by the
    # next sealed case, which would then seal more than its own.
    timings = harness.take_turns(plain, args.rounds, args.warmup)
    audit.seal()
    timings.update(harness.take_turns(chained, args.rounds, args.warmup))
    start = time.perf_counter()
    checked, _ = audit.verify()
    verify_ms = (time.perf_counter() - start) * 1000
    harness.report(args.worker, SQLITE_PATH, rounds=args.rounds, warmup=args.warmup,
                   entries=args.entries, verify_per_ms=checked / verify_ms,
                   cases={key: {**harness.spread(found), "queries": queries[key]}
                          for key, found in timings.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
