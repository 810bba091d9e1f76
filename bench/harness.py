"""What every benchmark here shares. Each runs one child process per database (so each reads
the project's settings as production does), the child reports one JSON line, and the parent
prints a table: the options, the launching, the database set-up, the timing, the report line and
the lines under each table live here once."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULT_MARK = "BENCH-RESULT "


def options(doc: str, pg_name: str, *, rounds: int | None = None, timed: bool = True,
            warmup: int | None = None, profile: str = "",
            rounds_help: str = "") -> argparse.ArgumentParser:
    """The options every bench takes: --rounds where it is timed in rounds (its default None when
    the bench works it out from other options), --warmup and --profile where it has them,
    --postgres, and the hidden --worker a child is run with. The script's docstring's first line
    describes it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    if timed:  # the load bench runs for a time instead
        parser.add_argument("--rounds", type=int, default=rounds,
                            help=rounds_help or f"timed rounds (default {rounds})")
    if warmup is not None:
        parser.add_argument("--warmup", type=int, default=warmup,
                            help=f"untimed rounds (default {warmup})")
    parser.add_argument("--postgres", metavar="URL",
                        help=f"also run on this PostgreSQL server (database {pg_name})")
    if profile:
        parser.add_argument("--profile", action="store_true", help=profile)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


def main(script: str, parser: argparse.ArgumentParser, *,
         worker: Callable[[argparse.Namespace], int],
         summary: Callable[[list[dict], argparse.Namespace], str],
         databases: tuple[Path, str] | None = None,
         targets: Callable[[argparse.Namespace], list[tuple[str, str]]] | None = None,
         doing: Callable[[argparse.Namespace], str] | None = None) -> int:
    """A bench's way in. Run with --worker, it is the child: worker(args) times one database.
    Otherwise the parent: targets(args) makes ready what the children need and names their
    databases (by default SQLite, and PostgreSQL as bench_targets says, from databases: the
    SQLite file and the PostgreSQL database's name); each child is run with the parent's own
    options, said to be doing(args) (by default, its warm-up and timed rounds); and
    summary(results, args) is printed: the table and the verdict."""
    args = parser.parse_args()
    # A median and a 90th percentile need two timings at least.
    if any(value is not None and value < 2 for name, value in vars(args).items()
           if name.endswith("rounds")):
        parser.error("every count of rounds must be at least 2")
    if args.worker:
        return worker(args)
    found = targets(args) if targets else bench_targets(databases[0], args.postgres, databases[1])
    what = doing(args) if doing else f"{args.warmup} warm-up and {args.rounds} timed rounds"
    results = []
    for label, url in found:
        print(f"== {label}: {what}", flush=True)
        result = run_child(script, label, url, forwarded(sys.argv[1:]))
        if result is None:
            return 1
        results.append(result)
    print()
    print(summary(results, args))
    return 0


def forwarded(words: list[str]) -> list[str]:
    """The parent's options as its children get them: all but --postgres, which only says which
    databases there are."""
    kept, skip = [], False
    for word in words:
        if not skip and word != "--postgres" and not word.startswith("--postgres="):
            kept.append(word)
        skip = word == "--postgres"
    return kept


def bench_targets(sqlite_path: Path, pg_url: str | None, pg_name: str,
            reuse: bool = False) -> list[tuple[str, str]]:
    """SQLite always; PostgreSQL too when a postgres URL is given or DATABASE_URL is one."""
    found = [("SQLite", f"sqlite:///{sqlite_path}")]
    url = pg_url or os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        found.append(("PostgreSQL", postgres_database(url, pg_name, reuse)))
    return found


def postgres_database(url: str, name: str, reuse: bool = False) -> str:
    """The URL of the bench database `name` on the server `url` names: dropped and made again,
    or, with reuse, kept if it exists."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        found = reuse and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                       [name]).fetchone()
        if not found:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_child(script: str, label: str, url: str, arguments: list[str]) -> dict | None:
    """Run the script as the worker for one database; its printed lines pass through, and its
    result line is returned (None, said on stderr, if it failed)."""
    command = [sys.executable, str(Path(script).resolve()), "--worker", label, *arguments]
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false",
           "DJANGO_SETTINGS_MODULE": "familyfeedback.settings"}
    done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    result = None
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK):])
        else:
            print(line)
    if done.returncode != 0 or result is None:
        print(f"{label} run failed (exit {done.returncode})", file=sys.stderr)
        return None
    return result


def start_django(label: str, sqlite_path: Path) -> None:
    """In the child: a fresh SQLite file (WAL and shared-memory files too), Django set up, and
    the database migrated."""
    if label == "SQLite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    load_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load_django() -> None:
    """Django set up with the project's settings; no database is opened until a query is made.
    The parent of the evaluation bench needs it too: its packages follow the app's own waves."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familyfeedback.settings")
    import django

    django.setup()


def report(label: str, sqlite_path: Path, **result) -> None:
    """In the child: print the result line, with what the run ran on."""
    import django
    from django.db import connection

    server = (f"SQLite {connection.Database.sqlite_version}, file "
              f"{sqlite_path.relative_to(ROOT)}" if connection.vendor == "sqlite"
              else f"PostgreSQL {pg_version(connection)}, database "
                   f"{connection.settings_dict['NAME']}")
    print(RESULT_MARK + json.dumps({
        "database": label, "server": server, "python": sys.version.split()[0],
        "django": django.__version__, "cpus": os.cpu_count(), **result,
    }), flush=True)


def pg_version(connection) -> str:
    with connection.cursor() as cursor:
        number = cursor.connection.info.server_version
    return f"{number // 10000}.{number % 10000}"


# ---------------------------------------------------------------------------------------------
# Timing, in the child.


def take_turns(calls: dict[Hashable, Callable], rounds: int,
               warmup: int = 0) -> dict[Hashable, list[float]]:
    """Each call's times in milliseconds, after untimed warm-up rounds. The calls take turns
    within each round, so drift in the machine's speed falls on all alike."""
    for _ in range(warmup):
        for call in calls.values():
            call()
    timings: dict[Hashable, list[float]] = {key: [] for key in calls}
    for _ in range(rounds):
        for key, call in calls.items():
            start = time.perf_counter()
            call()
            timings[key].append((time.perf_counter() - start) * 1000)
    return timings


def spread(times: list[float]) -> dict[str, float]:
    """The median and the 90th percentile, as the tables show them."""
    deciles = statistics.quantiles(times, n=10, method="inclusive")
    return {"median_ms": statistics.median(times), "p90_ms": deciles[-1]}


def queries_of(call: Callable) -> list[dict]:
    """The SQL one call runs, as Django captures it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    return queries.captured_queries


def profile(title: str, call: Callable, *, times: int = 1,
            orders: tuple[str, ...] = ("cumulative",), lines: int = 25) -> None:
    """Print where the time of `times` calls goes, by each order of pstats in turn."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(times):
        call()
    profiler.disable()
    for order in orders:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(lines)
        print(f"-- profile of {title}" + (f", by {order}" if len(orders) > 1 else ""))
        print(out.getvalue())


# ---------------------------------------------------------------------------------------------
# The tables, in the parent.


def verdict(table: str, worst: str, within: bool, target: str, *,
            median_within: bool = False) -> str:
    """The table, and under it the worst of the runs beside the target (where the target is a
    90th percentile, the median may be within it when the p90 is not)."""
    word = "within" if within else "median within, p90 ABOVE" if median_within else "ABOVE"
    return f"{table}\n\n{worst}: {word} the target of {target}."


@dataclass(frozen=True)
class Column:
    """A column of a table of cases: its heading and width, and what it shows of a case, the
    case's value called field or, where a column needs more than the case (a ratio to another
    case), get(key, result); written with spec (".2f"), None as nothing."""

    heading: str
    width: int
    spec: str = ""
    field: str = ""
    get: Callable[[str, dict], object] | None = None

    def cell(self, key: str, result: dict) -> str:
        value = self.get(key, result) if self.get else result["cases"][key][self.field]
        return f"{'' if value is None else format(value, self.spec):>{self.width}}"


def case_table(results: list[dict], cases: tuple, columns: tuple[Column, ...], *,
               title_width: int, about: Callable[[dict], str] | None = None) -> list[str]:
    """A row for each database and each of cases, (key, title, ...), that it ran: the database,
    the case's title and the columns; then, given about, a line under the table for each
    database: what it ran on, and about(result) after that."""
    rows = ruled(f"{'database':<11} {'case':<{title_width}} "
                 + " ".join(f"{column.heading:>{column.width}}" for column in columns))
    for result in results:
        for key, title, *_ in cases:
            if key in result["cases"]:
                rows.append(f"{result['database']:<11} {title:<{title_width}} "
                            + " ".join(column.cell(key, result) for column in columns))
    if about is not None:
        rows += ["", *(ran_on(result) + about(result) for result in results)]
    return rows


def timed_columns(ratio: Column) -> tuple[Column, ...]:
    """The columns of a bench that times requests or calls against a base case: the median and
    90th percentile, the queries, and ratio."""
    return (Column("median ms", 10, ".2f", "median_ms"), Column("p90 ms", 10, ".2f", "p90_ms"),
            Column("queries", 7, field="queries"), ratio)


def ratio_to_base(cases: tuple) -> Callable[[str, dict], float | None]:
    """A Column's get for cases (key, title, base): the case's median over its base case's,
    nothing for a case measured against none."""
    bases = {key: base for key, _, base in cases}

    def ratio(key: str, result: dict) -> float | None:
        base, timed = bases[key], result["cases"]
        return timed[key]["median_ms"] / timed[base]["median_ms"] if base else None

    return ratio


def ruled(header: str) -> list[str]:
    """A table's first lines: its header, underlined."""
    return [header, "-" * len(header)]


def ran_on(result: dict) -> str:
    """What one database's run ran on, for under the table: the server, the rounds where the
    bench counts them once for every case, Python, Django and the CPUs."""
    rounds = (f"; {result['rounds']} rounds after {result['warmup']} warm-up"
              if "warmup" in result else "")
    return (f"{result['database']}: {result['server']}{rounds}; Python {result['python']}, "
            f"Django {result['django']}, {result['cpus']} CPUs")
