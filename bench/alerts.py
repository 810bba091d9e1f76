"""What working out the alerts costs on top of loading the scores, for a caseload and a council.

    .venv/bin/python bench/alerts.py [--rounds N] [--warmup N] [--postgres URL] [--profile]

Builds a council-sized service with bulk_create (1,500 open families in 6 teams, about 3,100
people aged 1 to 48, each family with an open episode and 10 to 20 weekly sessions of ORS/SRS
ratings, some families improving, some flat, some getting worse, some rating sessions low; plus
500 finished families whose closed episodes `casework.trajectories.fit()` turns into expected
ranges), then times in-process, with time.perf_counter, the reads the caseload page makes:

  (a) one practitioner's 30 families: queries.open_episode_records(families), where
      families = queries.caseload(their 30 families) is loaded once beforehand;
  (b) (a) plus alerts.outstanding(people, records, today, trajectories.latest());
  (c) the whole service's open families (1,500 families, about 3,100 people), as (a);
  (d) (c) plus outstanding for everyone, as (b).

The cases take turns in each round. The ratios b/a and d/c are the price of the alerts (target:
at most 1.5). It also prints the share of the service's people in each alert tier (a person counts
in their most urgent one): act now and talk about it together should flag about the share that
measurement-feedback research finds not on track (a fifth to a third), and every reliable
deterioration must be in act now (docs/decisions/0013-alert-tiers.md).

SQLite always (a fresh file, var/bench_alerts.sqlite3); PostgreSQL as well when --postgres URL
is given or DATABASE_URL is a postgres URL (a dedicated database, ff_bench_alerts, dropped and
made again each run). Each database runs in its own child process.
"""

import argparse
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import bench_targets, report, run_child, start_django  # noqa: E402

SQLITE_PATH = ROOT / "var" / "bench_alerts.sqlite3"
PG_BENCH_DB = "ff_bench_alerts"
CASES = (
    ("a", "(a) caseload of 30: scores"),
    ("b", "(b) caseload of 30: scores + alerts"),
    ("c", "(c) whole service: scores"),
    ("d", "(d) whole service: scores + alerts"),
)
TARGET_RATIO = 1.5

# The service: teams, key workers with 30 families each, finished families for the fit.
TEAMS = 6
OPEN_FAMILIES = 1500
CASELOAD = 30
CLOSED_FAMILIES = 500
SEED = 2026
# How each family's outcome ratings go, in the shares the research reports for people 10 to 20
# sessions in (docs/decisions/0013-alert-tiers.md): about 8% get worse (Lambert's clinic base
# rate), most of the rest improve (half reliably by the 8th session), the others stay flat. The
# session rating is low in one family in ten, whatever the outcome.
PATTERNS = {"improving": 62, "flat": 30, "deteriorating": 8}
LOW_SESSION_SHARE = 0.10


# ---------------------------------------------------------------------------------------------
# The parent: one child process per database, then the table.


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="timed rounds (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds (default 3)")
    parser.add_argument("--postgres", metavar="URL",
                        help=f"also run on this PostgreSQL server (database {PG_BENCH_DB})")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile summary of (b) and (d) after timing")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error("--rounds must be at least 2")
    if args.worker:
        return worker(args)

    targets = bench_targets(SQLITE_PATH, args.postgres, PG_BENCH_DB)

    results = []
    for label, url in targets:
        print(f"== {label}: {args.warmup} warm-up and {args.rounds} timed rounds", flush=True)
        arguments = ["--rounds", str(args.rounds), "--warmup", str(args.warmup)]
        arguments += ["--profile"] * args.profile
        result = run_child(__file__, label, url, arguments)
        if result is None:
            return 1
        results.append(result)

    print()
    print(table(results))
    worst = max(max(r["ratios"]["b/a"], r["ratios"]["d/c"]) for r in results)
    verdict = "within" if worst <= TARGET_RATIO else "ABOVE"
    print(f"\nWorst ratio {worst:.2f}: {verdict} the target of {TARGET_RATIO:g}.")
    return 0


def table(results: list[dict]) -> str:
    header = (f"{'database':<11} {'case':<38} {'median ms':>10} {'p90 ms':>10} {'queries':>7} "
              f"{'ratio':>6}")
    rows = [header, "-" * len(header)]
    for result in results:
        cases = result["cases"]
        for key, title in CASES:
            if key not in cases:
                continue
            case = cases[key]
            base = {"b": "a", "d": "c"}.get(key)
            ratio = f"{case['median_ms'] / cases[base]['median_ms']:.2f}" if base else ""
            rows.append(f"{result['database']:<11} {title:<38} {case['median_ms']:>10.2f} "
                        f"{case['p90_ms']:>10.2f} {case['queries']:>7} {ratio:>6}")
    rows.append("")
    for result in results:
        rows.append(f"{result['database']}: {result['server']}; {result['rounds']} rounds after "
                    f"{result['warmup']} warm-up; Python {result['python']}, "
                    f"Django {result['django']}, {result['cpus']} CPUs")
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
    header = f"{result['database']:<11} {'tier (whole service)':<32} {'people':>7} {'share':>7}"
    rows = [header, "-" * len(header)]
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
# The child: set up Django on one database, build the service, time the four reads.


def worker(args) -> int:
    start_django(args.worker, SQLITE_PATH)


    start = time.perf_counter()
    data = build_service()
    print(f"   built the service in {time.perf_counter() - start:.1f} s: {data}", flush=True)
    bench = Bench(args)
    bench.run()
    cases = bench.results
    report(args.worker, SQLITE_PATH, rounds=args.rounds, warmup=args.warmup, cases=cases,
           data=data, alerts=bench.alert_counts, tiers=bench.tiers,
           ratios={"b/a": cases["b"]["median_ms"] / cases["a"]["median_ms"],
                   "d/c": cases["d"]["median_ms"] / cases["c"]["median_ms"]})
    return 0


# ---------------------------------------------------------------------------------------------
# The service, inserted in bulk (seeded, so every run makes the same one).


def build_service() -> str:
    from django.db import transaction
    from django.utils import timezone

    from familyfeedback import measures
    from familyfeedback.accounts.models import Membership, Team, User
    from familyfeedback.casework import trajectories
    from familyfeedback.casework.models import Administration, Episode, Family, Person, Session

    rng = random.Random(SEED)
    today = timezone.localdate()
    # The `age` column is new; fill it when the model has it, so the bench runs either way.
    has_age = any(f.name == "age" for f in Administration._meta.get_fields())
    with transaction.atomic():
        teams = Team.objects.bulk_create([Team(name=f"Bench team {n + 1}") for n in range(TEAMS)])
        workers = User.objects.bulk_create([
            User(email=f"worker.{n + 1}@bench.test", full_name=f"Worker {n + 1}",
                 password="!", role="practitioner")
            for n in range(OPEN_FAMILIES // CASELOAD)
        ])
        Membership.objects.bulk_create([Membership(user=w, team=teams[n % TEAMS])
                                        for n, w in enumerate(workers)])
        # Open families: worker n has families n, n + 50, n + 100, ... (30 each).
        plans = []  # (family, open?, first session, number of sessions)
        families = []
        for n in range(OPEN_FAMILIES + CLOSED_FAMILIES):
            worker = workers[n % len(workers)]
            families.append(Family(name=f"Family {n + 1:04d}", case_reference=f"BENCH-{n + 1}",
                                   team=teams[worker.pk % TEAMS], key_worker=worker))
        families = Family.objects.bulk_create(families)
        episodes = []
        for n, family in enumerate(families):
            sessions = rng.randint(10, 20)
            if n < OPEN_FAMILIES:
                # The latest session within the last fortnight, weekly before it.
                first = today - timedelta(days=7 * (sessions - 1) + rng.randint(0, 13))
                episodes.append(Episode(family=family, opened_on=first - timedelta(days=7)))
            else:
                sessions = rng.randint(6, 16)
                first = today - timedelta(days=7 * sessions + rng.randint(60, 400))
                episodes.append(Episode(family=family, opened_on=first - timedelta(days=7),
                                        closed_on=first + timedelta(days=7 * sessions)))
            plans.append((family, first, sessions))
        Episode.objects.bulk_create(episodes)

        people = []
        for family, first, _ in plans:
            adults = [rng.randint(22, 48) for _ in range(rng.choice((1, 1, 2)))]
            children = [rng.randint(1, 17) for _ in range(rng.choice((0, 1, 1, 1)))]
            for k, age in enumerate(adults + children):
                people.append(Person(family=family, first_name=f"P{k + 1}", last_name="Bench",
                                     date_of_birth=first - timedelta(days=age * 365
                                                                     + rng.randint(0, 364))))
        people = Person.objects.bulk_create(people)
        by_family: dict[int, list] = {}
        for person in people:
            by_family.setdefault(person.family_id, []).append(person)

        session_rows = []
        for family, first, count in plans:
            for k in range(count):
                session_rows.append(Session(family=family, date=first + timedelta(days=7 * k),
                                            practitioner=family.key_worker,
                                            submission_token=uuid.uuid4()))
        session_rows = Session.objects.bulk_create(session_rows, batch_size=2000)
        sessions_of: dict[int, list] = {}
        for session in session_rows:
            sessions_of.setdefault(session.family_id, []).append(session)

        present, records = [], []
        for family, _, _ in plans:
            pattern = rng.choices(list(PATTERNS), weights=list(PATTERNS.values()))[0]
            low_session = rng.random() < LOW_SESSION_SHARE
            folk = by_family[family.pk]
            # Most start in the clinical range; one in ten starts above the cut-off.
            level = {p.pk: rng.uniform(27, 34) if rng.random() < 0.1 else rng.uniform(10, 26)
                     for p in folk}
            rated = {p.pk: 0 for p in folk}
            for session in sessions_of[family.pk]:
                here = [p for p in folk if rng.random() < 0.9] or folk[:1]
                for person in here:
                    present.append(Session.present.through(session_id=session.pk,
                                                           person_id=person.pk))
                    rated[person.pk] += 1
                    age = measures.age_on(person.date_of_birth, session.date)
                    for tool in ("ORS", "SRS"):
                        record = rating(rng, tool, age, pattern, low_session,
                                        level[person.pk], rated[person.pk])
                        record.session, record.person = session, person
                        if has_age:
                            record.age = age
                        records.append(record)
        Session.present.through.objects.bulk_create(present, batch_size=5000)
        Administration.objects.bulk_create(records, batch_size=2000)

    start = time.perf_counter()
    fit = trajectories.fit()
    curves = fit.curves.count()
    fitted = (f"fit {curves} expected-range curves in {time.perf_counter() - start:.1f} s "
              f"from {fit.closed_episodes} closed episodes")
    if fit.notes:
        fitted += f" (notes: {fit.notes})"
    return (f"{OPEN_FAMILIES} open families ({len(workers)} key workers x {CASELOAD}) and "
            f"{CLOSED_FAMILIES} finished, {len(people)} people, {len(session_rows)} sessions, "
            f"{len(records)} administrations; {fitted}")


def rating(rng, tool: str, age: int, pattern: str, low_session: bool, level: float,
           number: int):
    """One administration (without session and person) whose totals follow the pattern."""
    from familyfeedback import measures
    from familyfeedback.casework.models import Administration

    measure = measures.measure_for(tool, age)
    record = Administration(tool=tool, measure=measure.code,
                            status=Administration.Status.COMPLETED)
    if rng.random() < 0.06:
        record.status = Administration.Status.NOT_ADMINISTERED
        record.reason = "declined"
        return record
    if measure.kind == "faces":
        record.face = rng.choice(measure.face_keys)
        return record
    if tool == "ORS":
        slope = {"improving": 1.2, "deteriorating": -0.8}.get(pattern, 0.1)
        items = split(rng, level + slope * (number - 1) + rng.gauss(0, 2), spread=1.2)
    elif low_session:
        items = split(rng, rng.uniform(26, 35), spread=1.2)
    else:
        items = split(rng, rng.uniform(37.5, 40), spread=0.35)
    for key, value in items.items():
        setattr(record, key, value)
    record.total = measures.total(measure, items)
    return record


def split(rng, target: float, spread: float) -> dict[str, Decimal]:
    """Four item marks (0.0-10.0) adding up to about the target total."""
    share = max(0.0, min(10.0, target / 4))
    return {f"item_{i}": Decimal(str(round(max(0.0, min(10.0, share + rng.gauss(0, spread))), 1)))
            for i in range(1, 5)}


# ---------------------------------------------------------------------------------------------
# The timing.


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
        assert len(self.families["caseload"]) == CASELOAD, len(self.families["caseload"])
        assert len(self.families["service"]) == OPEN_FAMILIES, len(self.families["service"])

    def scores(self, which: str):
        from familyfeedback.casework import queries

        return queries.open_episode_records(self.families[which])

    def alerts(self, which: str):
        """What the caseload view does with the records: the people, the curves, the alerts."""
        from familyfeedback.casework import alerts, trajectories

        families = self.families[which]
        records = self.scores(which)
        people = [person for family in families for person in family.people.all()]
        return alerts.outstanding(people, records, self.today, trajectories.latest())

    def calls(self) -> dict:
        return {
            "a": lambda: self.scores("caseload"),
            "b": lambda: self.alerts("caseload"),
            "c": lambda: self.scores("service"),
            "d": lambda: self.alerts("service"),
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
        if label and found != self.alert_counts:
            raise SystemExit(f"the fixes change the alerts: {found} != {self.alert_counts}")
        self.alert_counts = self.alert_counts or found

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
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(self.args.warmup):
            for call in calls.values():
                call()
        timings: dict[str, list[float]] = {key: [] for key in calls}
        # The cases take turns, so drift in the machine's speed falls on all alike.
        for _ in range(self.args.rounds):
            for key, call in calls.items():
                start = time.perf_counter()
                call()
                timings[key].append((time.perf_counter() - start) * 1000)
        results = {}
        for key, call in calls.items():
            with CaptureQueriesContext(connection) as queries:
                call()
            deciles = statistics.quantiles(timings[key], n=10, method="inclusive")
            results[key] = {"median_ms": statistics.median(timings[key]),
                            "p90_ms": deciles[-1], "queries": len(queries)}
        return results

    def profile(self) -> None:
        import cProfile
        import io
        import pstats

        calls = self.calls()
        for key, times in (("b", 20), ("d", 3)):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(times):
                calls[key]()
            profiler.disable()
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(25)
                print(f"-- profile of {times} x ({key}), by {order}")
                print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
