"""Small builders for test data. Families and people are made directly (they are set-up, not the
behaviour under test); scores go through casework.actions like the pages do."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from familyfeedback import measures
from familyfeedback.accounts.models import Membership, Role, Team, User
from familyfeedback.casework import actions
from familyfeedback.casework.models import Episode, Family, Person

PASSWORD = "correct horse battery staple"


def user(email: str, role: str = Role.PRACTITIONER, team: Team | None = None,
         manages: Team | None = None) -> User:
    made = User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title(),
                                    role=role)
    if team is not None:
        Membership.objects.create(user=made, team=team)
    if manages is not None:
        Membership.objects.create(user=made, team=manages, kind=Membership.Kind.MANAGER)
    return made


def born(age: int, on: date | None = None) -> date:
    """A date of birth that makes someone `age` on `on` (today by default), half a year past."""
    on = on or timezone.localdate()
    return on.replace(year=on.year - age) - timedelta(days=180)


def family(team: Team, key_worker: User | None = None, ages=(35, 9), opened_days_ago=200,
           name="Test family", reference=None) -> Family:
    made = Family.objects.create(
        name=name, case_reference=reference or f"REF-{uuid.uuid4().hex[:8]}", team=team,
        key_worker=key_worker,
    )
    Episode.objects.create(family=made,
                           opened_on=timezone.localdate() - timedelta(days=opened_days_ago))
    for n, age in enumerate(ages):
        Person.objects.create(family=made, first_name=f"Person{n + 1}", last_name="Test",
                              date_of_birth=born(age))
    return made


def lines(*values) -> dict[str, Decimal]:
    return {f"item_{i}": Decimal(str(v)) for i, v in enumerate(values, start=1)}


def session(actor: User, fam: Family, on: date, scores: dict[int, tuple] | None = None):
    """Record a session through the real write function. scores: person id -> (ORS items, SRS
    items); everyone in the family is present and completes both."""
    people = list(fam.people.all())
    entries = []
    for person in people:
        age = measures.age_on(person.date_of_birth, on)
        ors_items, srs_items = (scores or {}).get(person.pk, ((5, 5, 5, 5), (9, 9, 9, 9)))
        for tool, items in (("ORS", ors_items), ("SRS", srs_items)):
            measure = measures.measure_for(tool, age)
            faces = measure.kind == "faces"
            entries.append(actions.NewAdministration(
                person=person, tool=tool, measure=measure.code, status="completed",
                items={} if faces else lines(*items), face="happy" if faces else "",
            ))
    return actions.record_session(actor, fam, token=uuid.uuid4(), on=on, kind="home_visit",
                                  present=people, entries=entries)[0]
