"""The services the benchmarks run on, built here once for all of them, seeded so that every run
builds the same one, and inserted in bulk (bench/README.md says which bench uses which):

- build_caseloads(ALERTS): key workers with 30 open families each across a 1,500-family service,
  plus finished families for the expected ranges (bench/alerts.py);
- build_council(size): a council's two years of history, 300,000 administrations (or any size),
  with the training register (bench/dashboards.py);
- build_family_pages(): one practitioner's family of four with 20 sessions, its twin for the
  record-session POST, and the same family with 200 sessions (bench/record_session.py); and
  session_form(), what that POST sends (also bench/load.py's);
- build_package(): an evaluation package's six CSV files (bench/evaluation.py);
- build_onboarding_staff() and write_families_file(): a service's teams and practitioners, and
  the case system's export of its open families, one row per person (bench/import_families.py
  and tests/casework/test_import_families.py).

The ratings come from the demo's generator (familyfeedback/demo/ratings.py) in the shape named
here. Django is imported inside each builder: the benches import this module before they set
Django up on their database. build_package() follows the app's own waves, so it needs Django set
up (bench/evaluation.py sets it up in the parent, on no database).
"""

import csv
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from familyfeedback.demo.ratings import Shape

# ---------------------------------------------------------------------------------------------
# Caseloads, for the alerts bench.

# Gentler than the demo's (familyfeedback/demo/service.py) on purpose: the shares the research
# reports for people 10 to 20 sessions in (docs/decisions/0013-alert-tiers.md, "Alerts" in
# docs/performance-log.md), about 8% getting worse (Lambert's clinic base rate), most of the rest
# improving (half reliably by the 8th session), the others flat. A form not administered is
# declined.
ALERT_RATINGS = Shape(slopes={"improving": 1.2, "deteriorating": -0.8}, not_administered=0.06,
                      reason=lambda rng: ("declined", ""), low_session_total=(26, 35))


@dataclass(frozen=True)
class Caseloads:
    teams: int = 6
    open_families: int = 1500
    caseload: int = 30  # open families per key worker
    closed_families: int = 500  # finished, for trajectories.fit()
    seed: int = 2026
    # How each family's outcome ratings go (weights), and the share of families whose session
    # rating is low, whatever the outcome.
    patterns: dict[str, int] = field(
        default_factory=lambda: {"improving": 62, "flat": 30, "deteriorating": 8})
    low_session_share: float = 0.10
    ratings: Shape = ALERT_RATINGS


ALERTS = Caseloads()


def build_caseloads(plan: Caseloads) -> str:
    """Key workers with plan.caseload open families each, and finished families for the
    expected ranges; what was built, in words."""
    from django.db import transaction
    from django.utils import timezone

    from familyfeedback import measures
    from familyfeedback.accounts.models import Membership, RoleGrant, Team, User
    from familyfeedback.casework import trajectories
    from familyfeedback.casework.models import Administration, Episode, Family, Person, Session
    from familyfeedback.demo import ratings

    rng = random.Random(plan.seed)
    today = timezone.localdate()
    with transaction.atomic():
        teams = Team.objects.bulk_create([Team(name=f"Bench team {n + 1}")
                                          for n in range(plan.teams)])
        workers = User.objects.bulk_create([
            User(email=f"worker.{n + 1}@bench.test", full_name=f"Worker {n + 1}",
                 password="!")
            for n in range(plan.open_families // plan.caseload)
        ])
        RoleGrant.objects.bulk_create([RoleGrant(user=w, role="practitioner") for w in workers])
        Membership.objects.bulk_create([Membership(user=w, team=teams[n % plan.teams])
                                        for n, w in enumerate(workers)])
        # Open families: worker n has families n, n + 50, n + 100, ... (30 each).
        plans = []  # (family, open?, first session, number of sessions)
        families = []
        for n in range(plan.open_families + plan.closed_families):
            worker = workers[n % len(workers)]
            families.append(Family(name=f"Family {n + 1:04d}", case_reference=f"BENCH-{n + 1}",
                                   team=teams[worker.pk % plan.teams], key_worker=worker))
        families = Family.objects.bulk_create(families)
        episodes = []
        for n, family in enumerate(families):
            sessions = rng.randint(10, 20)
            if n < plan.open_families:
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
            pattern = rng.choices(list(plan.patterns), weights=list(plan.patterns.values()))[0]
            low_session = rng.random() < plan.low_session_share
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
                        fields = ratings.rating(rng, plan.ratings, tool, age, pattern,
                                                low_session, level[person.pk], rated[person.pk])
                        records.append(Administration(session=session, person=person, **fields))
        Session.present.through.objects.bulk_create(present, batch_size=5000)
        Administration.objects.bulk_create(records, batch_size=2000)

    start = time.perf_counter()
    fit = trajectories.fit()
    curves = fit.curves.count()
    fitted = (f"fit {curves} expected-range curves in {time.perf_counter() - start:.1f} s "
              f"from {fit.closed_episodes} closed episodes")
    if fit.notes:
        fitted += f" (notes: {fit.notes})"
    return (f"{plan.open_families} open families ({len(workers)} key workers x "
            f"{plan.caseload}) and {plan.closed_families} finished, {len(people)} people, "
            f"{len(session_rows)} sessions, {len(records)} administrations; {fitted}")


# ---------------------------------------------------------------------------------------------
# A family's pages, for the record-session bench.


def build_family_pages(today: date):
    """(practitioner, page family, post family, long family): a family of four with 20
    sessions, whose page is timed, and its twin, which the timed POSTs go to, so that the page is
    the same in every round; and the same family of four seen every other day for 200 sessions,
    whose page is timed beside the first. Made through the tests' factories: a few rows, written
    as the app writes them."""
    from familyfeedback.accounts.models import Team
    from tests import factories

    team = Team.objects.create(name="Bench team")
    user = factories.user("bench@example.test", team=team)
    ages = (35, 34, 9, 4)
    page_family = factories.family(team, user, ages=ages, name="Ashdown family")
    post_family = factories.family(team, user, ages=ages, name="Ashdown twin")
    for family in (page_family, post_family):
        for n in range(20):
            on = today - timedelta(days=190 - 9 * n)
            scores = {p.pk: ((4 + n % 5, 5, 6, 5), (9, 9, 8.5, 9)) for p in family.people.all()}
            factories.session(user, family, on, scores)
    long_family = factories.family(team, user, ages=ages, name="Ashdown cousins",
                                   opened_days_ago=2 * LONG_SESSIONS + 10)
    for n in range(LONG_SESSIONS):
        scores = {p.pk: ((4 + n % 5, 5, 6, 5), (9, 9, 8.5, 9)) for p in long_family.people.all()}
        factories.session(user, long_family, today - timedelta(days=2 * (LONG_SESSIONS - n)),
                          scores)
    return user, page_family, post_family, long_family


LONG_SESSIONS = 200


def session_form(people, on: date) -> dict:
    """What the record-session form sends for a session on `on` with these people (each with pk
    and date_of_birth) when every form is completed, a fresh token each time (the record-session
    and load benches)."""
    from familyfeedback import measures

    data = {
        "token": str(uuid.uuid4()),
        "date-day": str(on.day),
        "date-month": str(on.month),
        "date-year": str(on.year),
        "kind": "home_visit",
        "present": [str(p.pk) for p in people],
        "notes": "",
        # The benches record the same day for the same family again and again: each POST says,
        # as the page's "Yes, save it as another session" button does, that this is one more.
        "another_session": "on",
    }
    for person in people:
        age = measures.age_on(person.date_of_birth, on)
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


# ---------------------------------------------------------------------------------------------
# A council, for the dashboards bench.

COUNCIL_SEED = 2026
# Scaled up alike for --national.
COUNCIL_ADMINISTRATIONS = 300_000
TEAMS = 8
PRACTITIONERS = 100
IDLE_PRACTITIONERS = 5  # trained, in a team, no families
FAMILIES = 1500
DAYS = 730  # two years of history
ATTENDANCE = 0.9
NOT_ADMINISTERED = 0.06
REASONS = (("declined", 35), ("crisis", 25), ("not_appropriate", 20), ("language", 10),
           ("other", 10))
JOB_TITLES = (("fsw", 50), ("senior_fsw", 20), ("senior_practitioner", 20), ("other", 10))
CHUNK = 200  # families generated and inserted at a time


class Loader:
    """Inserts rows with explicit ids: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.sqlite = connection.vendor == "sqlite"
        self.counts: Counter = Counter()

    def insert(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        self.counts[model.__name__] += len(rows)
        # Columns added since (a legal hold, a rating's channel) take their defaults, as a form
        # leaving them alone would.
        rest = [f for f in model._meta.concrete_fields if not f.null and f.column not in columns]
        columns = (*columns, *(f.column for f in rest))
        defaults = tuple(f.get_default() for f in rest)
        rows = [(*row, *defaults) for row in rows]
        with self.connection.cursor() as cursor:
            if self.sqlite:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                   [tuple(map(sqlite_value, row)) for row in rows])
            else:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)


def sqlite_value(value):
    """A value as Django stores it on SQLite (what its adapters do, without going through them)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return value.hex
    return value


def weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def rating_pool(rng) -> dict[tuple[str, int], list[tuple]]:
    """For each tool and age, a few completed ratings drawn as the alerts bench draws them
    (ALERT_RATINGS): (measure, item_1..4, total, face)."""
    from familyfeedback import measures
    from familyfeedback.demo import ratings

    pool: dict[str, list[tuple]] = {}
    by_age = {}
    for tool in ("ORS", "SRS"):
        for age in range(0, 60):
            try:
                measure = measures.measure_for(tool, age)
            except measures.UnknownMeasure:
                continue
            if measure.code not in pool:
                pool[measure.code] = []
                while len(pool[measure.code]) < 50:
                    pattern = rng.choice(("improving", "flat", "low_srs"))
                    fields = ratings.rating(rng, ALERT_RATINGS, tool, age, pattern,
                                            pattern == "low_srs", rng.uniform(10, 34),
                                            rng.randint(1, 12))
                    if fields["status"] == "completed":
                        pool[measure.code].append(
                            (fields["measure"], *(fields.get(f"item_{i}") for i in range(1, 5)),
                             fields.get("total"), fields.get("face", "")))
            by_age[(tool, age)] = pool[measure.code]
    return by_age


def build_council(size: int) -> str:
    """A council's service with about size administrations (COUNCIL_ADMINISTRATIONS is one
    council; more scales everything alike); what was built, in words."""
    from django.contrib.auth.hashers import make_password
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from familyfeedback import measures
    from familyfeedback.accounts.models import Membership, RoleGrant, Team, User
    from familyfeedback.casework.models import Administration, Episode, Family, Person, Session
    from familyfeedback.implementation.models import Attendance, TrainingEvent

    rng = random.Random(COUNCIL_SEED)
    today = timezone.localdate()
    scale = size / COUNCIL_ADMINISTRATIONS
    n_teams = max(TEAMS, round(TEAMS * scale))
    n_workers = round(PRACTITIONERS * scale)
    n_idle = round(IDLE_PRACTITIONERS * scale)
    n_families = round(FAMILIES * scale)
    pool = rating_pool(rng)
    loader = Loader()
    unusable = make_password(None)
    Present = Session.present.through
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The rows are made consistent here; skipping the per-row foreign-key triggers keeps
            # COPY of millions of rows to minutes. Bench database only.
            cursor.execute("SET session_replication_role = replica")

    with transaction.atomic():
        teams = Team.objects.bulk_create([Team(name=f"Bench team {n + 1:03d}")
                                          for n in range(n_teams)])
        workers = User.objects.bulk_create([
            User(email=f"worker.{n + 1}@bench.test", full_name=f"Worker {n + 1:05d}",
                 password=unusable, job_title=weighted(rng, JOB_TITLES))
            for n in range(n_workers + n_idle)
        ], batch_size=2000)
        managers = User.objects.bulk_create([
            User(email=f"manager.{n + 1}@bench.test", full_name=f"Manager {n + 1}",
                 password=unusable, job_title="team_manager")
            for n in range(n_teams)
        ], batch_size=2000)
        data_team = User.objects.create(email="data@bench.test", full_name="Data team",
                                        password=unusable)
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=w, role="practitioner") for w in workers]
            + [RoleGrant(user=m, role="team_manager") for m in managers]
            + [RoleGrant(user=data_team, role="data_team")], batch_size=5000)
        team_of = {w.pk: teams[n % n_teams] for n, w in enumerate(workers)}
        Membership.objects.bulk_create(
            [Membership(user=w, team=team_of[w.pk], kind="member") for w in workers]
            # Manager 1 manages teams 1 and 2; manager n team n.
            + [Membership(user=m, team=teams[n], kind="manager") for n, m in enumerate(managers)]
            + [Membership(user=managers[0], team=teams[1], kind="manager")],
            batch_size=5000)
        staff: dict[int, list] = {}
        for w in workers[:n_workers]:
            staff.setdefault(team_of[w.pk].pk, []).append(w.pk)

        # The training register: most trained at the planned parts, some at a mop-up, a few not.
        events = TrainingEvent.objects.bulk_create([
            TrainingEvent(kind=kind, on=today - timedelta(days=days), facilitators="Bench")
            for kind, days in (("part_1", 760), ("part_2", 745), ("mop_up", 600))])
        for event in events:
            event.invited_teams.set(teams)
        register = []
        for w in workers:
            luck = rng.random()
            register.append(Attendance(event=events[0], user=w, attended=luck < 0.95))
            register.append(Attendance(event=events[1], user=w, attended=luck < 0.8))
            if 0.8 <= luck < 0.95:
                register.append(Attendance(event=events[2], user=w, attended=luck < 0.9))
        Attendance.objects.bulk_create(register, batch_size=5000)

        # Each family: an episode opened up to a year before the two years of history began and a
        # fortnight before today at the latest, lasting 20 to 90 weeks, with a session about every
        # eight days while it is open and the history runs. The lengths are stretched so that the
        # expected number of administrations is a little over the size asked for; the last
        # families are cut short (or left without sessions) to hit the size exactly.
        window = today - timedelta(days=DAYS)
        plans = [(today - timedelta(days=rng.randint(14, DAYS + 365)), rng.randint(20, 90))
                 for _ in range(n_families)]
        stretch = fit_stretch(plans, today, window, size * 1.02)
        ids = Counter()
        made = 0
        measure_cache: dict = {}
        for first in range(0, n_families, CHUNK):
            families, episodes, people, sessions, present, records = [], [], [], [], [], []
            for n in range(first, min(first + CHUNK, n_families)):
                team = teams[n % n_teams]
                key_worker = rng.choice(staff[team.pk])
                ids["family"] += 1
                family_id = ids["family"]
                families.append((family_id, f"Family {family_id:06d}", f"BENCH-{family_id}",
                                 team.pk, key_worker, ""))
                started, length = plans[n]
                last = started + timedelta(weeks=max(1, round(length * stretch)) - 1)
                ids["episode"] += 1
                episodes.append((ids["episode"], family_id, started - timedelta(days=7),
                                 None if last >= today else last, ""))
                folk = []
                adults = [rng.randint(22, 48) for _ in range(rng.choice((1, 1, 2)))]
                children = [rng.randint(1, 17) for _ in range(rng.choice((0, 1, 1, 1)))]
                for k, age in enumerate(adults + children):
                    ids["person"] += 1
                    born = started - timedelta(days=age * 365 + rng.randint(0, 364))
                    folk.append((ids["person"], born))
                    people.append((ids["person"], family_id, f"P{k + 1}", "Bench", born,
                                   "en", "", False, ""))
                on = started
                while on < window:
                    on += timedelta(days=8)
                while on <= min(last, today) and made < size:
                    ids["session"] += 1
                    session_id = ids["session"]
                    # One session in ten is with another practitioner in the team (cover).
                    by = key_worker if rng.random() < 0.9 else rng.choice(staff[team.pk])
                    sessions.append((session_id, family_id, on, "home_visit", by, "", False,
                                     uuid.UUID(int=rng.getrandbits(128), version=4),
                                     datetime.combine(on, datetime.min.time(), UTC)
                                     + timedelta(hours=15), "complete"))
                    here = [p for p in folk if rng.random() < ATTENDANCE] or folk[:1]
                    for person_id, born in here:
                        ids["present"] += 1
                        present.append((ids["present"], session_id, person_id))
                        age = measures.age_on(born, on)
                        for tool in ("ORS", "SRS"):
                            ids["record"] += 1
                            made += 1
                            if rng.random() < NOT_ADMINISTERED:
                                key = (tool, age)
                                if key not in measure_cache:
                                    measure_cache[key] = measures.measure_for(tool, age).code
                                reason = weighted(rng, REASONS)
                                records.append((ids["record"], session_id, person_id, tool,
                                                measure_cache[key], "not_administered", None,
                                                None, None, None, None, age, "", "", reason,
                                                "Bench" if reason == "other" else "", "",
                                                "practitioner", "en", False))
                            else:
                                code, i1, i2, i3, i4, total, face = rng.choice(pool[(tool, age)])
                                records.append((ids["record"], session_id, person_id, tool,
                                                code, "completed", i1, i2, i3, i4, total, age,
                                                face, "", "", "", "", "practitioner", "en",
                                                False))
                    on += timedelta(days=7 + rng.choice((0, 0, 0, 0, 1, -1, 7)))
            loader.insert(Family, ("id", "name", "case_reference", "team_id", "key_worker_id",
                                   "legal_hold_reason"), families)
            loader.insert(Episode, ("id", "family_id", "opened_on", "closed_on",
                                    "closing_note"), episodes)
            loader.insert(Person, ("id", "family_id", "first_name", "last_name",
                                   "date_of_birth", "preferred_language", "language_to_check",
                                   "needs_interpreter", "reference"), people)
            loader.insert(Session, ("id", "family_id", "date", "kind", "practitioner_id",
                                    "notes", "imported", "submission_token", "recorded_at",
                                    "stage"), sessions)
            loader.insert(Present, ("id", "session_id", "person_id"), present)
            loader.insert(Administration, (
                "id", "session_id", "person_id", "tool", "measure", "status", "item_1",
                "item_2", "item_3", "item_4", "total", "age", "face", "picture", "reason",
                "reason_detail", "notes", "channel", "language", "helped"), records)
            if (first // CHUNK) % 25 == 0 and size > COUNCIL_ADMINISTRATIONS:
                print(f"   ... {made:,} administrations", flush=True)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                    no_style(), [Family, Episode, Person, Session, Present, Administration]):
                cursor.execute(sql)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
    analyze()
    return describe_service()


def fit_stretch(plans, today: date, window: date, wanted: float) -> float:
    """The factor on the episodes' lengths that gives about `wanted` administrations (3.76 a
    session: 2.08 people a family, 90 % of them present, two forms each; a session every 8 days)."""
    def expected(stretch: float) -> float:
        sessions = 0.0
        for started, length in plans:
            last = min(today, started + timedelta(weeks=max(1, round(length * stretch)) - 1))
            first = max(started, window)
            if last >= first:
                sessions += (last - first).days / 8 + 1
        return sessions * 2 * 2.08 * ATTENDANCE

    low, high = 0.1, 20.0
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if expected(middle) < wanted else (low, middle)
    return high


def analyze() -> None:
    """Statistics (and on PostgreSQL the visibility map), as autovacuum would have them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def describe_service() -> str:
    from familyfeedback.accounts.models import Team, User
    from familyfeedback.casework.models import Administration, Episode, Family, Person, Session

    first = Session.objects.order_by("date").values_list("date", flat=True).first()
    last = Session.objects.order_by("-date").values_list("date", flat=True).first()
    return (f"{Team.objects.count()} teams, "
            f"{User.objects.filter(role_grants__role='practitioner').count()} practitioners, "
            f"{Family.objects.count():,} families "
            f"({Episode.objects.filter(closed_on__isnull=True).count():,} open), "
            f"{Person.objects.count():,} people, {Session.objects.count():,} sessions "
            f"from {first} to {last}, {Administration.objects.count():,} administrations "
            f"({Administration.objects.exclude(status='completed').count():,} not administered)")


# ---------------------------------------------------------------------------------------------
# Evaluation packages, for the evaluation bench: the format's six files, not a database.

# Who is asked what comes from the app's own waves (evaluation.actions.WAVE_DEFAULTS: the arms
# asked and the measures of each); here, the share of those asked who answer.
RESPONSE_RATE = {"baseline": 0.8, "post_training": 0.6, "endline": 0.65}
ITEMS = {"wai": 12, "proqol_cs": 10, "iam_ors": 4, "iam_srs": 4, "fim_ors": 4, "fim_srs": 4}
SCALE = {"wai": (1, 7), "proqol_cs": (1, 5)}  # the Weiner measures are 1-5
WAI_REVERSED = (4, 10)
# The format's example package's questions: (question_id, wave, text, kind, options).
QUESTIONS = (
    ("prev_systemic_training", "baseline",
     "Have you previously received formal training in systemic practice?", "choice",
     "Yes|No|Not sure"),
    ("prev_ors", "baseline", "Have you used the ORS with children or families before?", "choice",
     "Yes|No|Not sure"),
    ("prev_srs", "baseline", "Have you used the SRS with children or families before?", "choice",
     "Yes|No|Not sure"),
    ("know_more", "post_training",
     "I would like to know more about systemic principles, ideas and practices.", "likert",
     "Completely disagree|Disagree|Neither agree nor disagree|Agree|Completely agree"),
    ("one_day", "post_training", "Would you have preferred the training over one full day?",
     "choice", "Yes|No"),
    ("freq_ors", "endline", "How often did you use the ORS with families?", "likert",
     "Never|Rarely|In some sessions|In every session"),
    ("engagement", "endline", "How engaged were families when using the ORS and SRS?", "likert",
     "Not engaged|Neither engaged nor not engaged|Somewhat engaged|Engaged|Very engaged"),
    ("ease", "endline", "Compared with the tools you normally use, using the ORS and SRS was",
     "likert", "Much harder|Harder|Neither easier nor harder|Easier|Much easier"),
    ("continue", "endline", "Would you like to continue using the tools in your practice?",
     "choice", "Yes|No"),
    ("comments", "endline", "Anything else you would like to tell us?", "text", ""),
)
HEADERS = {
    "teams.csv": ("team_id", "team_name", "unit_id", "arm"),
    "practitioners.csv": ("practitioner_id", "team_id", "role", "years_in_service",
                          "qualification_level", "hours_per_week"),
    "training.csv": ("practitioner_id", "event_id", "event_type", "date", "attended",
                     "absence_reason"),
    "questions.csv": ("question_id", "wave", "text", "kind", "options"),
    "responses.csv": ("respondent_id", "wave", "item", "value"),
    "administrations.csv": ("administration_id", "person_id", "person_group", "practitioner_id",
                            "date", "measure", "item_1", "item_2", "item_3", "item_4", "status",
                            "reason"),
}
FIRST_SESSION = date(2022, 11, 1)
LAST_SESSION = date(2023, 3, 31)
PACKAGE_REASONS = ("Child too upset", "Parent declined", "Ran out of time", "Crisis visit")


def seed_teams() -> list[tuple[str, str, str, str, int]]:
    """(team_id, team_name, unit_id, arm, size) of the seed-sized trial: 26 + 21 = 47."""
    return [("I1", "North 1", "U1", "intervention", 10),
            ("I2", "North 2", "U2", "intervention", 6),
            ("I3", "Central", "U2", "intervention", 10),
            ("C1", "South 1", "U3", "comparison", 11),
            ("C2", "South 2", "U4", "comparison", 10)]


def large_teams(rng: random.Random, count: int = 200) -> list[tuple[str, str, str, str, int]]:
    """count teams of 6 to 14 practitioners; the last 40 randomised in pairs (180 units), half of
    the units in each arm."""
    units = [[n] for n in range(1, count - 39)] + [[n, n + 1] for n in range(count - 39, count, 2)]
    order = list(range(len(units)))
    rng.shuffle(order)
    arm_of_unit = {u: ("intervention" if i < len(units) // 2 else "comparison")
                   for i, u in enumerate(order)}
    teams = []
    for u, members in enumerate(units):
        for n in members:
            teams.append((f"T{n:03d}", f"Team {n}", f"U{u + 1:03d}", arm_of_unit[u],
                          rng.randint(6, 14)))
    return teams


def build_package(directory: Path, teams, administrations: int, seed: int) -> dict[str, int]:
    """Write the six files for these teams; the rows written by file."""
    from familyfeedback.evaluation.actions import WAVE_DEFAULTS

    rng = random.Random(seed)
    rows: dict[str, list[tuple]] = {file: [] for file in HEADERS}
    practitioners: list[tuple[str, str]] = []  # (practitioner_id, arm)
    number = 0
    for team_id, team_name, unit_id, arm, size in teams:
        rows["teams.csv"].append((team_id, team_name, unit_id, arm))
        for k in range(size):
            number += 1
            pid = f"P{number:05d}"
            role = ("team_manager" if k == 0 else "senior_practitioner" if k == 1
                    else rng.choices(("senior_fsw", "fsw", "other"), (4, 5, 1))[0])
            rows["practitioners.csv"].append(
                (pid, team_id, role, rng.randint(0, 25), rng.choice(("", "3", "4", "5", "6")),
                 rng.choice((37.5, 30, 22.5, 18.5))))
            practitioners.append((pid, arm))

    # Training: cohorts of up to 30 intervention practitioners at part 1 and part 2 a week apart;
    # those who missed either are expected at one mop-up.
    intervention = [pid for pid, arm in practitioners if arm == "intervention"]
    events = 0
    for start in range(0, len(intervention), 30):
        first = date(2022, 10, 3) + timedelta(days=(start // 30) % 20)
        part_1, part_2 = f"E{events + 1}", f"E{events + 2}"
        events += 2
        for pid in intervention[start:start + 30]:
            missed = False
            for event, kind, on in ((part_1, "part_1", first),
                                    (part_2, "part_2", first + timedelta(days=7))):
                attended = rng.random() < 0.88
                missed |= not attended
                rows["training.csv"].append(
                    (pid, event, kind, on.isoformat(), "yes" if attended else "no",
                     "" if attended else rng.choice(("Illness", "Leave", "Covid-19"))))
            if missed:
                attended = rng.random() < 0.6
                rows["training.csv"].append(
                    (pid, "M1", "mop_up", "2022-10-27", "yes" if attended else "no",
                     "" if attended else "Leave"))

    rows["questions.csv"] = list(QUESTIONS)
    for pid, arm in practitioners:
        level = {"wai": rng.gauss(5.3, 0.7), "proqol_cs": rng.gauss(3.8, 0.5)}
        effect = 0.25 if arm == "intervention" else 0.0
        for wave, (arms, measures) in WAVE_DEFAULTS.items():
            if arm not in arms or rng.random() > RESPONSE_RATE[wave]:
                continue
            for measure in measures:
                low, high = SCALE.get(measure, (1, 5))
                mu = level.get(measure, rng.gauss(3.9, 0.6))
                mu += effect if wave == "endline" else 0.0
                for item in range(1, ITEMS[measure] + 1):
                    value = min(high, max(low, round(rng.gauss(mu, 0.8))))
                    if measure == "wai" and item in WAI_REVERSED:
                        value = low + high - value
                    # One answer in a hundred or so is left blank (blank means missing).
                    text = "" if rng.random() < 0.008 else str(value)
                    rows["responses.csv"].append((pid, wave, f"{measure}_{item}", text))
            for question_id, question_wave, _, kind, options in QUESTIONS:
                if question_wave != wave or rng.random() > 0.9:
                    continue
                if kind == "text":
                    if rng.random() < 0.15:
                        rows["responses.csv"].append(
                            (pid, wave, question_id, "The families liked seeing the chart."))
                    continue
                labels = options.split("|")
                weights = range(1, len(labels) + 1) if kind == "likert" else None
                rows["responses.csv"].append(
                    (pid, wave, question_id, rng.choices(labels, weights)[0]))

    # ORS/SRS records: practitioners in the intervention arm, a family member at a time, each
    # session an outcome and a session rating (faces forms for the under-sixes).
    users = [pid for pid in intervention if rng.random() < 0.8]
    days = (LAST_SESSION - FIRST_SESSION).days
    made = person = 0
    while made < administrations:
        person += 1
        pid = rng.choice(users)
        age = rng.choice((35, 41, 15, 9, 7, 4))
        group = "adult" if age >= 18 else "child"
        outcome, rating = (("ORS", "SRS") if age >= 13 else ("CORS", "CSRS") if age >= 6
                           else ("YCORS", "YCSRS"))
        level = rng.uniform(2.0, 7.0)
        on = FIRST_SESSION + timedelta(days=rng.randint(0, days))
        for _ in range(rng.randint(1, 8)):
            if on > LAST_SESSION or made >= administrations:
                break
            for code in (outcome, rating):
                made += 1
                status = "completed" if rng.random() > 0.06 else "not_administered"
                items = ["", "", "", ""]
                if status == "completed" and not code.startswith("Y"):
                    mu = level if code == outcome else 8.5
                    items = [f"{min(10.0, max(0.0, rng.gauss(mu, 1.3))):.1f}" for _ in range(4)]
                rows["administrations.csv"].append(
                    (f"A{made:06d}", f"F{person:05d}", group, pid, on.isoformat(), code, *items,
                     status, "" if status == "completed" else rng.choice(PACKAGE_REASONS)))
            level = min(9.5, level + rng.gauss(0.3, 0.6))
            on += timedelta(days=rng.randint(5, 21))

    directory.mkdir(parents=True, exist_ok=True)
    for file, header in HEADERS.items():
        with (directory / file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows[file])
    return {file: len(found) for file, found in rows.items()}


# ---------------------------------------------------------------------------------------------
# A case system's export of open families, for the import_families bench and its test.

ONBOARDING_TEAMS = 8
ONBOARDING_PRACTITIONERS = 100
LANGUAGES = (("English", 80), ("Polish", 6), ("Urdu", 5), ("Arabic", 4), ("Romanian", 3),
             ("Welsh", 2))


def build_onboarding_staff() -> None:
    """The teams and practitioners a service sets up before it imports its families: team n
    is "Locality n", practitioner n is worker.n@council.test, in team n % ONBOARDING_TEAMS."""
    from familyfeedback.accounts.models import Membership, RoleGrant, Team, User

    teams = Team.objects.bulk_create([Team(name=f"Locality {n + 1}")
                                      for n in range(ONBOARDING_TEAMS)])
    workers = User.objects.bulk_create([
        User(email=f"worker.{n + 1}@council.test", full_name=f"Worker {n + 1}", password="!")
        for n in range(ONBOARDING_PRACTITIONERS)])
    RoleGrant.objects.bulk_create([RoleGrant(user=w, role="practitioner") for w in workers])
    Membership.objects.bulk_create([Membership(user=w, team=teams[n % ONBOARDING_TEAMS])
                                    for n, w in enumerate(workers)])


def write_families_file(path: Path, today: date, families: int = 1500,
                        seed: int = 2026) -> int:
    """The export of `families` open families of 1 to 6 people (most of two to four), made up
    from a seeded RNG, for the staff of build_onboarding_staff; the number of rows written."""
    from familyfeedback.casework.families_csv import COLUMNS

    rng = random.Random(seed)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for n in range(families):
            worker = rng.randrange(ONBOARDING_PRACTITIONERS)
            team = f"Locality {worker % ONBOARDING_TEAMS + 1}"
            opened = today - timedelta(days=rng.randint(1, 700))
            size = rng.choices(range(1, 7), weights=(10, 25, 30, 20, 10, 5))[0]
            surname = f"Surname{n + 1}"
            for k in range(size):
                adult = k < min(2, max(1, size - 1))
                age = rng.randint(19, 55) if adult else rng.randint(0, 17)
                born = today - timedelta(days=age * 365 + rng.randint(0, 364))
                writer.writerow((
                    f"EH-{100000 + n}", f"{surname} family", team,
                    f"worker.{worker + 1}@council.test", opened.isoformat(), f"P{n + 1}-{k + 1}",
                    f"Person{k + 1}", surname, born.isoformat(), weighted(rng, LANGUAGES),
                    "yes" if rng.random() < 0.05 else "no"))
                rows += 1
    return rows
