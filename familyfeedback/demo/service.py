"""A fictional service for demonstrations, benchmarks and screenshots: five teams, about 45
practitioners, 150 families and 400 people, with six months of sessions whose scores follow the
patterns practitioners meet (improving, flat, getting worse, dropping out, low session ratings,
forms not administered). Seeded, so every run makes the same service.

Rows are bulk-inserted with one audit entry for the whole load: the demo is generated, not
entered by anyone, and writing it through record_session would take minutes on SQLite.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from familyfeedback import measures
from familyfeedback.accounts import audit
from familyfeedback.accounts.models import JobTitle, Membership, Role, RoleGrant, Team, User
from familyfeedback.casework import alerts
from familyfeedback.casework.models import (
    Administration,
    Family,
    NotAdministeredReason,
    Person,
    Session,
)
from familyfeedback.demo import ratings
from familyfeedback.demo.trial import load_trial
from familyfeedback.implementation.models import Attendance, TrainingEvent

DEMO_DOMAIN = "demo.test"
TEAMS = ("North 1", "North 2", "Central", "South 1", "South 2")
FIRST_NAMES = (
    "Alex", "Amira", "Bea", "Callum", "Dana", "Eli", "Femi", "Gwen", "Harun", "Isla", "Jay",
    "Kasia", "Leo", "Mina", "Noor", "Oren", "Pia", "Quinn", "Rosa", "Sami", "Tess", "Umar",
    "Vera", "Wren", "Yusuf", "Zara", "Arlo", "Bo", "Cleo", "Dex", "Edie", "Finn", "Hana", "Ivo",
)
FAMILY_NAMES = (
    "Ashdown", "Birchley", "Calder", "Dunmore", "Elmsworth", "Fenwick", "Garside", "Hollins",
    "Ingleby", "Jessop", "Kettering", "Larkham", "Marlow", "Northcote", "Oakridge", "Pendle",
    "Quarry", "Rowntree", "Selby", "Thornhill", "Upton", "Varley", "Whitcombe", "Yardley",
)
LANGUAGES = ("en",) * 8 + ("pl", "ur", "ar", "ro", "sk")
JOB_MIX = (JobTitle.FSW, JobTitle.FSW, JobTitle.FSW, JobTitle.SENIOR_FSW, JobTitle.SENIOR_FSW,
           JobTitle.SENIOR_FSW, JobTitle.SENIOR_PRACTITIONER, JobTitle.FSW)
PATTERNS = ("improving", "improving", "improving", "flat", "flat", "deteriorating", "dropout",
            "low_srs")


def _reason(rng: random.Random) -> tuple[str, str]:
    reason = rng.choice(NotAdministeredReason.values)
    if reason == NotAdministeredReason.OTHER:
        return reason, "Child asleep when we reached this part"
    return reason, ""


# Steeper than the published rates the alerts benchmark follows (bench/data.py), and with every
# reason a form is not administered: the demo is there to show each kind of family.
RATINGS = ratings.Shape(slopes={"improving": 1.4, "deteriorating": -0.9}, not_administered=0.08,
                        reason=_reason, low_session_total=(26, 34))


@dataclass(frozen=True)
class DemoLogin:
    email: str
    roles: tuple[str, ...]
    note: str


LOGINS = (
    DemoLogin(f"practitioner@{DEMO_DOMAIN}", (Role.PRACTITIONER,),
              "family support worker, North 1"),
    DemoLogin(f"manager@{DEMO_DOMAIN}", (Role.TEAM_MANAGER,), "manages North 1 and North 2"),
    DemoLogin(f"datateam@{DEMO_DOMAIN}", (Role.DATA_TEAM,),
              "service-wide figures; no family records"),
    DemoLogin(f"evaluator@{DEMO_DOMAIN}", (Role.EVALUATOR,), "no family records"),
    DemoLogin(f"admin@{DEMO_DOMAIN}", (Role.ADMINISTRATOR,), "users, teams and the audit log"),
)


def demo_exists() -> bool:
    return User.objects.filter(email=LOGINS[0].email).exists()


def load_demo(password: str, today: date, seed: int = 2022) -> dict[str, int]:
    rng = random.Random(seed)
    with transaction.atomic():
        password_hash = make_password(password)  # hashed once: 50 hashes would take 20 seconds
        teams = [Team.objects.create(name=name) for name in TEAMS]
        named = {login.email: _user(login.email, _name(rng), login.roles, password_hash)
                 for login in LOGINS}
        practitioner = named[LOGINS[0].email]
        practitioner.job_title = JobTitle.FSW
        practitioner.save(update_fields=["job_title"])
        manager = named[LOGINS[1].email]
        Membership.objects.create(user=practitioner, team=teams[0])
        for team in teams[:2]:
            Membership.objects.create(user=manager, team=team, kind=Membership.Kind.MANAGER)
        workers: dict[int, list[User]] = {team.pk: [] for team in teams}
        workers[teams[0].pk].append(practitioner)
        for index, team in enumerate(teams):
            if index >= 2:
                other_manager = _user(f"manager.{index}@{DEMO_DOMAIN}", _name(rng),
                                      [Role.TEAM_MANAGER], password_hash)
                Membership.objects.create(user=other_manager, team=team,
                                          kind=Membership.Kind.MANAGER)
            for n in range(8):
                worker = _user(f"worker.{index + 1}.{n + 1}@{DEMO_DOMAIN}", _name(rng),
                               [Role.PRACTITIONER], password_hash, job_title=JOB_MIX[n])
                Membership.objects.create(user=worker, team=team)
                workers[team.pk].append(worker)
        counts = _families(rng, teams, workers, today)
        alerts.store_everyone(today)  # the families are bulk-created, not recorded one by one
        counts["training records"] = _training(rng, teams, workers, today)
        trial = load_trial(rng, named[LOGINS[3].email], seed)
        counts["trial responses"] = trial.responses.count()
        audit.record(named[LOGINS[4].email], "demo.load", teams[0], {"seed": str(seed), **{
            key: str(value) for key, value in counts.items()}})
    return counts


def _training(rng, teams, workers, today) -> int:
    """Part 1 and part 2 six months ago for every team, a mop-up a month later for those who
    missed a part; about one in eight misses each part, with the pilot's reasons."""
    start = today - timedelta(days=190)
    part_1 = TrainingEvent.objects.create(kind=TrainingEvent.Kind.PART_1, on=start,
                                          facilitators="Systemic practice lead")
    part_2 = TrainingEvent.objects.create(kind=TrainingEvent.Kind.PART_2,
                                          on=start + timedelta(days=7),
                                          facilitators="Systemic practice lead")
    mop_up = TrainingEvent.objects.create(kind=TrainingEvent.Kind.MOP_UP,
                                          on=start + timedelta(days=35),
                                          facilitators="Systemic practice lead")
    for event in (part_1, part_2, mop_up):
        event.invited_teams.set(teams)
    rows = []
    for team in teams:
        for worker in workers[team.pk]:
            missed = False
            for event in (part_1, part_2):
                came = rng.random() > 0.12
                missed |= not came
                rows.append(Attendance(event=event, user=worker, attended=came,
                                       absence_reason="" if came else rng.choice(
                                           ("Illness", "Annual leave", "Family in crisis"))))
            if missed:
                came = rng.random() > 0.4
                rows.append(Attendance(event=mop_up, user=worker, attended=came,
                                       absence_reason="" if came else "Illness"))
    Attendance.objects.bulk_create(rows)
    return len(rows)


def _user(email, full_name, roles, password_hash, job_title="") -> User:
    user = User(email=email, full_name=full_name, job_title=job_title, password=password_hash)
    user.save()
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
    return user


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"


def _families(rng, teams, workers, today) -> dict[str, int]:
    start = today - timedelta(days=183)
    sessions_made = administrations_made = people_made = 0
    reference = 40000
    for team in teams:
        for n in range(30):
            reference += rng.randint(1, 40)
            surname = rng.choice(FAMILY_NAMES)
            # The last worker of each team carries no families: trained, but not using the tools.
            active = workers[team.pk][:-1]
            key_worker = active[n % len(active)]
            opened = start + timedelta(days=rng.randint(0, 120))
            family = Family.objects.create(
                name=f"{surname} family", case_reference=f"EH-{reference}", team=team,
                key_worker=key_worker,
            )
            people = _people(rng, family, surname, opened)
            people_made += len(people)
            made, last_session = _sessions(rng, family, people, key_worker, opened, today)
            sessions_made += made[0]
            administrations_made += made[1]
            # About a third of families have finished their support: their closed episodes are
            # what expected trajectories are fitted from.
            closed = last_session if made[0] >= 4 and rng.random() < 0.35 else None
            family.episodes.create(opened_on=opened, closed_on=closed,
                                   closing_note="Goals met" if closed else "")
    return {"families": 150, "people": people_made, "sessions": sessions_made,
            "administrations": administrations_made}


def _people(rng, family, surname, opened) -> list[Person]:
    language = rng.choice(LANGUAGES)
    adult_ages = [rng.randint(24, 48) for _ in range(rng.choice((1, 1, 2)))]
    child_ages = [rng.randint(1, 16) for _ in range(rng.choice((1, 1, 1, 2, 2, 2)))]
    ages = adult_ages + child_ages
    names = rng.sample(FIRST_NAMES, len(ages))  # no two people in a family share a name
    people = []
    for age, name in zip(ages, names, strict=True):
        born = opened - timedelta(days=age * 365 + rng.randint(0, 364))
        people.append(Person(
            family=family, first_name=name, last_name=surname,
            date_of_birth=born, preferred_language=language,
            needs_interpreter=language != "en" and rng.random() < 0.4,
        ))
    return Person.objects.bulk_create(people)


def _sessions(rng, family, people, practitioner, opened, today) -> tuple[int, int]:
    pattern = rng.choice(PATTERNS)
    last_possible = (rng.randint(2, 4) if pattern == "dropout" else 30)
    on = opened + timedelta(days=rng.randint(0, 10))
    start_level = {person.pk: rng.uniform(12, 26) for person in people}
    sessions = 0
    records: list[Administration] = []
    while on < today and sessions < last_possible:
        sessions += 1
        session = Session.objects.create(
            family=family, date=on, practitioner=practitioner, submission_token=uuid.uuid4(),
            kind=rng.choice((Session.Kind.HOME_VISIT,) * 4 + (Session.Kind.OFFICE,
                                                               Session.Kind.PHONE)),
        )
        present = [p for p in people if rng.random() < 0.85] or people[:1]
        session.present.set(present)
        for person in present:
            age = measures.age_on(person.date_of_birth, on)
            for tool in ("ORS", "SRS"):
                fields = ratings.rating(rng, RATINGS, tool, age, pattern, pattern == "low_srs",
                                        start_level[person.pk], sessions)
                records.append(Administration(session=session, person=person, **fields))
        on += timedelta(days=rng.choice((7, 7, 7, 14, 14, 21)))
    Administration.objects.bulk_create(records)
    return (sessions, len(records)), session.date if sessions else None
