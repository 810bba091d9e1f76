"""Small builders for test data. Families and people are made directly (they are set-up, not the
behaviour under test); scores go through casework.actions like the pages do."""

import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from familyfeedback import measures
from familyfeedback.accounts import two_factor
from familyfeedback.accounts.models import Membership, Role, Team, User
from familyfeedback.casework import actions, alerts
from familyfeedback.casework.models import Episode, Family, Person

PASSWORD = "correct horse battery staple"


def user(email: str, role: str = Role.PRACTITIONER, team: Team | None = None,
         manages: Team | None = None, roles: tuple[str, ...] | None = None) -> User:
    """A person with one role, or with several (roles=...)."""
    made = User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title(),
                                    roles=roles or (role,))
    if team is not None:
        Membership.objects.create(user=made, team=team)
    if manages is not None:
        Membership.objects.create(user=made, team=manages, kind=Membership.Kind.MANAGER)
    return made


def authenticator(person: User) -> TOTPDevice:
    """The person's authenticator app, as if they had set it up."""
    return (TOTPDevice.objects.devices_for_user(person, confirmed=True).first()
            or TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True))


def recovery_codes(person: User, *codes: str) -> StaticDevice:
    """The person's recovery codes, kept hashed as setting up an app keeps them."""
    device = StaticDevice.objects.create(user=person, name="Recovery codes", confirmed=True)
    for code in codes:
        device.token_set.create(token=two_factor.recovery_code_digest(code))
    return device


def code_now(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or a step or two ahead), computed from the secret as
    any authenticator app computes it (RFC 6238)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def unused_code(device: TOTPDevice) -> str:
    """A code the service has not accepted yet: a code works once, so a person signing in twice
    within 30 seconds gives the app's next code, which django-otp accepts a step early
    (OTP_TOTP_TOLERANCE, 1 by default); only a third sign-in in the same step waits for time to
    pass, as a person would."""
    device.refresh_from_db()
    step = TOTP(device.bin_key, device.step, device.t0, device.digits)
    while device.last_t + 1 - step.t() > device.tolerance:
        time.sleep(1)
    return code_now(device, steps_ahead=max(0, device.last_t + 1 - step.t()))


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
    with transaction.atomic():
        alerts.store([made.pk])  # as actions.open_family does
    return made


def lines(*values) -> dict[str, Decimal]:
    return {f"item_{i}": Decimal(str(v)) for i, v in enumerate(values, start=1)}


def session(actor: User, fam: Family, on: date, scores: dict[int, tuple] | None = None,
            another_session: bool = False):
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
                                  present=people, entries=entries,
                                  another_session=another_session)[0]


# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
