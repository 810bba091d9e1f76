"""The weekly reminder emails (manage.py send_reminders) and who wants them.

A practitioner's digest lists their families (they are the key worker, support open) with the
people whose rating is overdue under settings.SCHEDULE and the alerts not yet acknowledged. A team
manager's digest gives their teams' use of the ORS and SRS this month against last, and the
practitioners who have not used the tools this month. Someone with nothing to report gets nothing.

Each email is recorded as ReminderSent(user, ISO week) in the transaction that sends it, so a
run repeated the same week sends nothing twice. The emails carry family names and first names
(they go only to the person who works with the family); the command's output and the log carry
counts and user ids only.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import CASEWORK_ROLES, FAMILY_ROLES, Role, User
from familyfeedback.casework import alerts, queries
from familyfeedback.casework.access import families_for
from familyfeedback.implementation import figures
from familyfeedback.implementation.access import dashboard_teams, team_practitioners
from familyfeedback.implementation.models import ReminderPreference, ReminderSent
from familyfeedback.lib.mail import open_connection
from familyfeedback.lib.tally import Tally

log = logging.getLogger(__name__)

TOOLS = ("ORS", "SRS")


# Preferences -------------------------------------------------------------------------------


def wants_reminders(user: User) -> bool:
    """Everyone gets the weekly email unless they have opted out."""
    return not ReminderPreference.objects.filter(user=user, opted_out=True).exists()


def set_wants_reminders(user: User, wanted: bool) -> None:
    """Save the signed-in user's own choice, audited when it changes."""
    with transaction.atomic():
        preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
        if preference.opted_out == (not wanted):
            return
        preference.opted_out = not wanted
        preference.save(update_fields=["opted_out"])
        audit.record(user, "reminders.preference", preference,
                     {"opted_out": str(preference.opted_out)})


# What each digest says ---------------------------------------------------------------------


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class FamilyLines:
    name: str
    overdue: list[tuple[str, date]] = field(default_factory=list)  # (first name, due since)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (first name, what)


@dataclass
class PractitionerDigest:
    families: list[FamilyLines]

    @property
    def overdue_count(self) -> int:
        return sum(len(f.overdue) for f in self.families)

    @property
    def alert_count(self) -> int:
        return sum(len(f.alerts) for f in self.families)


def practitioner_digest(user: User, today: date) -> PractitionerDigest | None:
    """The families this practitioner is key worker for, with support open, where someone's
    rating is overdue or an alert is not yet acknowledged; None when there are none."""
    families = queries.caseload(families_for(user).filter(key_worker=user))
    if not families:
        return None
    raised = alerts.for_caseload(alerts.stored(families, today))
    overdue: dict[int, list[tuple[str, date]]] = {}
    for family, person, since in queries.overdue_people(families, today, settings.SCHEDULE):
        overdue.setdefault(family.pk, []).append((person.first_name, since))
    found = []
    for family in families:
        lines = FamilyLines(family.name, overdue=overdue.get(family.pk, []))
        lines.alerts = [(line.person.first_name, line.titles)
                        for line in raised.get(family.pk, [])]
        if lines.overdue or lines.alerts:
            found.append(lines)
    return PractitionerDigest(found) if found else None


@dataclass
class Usage:
    completions: int = 0
    practitioners: int = 0


@dataclass
class ManagerDigest:
    teams: list[str]
    this_month: str  # "2026-03"
    last_month: str
    usage: dict[tuple[str, str], Usage]  # (month, tool) -> usage
    not_using: list[str]  # practitioners' full names

    def get(self, month: str, tool: str) -> Usage:
        return self.usage.get((month, tool), Usage())


def months(today: date) -> tuple[date, date]:
    """The first day of this month and of last month."""
    this = today.replace(day=1)
    return this, (this - timedelta(days=1)).replace(day=1)


def manager_digest(user: User, today: date) -> ManagerDigest | None:
    """Usage in the teams this manager manages, this month so far against the whole of last
    month, and who has not used the tools this month; None when there is nothing to say."""
    teams = list(dashboard_teams(user))
    if not teams:
        return None
    this_start, last_start = months(today)
    facts = figures.casework_facts().filter(team_key__in=[t.pk for t in teams],
                                            on__gte=last_start, on__lte=today)
    usage = {(row["month"], row["measure"]): Usage(row["completions"], row["practitioners"])
             for row in figures.usage_by_month(facts)}
    users = figures.used_tools(facts.filter(on__gte=this_start))
    not_using = [u.full_name or u.email for u in team_practitioners(teams) if u.pk not in users]
    if not usage and not not_using:
        return None
    return ManagerDigest([t.name for t in teams], f"{this_start:%Y-%m}", f"{last_start:%Y-%m}",
                         usage, not_using)


# Sending -----------------------------------------------------------------------------------


def preferences_link() -> str:
    """Where to opt out, when the service's address is known (settings.SITE_URL)."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{site}{reverse('reminders')}" if site else ""


def practitioner_email(user: User, digest: PractitionerDigest, today: date) -> tuple[str, str]:
    body = render_to_string("email/practitioner_reminder.txt", {
        "user": user, "digest": digest, "today": today,
        "schedule": settings.SCHEDULE.describe(), "link": preferences_link(),
    })
    return "Family Feedback: ratings and alerts this week", body


def manager_email(user: User, digest: ManagerDigest, today: date) -> tuple[str, str]:
    body = render_to_string("email/manager_reminder.txt", {
        "user": user, "digest": digest, "today": today, "tools": TOOLS,
        "this_month": date.fromisoformat(f"{digest.this_month}-01"),
        "last_month": date.fromisoformat(f"{digest.last_month}-01"),
        "link": preferences_link(),
    })
    return "Family Feedback: your team's use of the tools", body


@dataclass
class Outcome(Tally):
    KINDS = frozenset({"sent_practitioners", "sent_managers", "nothing_to_report", "opted_out",
                       "already_sent", "failed"})

    @property
    def sent(self) -> int:
        return self["sent_practitioners"] + self["sent_managers"]


def recipients() -> QuerySet[User]:
    return (User.objects.filter(is_active=True, role_grants__role__in=FAMILY_ROLES)
            .exclude(email="").distinct().order_by("pk").prefetch_related("role_grants"))


def _claim(user: User, week: str) -> bool:
    """Record this week's email for the user; False if it is already recorded (by an earlier
    run, or by another run at the same moment)."""
    try:
        with transaction.atomic():
            _, created = ReminderSent.objects.get_or_create(user=user, week=week)
    except IntegrityError:
        return False
    return created


def digests_for(user: User, today: date) -> list[tuple[str, tuple[str, str]]]:
    """(whose, (subject, body)) of each email this user gets: a practitioner's, a manager's, or
    both for someone who holds both roles; none when they have nothing to report."""
    found = []
    if user.has_role(*CASEWORK_ROLES) and (digest := practitioner_digest(user, today)):
        found.append(("practitioner", practitioner_email(user, digest, today)))
    if user.has_role(Role.TEAM_MANAGER) and (usage := manager_digest(user, today)):
        found.append(("manager", manager_email(user, usage, today)))
    return found


def send_all(today: date, dry_run: bool = False) -> Outcome:
    """Send (or, dry_run, count) this ISO week's reminders. Raises MailServerUnreachable, having
    sent and recorded nothing, when the mail server cannot be reached."""
    week = iso_week(today)
    outcome = Outcome()
    opted_out = set(ReminderPreference.objects.filter(opted_out=True)
                    .values_list("user_id", flat=True))
    done = set(ReminderSent.objects.filter(week=week).values_list("user_id", flat=True))
    connection = None
    try:
        for user in recipients():
            if user.pk in opted_out:
                outcome.add("opted_out")
                continue
            if user.pk in done:
                outcome.add("already_sent")
                continue
            messages = digests_for(user, today)
            if not messages:
                outcome.add("nothing_to_report")
                continue
            if not dry_run:
                # Opened at the first email to send: a run with nothing to send needs no server.
                connection = connection or open_connection()
                if not _send(user, week, [m for _, m in messages], connection, outcome):
                    continue
            for whose, _ in messages:
                if whose == "practitioner":
                    outcome.add("sent_practitioners")
                else:
                    outcome.add("sent_managers")
    finally:
        if connection is not None:
            connection.close()
    log.info("Reminders for %s: %s sent, %s nothing to report, %s opted out, %s already sent, "
             "%s failed%s", week, outcome.sent, outcome["nothing_to_report"], outcome["opted_out"],
             outcome["already_sent"], outcome["failed"], " (dry run)" if dry_run else "")
    return outcome


def _send(user: User, week: str, messages: list[tuple[str, str]], connection,
          outcome: Outcome) -> bool:
    """Claim the week and send in one transaction; False (counted) if it was not sent."""
    try:
        with transaction.atomic():
            if not _claim(user, week):
                outcome.add("already_sent")
                return False
            for subject, body in messages:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email],
                          connection=connection)
    except Exception as error:  # noqa: BLE001 - one failure must not stop the rest
        # The claim is rolled back with the failure, so the next run tries again. Only the
        # error's type is logged: an SMTP error's text can carry the address.
        log.error("Reminder to user %s for %s not sent: %s", user.pk, week,
                  type(error).__name__)
        outcome.add("failed")
        return False
    return True
