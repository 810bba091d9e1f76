"""What the managers' and data team's dashboard figures cost, against hand-written SQL.

    .venv/bin/python bench/dashboards.py [--rounds N] [--warmup N] [--postgres URL] [--national]
                                         [--size N] [--explain] [--reuse]

Generates a council-sized service, seeded so every run makes the same one: 300,000
administrations over the last two years, in about 1,500 families (3,100 people aged 1 to 48) kept
by 100 practitioners in 8 teams (plus 5 practitioners with no families, trained but idle), one
weekly session a family for 20 to 90 weeks, 90 % attendance, an ORS and an SRS for each person
present, 6 % of them not administered with one of the five reasons; a training register (part 1,
part 2, mop-up); a manager of teams 1 and 2 and a data-team user. Rows go in by bulk insert: one
executemany per table and chunk on SQLite, COPY (psycopg) on PostgreSQL, with explicit ids.

Then times, in process with time.perf_counter, over the dashboard's default period (the last six
whole months and this one so far) and for two scopes, the manager's two teams and the whole
service (the data team's view, every team side by side), each figure as `dashboard.build()` asks
for it (figures.casework_facts() filtered to the teams and period, by_team=True):

    usage_by_month, reach, completions_per_person, not_administered, coverage, used_tools

each beside ONE hand-written SQL aggregate (cursor.execute) that returns the same numbers, and
beside the same figure summed from the monthly summaries (implementation/summaries.py, refreshed
in full once the service is built, timed); the script checks that all three are equal before
timing. Then the whole `dashboard.build()`, its
`alert_table()` alone, and build() without the alert table, against the six hand-written
aggregates run one after another, and build() from the summaries ("sum" columns). Ratio = ORM
median / SQL median (target <= 1.5, and p50 under 150 ms; at national scale under 1 s). The
summaries' full refresh and the refresh of one month written (this month) are timed once each.

SQLite always (a fresh file, var/bench_dashboards.sqlite3); PostgreSQL as well when --postgres URL
is given or DATABASE_URL is a postgres URL (a dedicated database, ff_bench_dashboards, dropped and
made again each run). Each database runs in its own child process.

--national: PostgreSQL only (run on demand, never in CI): --size administrations (default
10,000,000), with everything else scaled alike (50,000 families, 267 teams, 3,333 practitioners),
in database ff_bench_dashboards_national. --reuse keeps that database if it is already built.

--explain prints the query plan of every ORM query.
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: this checkout's bench and app, before any other

from bench import harness  # noqa: E402
from bench.data import COUNCIL_ADMINISTRATIONS, build_council, describe_service  # noqa: E402

SQLITE_PATH = ROOT / "var" / "bench_dashboards.sqlite3"
PG_BENCH_DB = "ff_bench_dashboards"
PG_NATIONAL_DB = "ff_bench_dashboards_national"

TARGET_RATIO = 1.5
TARGET_MS = 150.0
NATIONAL_TARGET_MS = 1000.0

FIGURES = (
    ("usage", "usage_by_month"),
    ("reach", "reach"),
    ("per_person", "completions_per_person"),
    ("not_administered", "not_administered"),
    ("coverage", "coverage"),
    ("used_tools", "used_tools"),
)
WHOLE = (
    ("figures", "build() without alert_table"),
    ("alerts", "alert_table() alone"),
    ("build", "dashboard.build(), all tables"),
)
SCOPES = (("manager", "manager, 2 teams"), ("service", "data team, all teams"))

# ---------------------------------------------------------------------------------------------
# The parent: one child process per database, then the tables.


def main() -> int:
    parser = harness.options(__doc__, PG_BENCH_DB, rounds=None, warmup=2,
                             rounds_help="timed rounds (default 15; 5 with --national)")
    parser.add_argument("--national", action="store_true",
                        help="PostgreSQL only, national scale (see --size)")
    parser.add_argument("--size", type=int,
                        help="administrations to generate (default 300,000; 10,000,000 with "
                             "--national)")
    parser.add_argument("--explain", action="store_true",
                        help="print the plan of every ORM query")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: keep the bench database if it is already built")
    return harness.main(__file__, parser, worker=worker, summary=summary, targets=targets,
                        doing=lambda args: f"{args.size:,} administrations; {args.warmup} "
                                           f"warm-up and {args.rounds} timed rounds")


def settled(args):
    """The options whose defaults hang on --national, filled in (in the parent and the child)."""
    if args.rounds is None:
        args.rounds = 5 if args.national else 15
    if args.size is None:
        args.size = 10_000_000 if args.national else COUNCIL_ADMINISTRATIONS
    return args


def targets(args) -> list[tuple[str, str]]:
    """SQLite unless national; PostgreSQL when there is a server, the national database for
    --national."""
    settled(args)
    pg_url = args.postgres or os.environ.get("DATABASE_URL", "")
    has_pg = pg_url.startswith(("postgres://", "postgresql://"))
    if args.national and not has_pg:
        raise SystemExit("--national needs --postgres URL (or a postgres DATABASE_URL)")
    found = [] if args.national else [("SQLite", f"sqlite:///{SQLITE_PATH}")]
    if has_pg:
        name = PG_NATIONAL_DB if args.national else PG_BENCH_DB
        found.append(("PostgreSQL", harness.postgres_database(pg_url, name, args.reuse)))
    return found


def summary(results: list[dict], args) -> str:
    return table(results, NATIONAL_TARGET_MS if args.national else TARGET_MS)


def table(results: list[dict], target_ms: float) -> str:
    header = (f"{'database':<10} {'scope':<21} {'figure':<30} {'ORM p50':>8} {'p90':>8} "
              f"{'SQL p50':>8} {'p90':>8} {'ratio':>5} {'q':>3} {'sum p50':>8} {'p90':>8}  "
              "targets")
    rows = []
    for result in results:
        rows += ["", result["database"], *harness.ruled(header)]
        cases = result["cases"]
        for scope, scope_title in SCOPES:
            for key, name in FIGURES + WHOLE:
                case = cases.get(f"{scope}:{key}")
                if case is None:
                    continue
                orm, sql, summed = case["orm"], case.get("sql"), case.get("summed")
                ratio = orm["median_ms"] / sql["median_ms"] if sql else None
                verdict = []
                if key != "alerts" and key != "build":
                    verdict.append("p50 ok" if orm["median_ms"] < target_ms else "p50 SLOW")
                if ratio is not None:
                    verdict.append("ratio ok" if ratio <= TARGET_RATIO else "ratio HIGH")
                rows.append(
                    f"{result['database']:<10} {scope_title:<21} {name:<30} "
                    f"{orm['median_ms']:>8.1f} {orm['p90_ms']:>8.1f} "
                    + (f"{sql['median_ms']:>8.1f} {sql['p90_ms']:>8.1f} {ratio:>5.2f}"
                       if sql else f"{'':>8} {'':>8} {'':>5}")
                    + f" {orm['queries']:>3} "
                    + (f"{summed['median_ms']:>8.1f} {summed['p90_ms']:>8.1f}" if summed
                       else f"{'':>8} {'':>8}")
                    + f"  {', '.join(verdict)}"
                    + (f"; sum {'ok' if summed['median_ms'] < target_ms else 'SLOW'}"
                       if summed and key != "build" else ""))
    rows.append("")
    for result in results:
        rows.append(harness.ran_on(result))
        rows.append(f"  data: {result['data']}")
        rows.append(f"  period {result['period']}; {result['scopes']}")
        for line in result.get("notes", []):
            rows.append(f"  {line}")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# The child: set up Django on one database, build the service (bench/data.py), time the
# figures.


def worker(args) -> int:
    settled(args)
    harness.start_django(args.worker, SQLITE_PATH)
    from familyfeedback.casework.models import Administration

    if args.reuse and Administration.objects.exists():
        data = describe_service()
        print(f"   reusing the service already built: {data}", flush=True)
    else:
        start = time.perf_counter()
        data = build_council(args.size)
        took = time.perf_counter() - start
        data += f"; generated and loaded in {took:.0f} s"
        print(f"   built the service in {took:.1f} s: {data}", flush=True)
    bench = Bench(args)
    bench.refresh(everything=not args.reuse)
    cases = bench.run()
    if args.explain:
        bench.explain()
    harness.report(args.worker, SQLITE_PATH, rounds=args.rounds, warmup=args.warmup, cases=cases,
           data=data, notes=bench.notes, period=f"{bench.start} to {bench.end}",
           scopes=bench.scope_text)
    return 0


# ---------------------------------------------------------------------------------------------
# The hand-written SQL each figure is timed beside.


def tables() -> dict[str, str]:
    from familyfeedback.casework.models import Administration, Family, Session

    return {"a": Administration._meta.db_table, "s": Session._meta.db_table,
            "f": Family._meta.db_table, "p": Session.present.through._meta.db_table}


FACTS = ("FROM {a} a JOIN {s} s ON s.id = a.session_id JOIN {f} f ON f.id = s.family_id "
         "WHERE f.team_id IN ({teams}) AND s.date >= %s AND s.date <= %s")

SQL = {
    "usage": ("SELECT f.team_id, {month} AS month, a.tool, COUNT(*), "
              "COUNT(DISTINCT s.practitioner_id) " + FACTS + " AND a.status = 'completed' "
              "GROUP BY f.team_id, {month}, a.tool"),
    "reach": ("SELECT f.team_id, a.tool, a.age >= 18, COUNT(DISTINCT a.person_id) " + FACTS
              + " AND a.status = 'completed' GROUP BY f.team_id, a.tool, a.age >= 18"),
    "per_person": ("SELECT team_id, tool, AVG(n), MIN(n), MAX(n) FROM ("
                   "SELECT f.team_id, a.tool, a.person_id, COUNT(*) AS n " + FACTS
                   + " AND a.status = 'completed' GROUP BY f.team_id, a.tool, a.person_id) t "
                   "GROUP BY team_id, tool"),
    "not_administered": ("SELECT f.team_id, a.reason, COUNT(*) " + FACTS
                         + " AND a.status <> 'completed' GROUP BY f.team_id, a.reason"),
    "coverage": ("SELECT f.team_id, {month} AS month, COUNT(*), COUNT(o.id), COUNT(r.id) "
                 "FROM {p} p JOIN {s} s ON s.id = p.session_id "
                 "JOIN {f} f ON f.id = s.family_id "
                 "LEFT JOIN {a} o ON o.session_id = p.session_id AND o.person_id = p.person_id "
                 "AND o.tool = 'ORS' AND o.status = 'completed' "
                 "LEFT JOIN {a} r ON r.session_id = p.session_id AND r.person_id = p.person_id "
                 "AND r.tool = 'SRS' AND r.status = 'completed' "
                 "WHERE f.team_id IN ({teams}) AND s.date >= %s AND s.date <= %s "
                 "GROUP BY f.team_id, {month}"),
    "used_tools": "SELECT DISTINCT s.practitioner_id " + FACTS + " AND a.status = 'completed'",
}


def hand_written(key: str, team_ids: list[int], start: date, end: date):
    """Runs the hand-written aggregate and shapes its rows as the figure returns them."""
    from django.db import connection

    month = ("substr(s.date, 1, 7)" if connection.vendor == "sqlite"
             else "to_char(s.date, 'YYYY-MM')")
    sql = SQL[key].format(month=month, teams=", ".join(["%s"] * len(team_ids)), **tables())
    with connection.cursor() as cursor:
        cursor.execute(sql, [*team_ids, start, end])
        rows = cursor.fetchall()
    return rows


def shaped(key: str, rows):
    """The hand-written rows in the figure's shape, for the equality check."""
    if key == "usage":
        return _sorted_rows({"team_key": t, "month": m, "measure": tool, "completions": c,
                       "practitioners": p} for t, m, tool, c, p in rows)
    if key == "reach":
        return _sorted_rows({"team_key": t, "measure": tool,
                       "person_group": "adult" if adult else "child", "people": n}
                      for t, tool, adult, n in rows)
    if key == "per_person":
        return _sorted_rows({"team_key": t, "measure": tool, "mean": round(float(avg), 9),
                       "min": low, "max": high} for t, tool, avg, low, high in rows)
    if key == "not_administered":
        return _sorted_rows({"team_key": t, "reason": reason, "count": n} for t, reason, n in rows)
    if key == "coverage":
        return _sorted_rows({"team_key": t, "month": m, "attendances": n, "ors": o, "srs": s}
                      for t, m, n, o, s in rows)
    if key == "used_tools":
        return {row[0] for row in rows}
    raise KeyError(key)


def normal(key: str, value):
    """The ORM figure's rows, sorted and rounded like shaped()."""
    if key == "used_tools":
        return set(value)
    if key == "per_person":
        value = [{**row, "mean": round(float(row["mean"]), 9)} for row in value]
    return _sorted_rows(value)


def _sorted_rows(rows) -> list[dict]:
    return sorted(rows, key=lambda row: [(k, str(v)) for k, v in sorted(row.items())])


# ---------------------------------------------------------------------------------------------
# The timing.


class Bench:
    def __init__(self, args):
        from django.utils import timezone

        from familyfeedback.accounts.models import User
        from familyfeedback.implementation.access import dashboard_teams
        from familyfeedback.implementation.forms import default_period

        self.args = args
        self.notes: list[str] = []
        self.start, self.end = default_period(timezone.localdate())
        # As the dashboard view gets them.
        self.teams = {
            "manager": list(dashboard_teams(User.objects.get(email="manager.1@bench.test"))),
            "service": list(dashboard_teams(User.objects.get(email="data@bench.test"))),
        }
        assert len(self.teams["manager"]) == 2, self.teams["manager"]
        self.scope_text = ", ".join(f"{title}: {len(self.teams[scope])} teams"
                                    for scope, title in SCOPES)

    # The ORM side: each figure exactly as dashboard.build() calls it.
    def orm(self, scope: str, key: str):
        from familyfeedback.casework import queries
        from familyfeedback.implementation import figures

        teams = self.teams[scope]
        ids = [t.pk for t in teams]
        several = len(teams) > 1
        if key == "coverage":
            return figures.coverage(queries.sessions_between(ids, self.start, self.end),
                                    by_team=several)
        facts = figures.casework_facts().filter(team_key__in=ids, on__gte=self.start,
                                                on__lte=self.end)
        if key == "used_tools":
            return figures.used_tools(facts)
        function = getattr(figures, dict(FIGURES)[key])
        return function(facts, by_team=several)

    def counted(self, scope: str, summed: bool):
        from familyfeedback.implementation import summaries

        ids = [t.pk for t in self.teams[scope]]
        return (summaries.Summed if summed else summaries.Raw)(ids, self.start, self.end)

    def summed(self, scope: str, key: str):
        """The figure summed from the summaries, as dashboard.build() reads it above
        FF_SUMMARIES_ABOVE."""
        counted = self.counted(scope, summed=True)
        several = len(self.teams[scope]) > 1
        if key == "used_tools":
            return counted.used_tools()
        return getattr(counted, dict(FIGURES)[key])(several)

    def refresh(self, everything: bool) -> None:
        """Brings the summaries up to date (all of them once the service is built), then times
        the refresh of one month written: this month, as after a day's sessions."""
        from django.utils import timezone

        from familyfeedback.casework.models import TouchedMonth
        from familyfeedback.implementation import summaries

        start = time.perf_counter()
        months = summaries.refresh(everything=everything)
        took = time.perf_counter() - start
        TouchedMonth.objects.create(month=timezone.localdate().replace(day=1))
        start = time.perf_counter()
        summaries.refresh()
        one = time.perf_counter() - start
        rows = {model.__name__: model.objects.count() for model in summaries.SUMMARIES}
        self.notes.append(f"summaries: refresh of {len(months)} months {took:.1f} s, of this "
                          f"month alone {one:.1f} s; rows {rows}")
        print(f"   {self.notes[-1]}", flush=True)

    def sql(self, scope: str, key: str):
        ids = [t.pk for t in self.teams[scope]]
        return hand_written(key, ids, self.start, self.end)

    def all_sql(self, scope: str):
        return [self.sql(scope, key) for key, _ in FIGURES]

    def build(self, scope: str, alerts: bool = True, summed: bool = False):
        """The dashboard's tables, counted from the records (whatever FF_SUMMARIES_ABOVE says)
        or summed from the summaries."""
        from familyfeedback.implementation import dashboard

        counted = self.counted(scope, summed)
        if alerts:
            return dashboard.build(self.teams[scope], self.start, self.end, counted=counted)
        return [table for key in dashboard.KEYS if key != "alerts"
                for table in dashboard.build(self.teams[scope], self.start, self.end, only=key,
                                             counted=counted)]

    def alert_table(self, scope: str):
        from familyfeedback.implementation import dashboard

        return dashboard.alert_table(self.teams[scope], self.start, self.end)

    def calls(self) -> dict[str, dict]:
        """case -> {"orm": callable, "sql": callable or None}"""
        calls = {}
        for scope, _ in SCOPES:
            for key, _ in FIGURES:
                calls[f"{scope}:{key}"] = {
                    "orm": lambda s=scope, k=key: self.orm(s, k),
                    "sql": lambda s=scope, k=key: self.sql(s, k),
                    "summed": lambda s=scope, k=key: self.summed(s, k)}
            calls[f"{scope}:figures"] = {
                "orm": lambda s=scope: self.build(s, alerts=False),
                "sql": lambda s=scope: self.all_sql(s),
                "summed": lambda s=scope: self.build(s, alerts=False, summed=True)}
            if self.alerts_for(scope):
                calls[f"{scope}:alerts"] = {"orm": lambda s=scope: self.alert_table(s),
                                            "sql": None}
                calls[f"{scope}:build"] = {"orm": lambda s=scope: self.build(s),
                                           "sql": lambda s=scope: self.all_sql(s)}
        return calls

    def alerts_for(self, scope: str) -> bool:
        """A whole nation's alert table takes minutes a time: at national scale, the manager's
        only."""
        return not (self.args.national and scope == "service")

    def check(self) -> None:
        """Every hand-written aggregate returns the figure's numbers, and they are not empty."""
        for scope, _ in SCOPES:
            sizes = {}
            for key, _ in FIGURES:
                mine, theirs = shaped(key, self.sql(scope, key)), normal(key, self.orm(scope, key))
                if mine != theirs:
                    raise SystemExit(f"{scope} {key}: the hand-written SQL disagrees with the "
                                     f"figure:\n SQL {mine[:5]}\n ORM {theirs[:5]}")
                summed = normal(key, self.summed(scope, key))
                if summed != mine:
                    raise SystemExit(f"{scope} {key}: the summaries disagree with the "
                                     f"hand-written SQL:\n SQL {mine[:5]}\n sum {summed[:5]}")
                if not mine:
                    raise SystemExit(f"{scope} {key}: empty, not a fair test")
                sizes[key] = len(mine)
            alerts = self.alerts_for(scope)
            tables = {t.key: len(t.rows) for t in self.build(scope, alerts=alerts)}
            if ([t.rows for t in self.build(scope, alerts=False)]
                    != [t.rows for t in self.build(scope, alerts=False, summed=True)]):
                raise SystemExit(f"{scope}: build() from the summaries shows other tables")
            alerts = dict(self.alert_table(scope).rows) if alerts else "not timed"
            line = (f"{scope}: figures and summaries equal to the hand-written SQL (rows "
                    f"{sizes}); build() "
                    f"table rows {tables}; alerts {alerts}")
            print(f"   {line}", flush=True)
            if line not in self.notes:
                self.notes.append(line)

    def run(self) -> dict[str, dict]:
        self.check()
        calls = {(case, side): call for case, pair in self.calls().items()
                 for side, call in pair.items() if call is not None}
        timings = harness.take_turns(calls, self.args.rounds, self.args.warmup)
        results: dict[str, dict] = {}
        for (case, side), call in calls.items():
            times = timings[case, side]
            results.setdefault(case, {})[side] = {**harness.spread(times), "rounds": len(times),
                                                  "queries": len(harness.queries_of(call))}
        return results

    def explain(self) -> None:
        from django.db import connection

        for scope, _ in SCOPES:
            for key, _ in FIGURES:
                for query in harness.queries_of(lambda s=scope, k=key: self.orm(s, k)):
                    prefix = ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite"
                              else "EXPLAIN (ANALYZE, BUFFERS) ")
                    with connection.cursor() as cursor:
                        cursor.execute(prefix + query["sql"])
                        plan = "\n      ".join(" ".join(map(str, row)) for row in
                                               cursor.fetchall())
                    print(f"-- {scope} {key} ({query['time']} s): {query['sql'][:300]}\n"
                          f"      {plan}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
