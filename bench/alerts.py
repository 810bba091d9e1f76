"""What working out the alerts costs on top of loading the scores, for a caseload and a council.

    .venv/bin/python bench/alerts.py [--rounds N] [--warmup N] [--postgres URL] [--profile]

Builds a council-sized service with bulk_create (1,500 open families in 6 teams, about 3,100
people aged 1 to 48, each family with an open episode and 10 to 20 weekly sessions of ORS/SRS
ratings, some families improving, some flat, some getting worse, some rating sessions low; plus
500 finished families whose closed episodes `casework.trajectories.fit()` turns into expected
ranges), then times in-process, with time.perf_counter, the reads the caseload page makes:

  (a) one practitioner's 30 families: queries.open_episode_records(families), where
      families = queries.caseload(their 30 families) is loaded once beforehand;
  (b) (a) plus alerts.outstanding(people, queries.by_person(records), today, curves);
  (c) the whole service's open families (1,500 families, about 3,100 people), as (a);
  (d) (c) plus outstanding for everyone, as (b);
  (e) and (f): the caseload's and the whole service's listed alerts as stored (alerts.stored,
      ADR 0025), which is what the caseload, the supervision page and the dashboards now read;
      checked equal to listed(outstanding(...)) before timing.

The cases take turns in each round. The ratios b/a and d/c are the price of the alerts (target:
at most 1.5). It also prints the share of the service's people in each alert tier (a person counts
in their most urgent one): act now and talk about it together should flag about the share that
measurement-feedback research finds not on track (a fifth to a third), and every reliable
deterioration must be in act now (docs/decisions/0013-alert-tiers.md).

SQLite always (a fresh file, var/bench_alerts.sqlite3); PostgreSQL as well when --postgres URL
is given or DATABASE_URL is a postgres URL (a dedicated database, ff_bench_alerts, dropped and
made again each run). Each database runs in its own child process.
"""

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: this checkout's bench and app, before any other

from bench import harness  # noqa: E402
from bench.data import ALERTS, build_caseloads  # noqa: E402

SQLITE_PATH = ROOT / "var" / "bench_alerts.sqlite3"
PG_BENCH_DB = "ff_bench_alerts"
# Each case, its title, and the case whose time it is set against (the alerts' price).
CASES = (
    ("a", "(a) caseload of 30: scores", None),
    ("b", "(b) caseload of 30: scores + alerts", "a"),
    ("c", "(c) whole service: scores", None),
    ("d", "(d) whole service: scores + alerts", "c"),
    ("e", "(e) caseload of 30: stored alerts", "a"),
    ("f", "(f) whole service: stored alerts", "c"),
)
TARGET_RATIO = 1.5


# ---------------------------------------------------------------------------------------------
# The parent: one child process per database, then the table.


def main() -> int:
    parser = harness.options(__doc__, PG_BENCH_DB, rounds=20, warmup=3,
                             profile="print a cProfile summary of (b) and (d) after timing")
    return harness.main(__file__, parser, worker=worker, summary=summary,
                        databases=(SQLITE_PATH, PG_BENCH_DB))


def summary(results: list[dict], args) -> str:
    worst = max(ratio for r in results for ratio in r["ratios"].values())
    return harness.verdict(table(results), f"Worst ratio {worst:.2f}", worst <= TARGET_RATIO,
                           f"{TARGET_RATIO:g}")


def table(results: list[dict]) -> str:
    ratio = harness.Column("ratio", 6, ".2f", get=harness.ratio_to_base(CASES))
    rows = harness.case_table(results, CASES, harness.timed_columns(ratio), title_width=38)
    rows.append("")
    for result in results:
        rows.append(harness.ran_on(result))
        rows.append(f"  data: {result['data']}")
        for key in ("b", "d"):
            rows.append(f"  alerts in ({key}): {result['alerts'][key]}")
        rows.append("")
        rows.append(tier_table(result))
    return "\n".join(rows)


def tier_table(result: dict) -> str:
    """The whole service's people by their most urgent alert tier."""
    tiers = result["tiers"]
    people = tiers["people"]
    rows = harness.ruled(f"{result['database']:<11} {'tier (whole service)':<32} {'people':>7} "
                         f"{'share':>7}")
    for label, count in tiers["by_tier"]:
        rows.append(f"{'':<11} {label:<32} {count:>7} {count / people:>7.1%}")
    flagged = tiers["flagged"]
    rows.append(f"{'':<11} {'act now or talk about it':<32} {flagged:>7} {flagged / people:>7.1%}")
    rows.append(f"{'':<11} {'no alert':<32} {tiers['none']:>7} {tiers['none'] / people:>7.1%}")
    rows.append(f"{'':<11} {'people':<32} {people:>7}")
    rows.append(f"  reliable deteriorations in act now: {tiers['deteriorated_act_now']} of "
                f"{tiers['deteriorated']}; the session rating fell (for the record): "
                f"{tiers['dropped']} people")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# The child: set up Django on one database, build the service (bench/data.py), time the four
# reads.


def worker(args) -> int:
    harness.start_django(args.worker, SQLITE_PATH)
    start = time.perf_counter()
    data = build_caseloads(ALERTS)
    print(f"   built the service in {time.perf_counter() - start:.1f} s: {data}", flush=True)
    bench = Bench(args)
    bench.run()
    cases = bench.results
    harness.report(args.worker, SQLITE_PATH, rounds=args.rounds, warmup=args.warmup,
                   cases=cases, data=data, alerts=bench.alert_counts, tiers=bench.tiers,
                   ratios={f"{key}/{base}": cases[key]["median_ms"] / cases[base]["median_ms"]
                           for key, _, base in CASES if base})
    return 0


class Bench:
    def __init__(self, args):
        from django.utils import timezone

        from familyfeedback.accounts.models import User
        from familyfeedback.casework import queries
        from familyfeedback.casework.models import Family

        self.args = args
        self.results: dict[str, dict] = {}
        self.alert_counts: dict[str, dict[str, int]] = {}
        self.tiers: dict = {}
        self.today = timezone.localdate()
        worker = User.objects.get(email="worker.1@bench.test")
        # As the caseload page loads them; loaded once here, outside the timings.
        self.families = {
            "caseload": queries.caseload(Family.objects.filter(key_worker=worker)),
            "service": queries.caseload(Family.objects.all()),
        }
        assert len(self.families["caseload"]) == ALERTS.caseload, len(self.families["caseload"])
        assert len(self.families["service"]) == ALERTS.open_families, len(self.families["service"])

    def scores(self, which: str):
        from familyfeedback.casework import queries

        return queries.open_episode_records(self.families[which])

    def alerts(self, which: str):
        """What the caseload view does with the records: the people, the curves, the alerts."""
        from familyfeedback.casework import alerts, queries, trajectories

        families = self.families[which]
        records = self.scores(which)
        people = [person for family in families for person in family.people.all()]
        return alerts.outstanding(people, queries.by_person(records), self.today,
                                  trajectories.latest())

    def stored(self, which: str):
        from familyfeedback.casework import alerts

        return alerts.stored(self.families[which], self.today)

    def calls(self) -> dict:
        return {
            "a": lambda: self.scores("caseload"),
            "b": lambda: self.alerts("caseload"),
            "c": lambda: self.scores("service"),
            "d": lambda: self.alerts("service"),
            "e": lambda: self.stored("caseload"),
            "f": lambda: self.stored("service"),
        }

    def run(self) -> None:
        self.check()
        self.count_tiers()
        self.results.update(self.time(self.calls()))
        if self.args.profile:
            self.profile()

    def check(self, label: str = "") -> None:
        """The alerts must be the real thing: several codes, on a fair share of people."""
        found = {}
        for key, which in (("b", "caseload"), ("d", "service")):
            raised = self.alerts(which)
            people = sum(len(f.people.all()) for f in self.families[which])
            records = len(self.scores(which))
            codes = Counter(item.alert.code.value for item in raised)
            found[key] = {"people": people, "records": records, "alerts": len(raised),
                          "people alerted": len({item.person.pk for item in raised}),
                          **dict(sorted(codes.items()))}
            print(f"   ({key}){label}: {found[key]}", flush=True)
            if len(codes) < 4 or not raised:
                raise SystemExit(f"({key}): too few kinds of alert to be a fair test: {codes}")
            if self.listed(raised) != self.listed(self.stored(which)):
                raise SystemExit(f"({key}): the stored alerts differ from the rules' answer")
        if label and found != self.alert_counts:
            raise SystemExit(f"the fixes change the alerts: {found} != {self.alert_counts}")
        self.alert_counts = self.alert_counts or found

    @staticmethod
    def listed(raised) -> list:
        return [(item.person.pk, item.alert) for item in raised if item.tier.listed]

    def count_tiers(self) -> None:
        """Each of the service's people in their most urgent tier, or in none."""
        from familyfeedback import measures

        raised = self.alerts("service")
        people = sum(len(f.people.all()) for f in self.families["service"])
        top: dict[int, measures.Tier] = {}
        for item in raised:  # ordered by tier: the first seen is the most urgent
            top.setdefault(item.person.pk, item.tier)
        counts = Counter(top.values())
        codes = {(item.person.pk, item.alert.code) for item in raised}
        deteriorated = {pk for pk, code in codes
                        if code is measures.AlertCode.RELIABLE_DETERIORATION}
        self.tiers = {
            "people": people,
            "by_tier": [(tier.label, counts[tier]) for tier in measures.Tier],
            "flagged": sum(counts[tier] for tier in measures.Tier if tier.listed),
            "none": people - len(top),
            "deteriorated": len(deteriorated),
            "deteriorated_act_now": sum(top[pk] is measures.Tier.ACT_NOW for pk in deteriorated),
            "dropped": len({pk for pk, code in codes
                            if code is measures.AlertCode.SESSION_RATING_DROPPED}),
        }
        print(f"   tiers: {self.tiers}", flush=True)

    def time(self, calls: dict) -> dict[str, dict]:
        timings = harness.take_turns(calls, self.args.rounds, self.args.warmup)
        return {key: {**harness.spread(timings[key]), "queries": len(harness.queries_of(call))}
                for key, call in calls.items()}

    def profile(self) -> None:
        calls = self.calls()
        for key, times in (("b", 20), ("d", 3)):
            harness.profile(f"{times} x ({key})", calls[key], times=times,
                            orders=("tottime", "cumulative"))

if __name__ == "__main__":
    sys.exit(main())
