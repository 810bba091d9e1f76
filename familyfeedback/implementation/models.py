"""Training events and who came, supervision notes, and reminder preferences: what a manager needs
to see whether the approach is really happening."""

from django.db import models

from familyfeedback.accounts.models import Team, User
from familyfeedback.lib.choices import choices

REASON_LENGTH = 200


class TrainingEvent(models.Model):
    Kind = choices("TrainingEvent.Kind", [
        ("part_1", "Part 1: systemic ideas"),
        ("part_2", "Part 2: the feedback tools"),
        ("mop_up", "Mop-up (parts 1 and 2)"),
    ])

    kind = models.CharField(max_length=10, choices=Kind.choices)
    on = models.DateField()
    facilitators = models.CharField(max_length=200, blank=True)
    invited_teams = models.ManyToManyField(Team, related_name="training_events")

    class Meta:
        ordering = ["on", "id"]


class Attendance(models.Model):
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="register")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training")
    attended = models.BooleanField()
    absence_reason = models.CharField(max_length=REASON_LENGTH, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="attendance_once_per_event"),
        ]


class SupervisionNote(models.Model):
    """A manager's note for the next supervision with a practitioner."""

    practitioner = models.ForeignKey(User, on_delete=models.CASCADE,
                                     related_name="supervision_notes")
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at"]


class ReminderPreference(models.Model):
    """Whether a person has turned the weekly reminder email off. Someone without a row gets it,
    so a new practitioner is reminded without anyone having to set it up."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="reminders")
    opted_out = models.BooleanField(default=False)


class ReminderSent(models.Model):
    """One digest sent to one person for one ISO week: a repeated run sends nothing twice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)  # e.g. 2026-W48
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="reminder_once_a_week"),
        ]


class SummaryRefresh(models.Model):
    """When the dashboards' summaries were last refreshed, and how many records there were: the
    dashboards read the summaries only when that is over settings.SUMMARIES_ABOVE (one row)."""

    at = models.DateTimeField()
    administrations = models.PositiveIntegerField()


class MonthSummary(models.Model):
    """The summaries, per team and month, from which the dashboards' figures are summed exactly
    (implementation.summaries). Plain ids rather than foreign keys: a refresh rewrites whole
    months, and a removed family's rows go with its months' next refresh."""

    team_id = models.IntegerField()
    month = models.DateField()

    class Meta:
        abstract = True
        # Every summary is read by period and team.
        indexes = [models.Index(fields=["month", "team_id"], name="%(class)s_month_team")]


class UsageMonth(MonthSummary):
    """Completed records by team, month, tool and the session's practitioner."""

    tool = models.CharField(max_length=3)
    practitioner_id = models.IntegerField(null=True)
    completions = models.PositiveIntegerField()


class ReachMonth(MonthSummary):
    """Completed records by team, month, tool, person and whether they were an adult on the
    day: distinct people over several months need the person."""

    tool = models.CharField(max_length=3)
    person_id = models.IntegerField()
    adult = models.BooleanField()
    completions = models.PositiveIntegerField()


class CoverageMonth(MonthSummary):
    """People at sessions, and of them those who completed the ORS and the SRS."""

    attendances = models.PositiveIntegerField()
    ors = models.PositiveIntegerField()
    srs = models.PositiveIntegerField()


class LanguageMonth(MonthSummary):
    """Sessions by team and month, and of them those in another language than English, with an
    interpreter or the form read aloud, and either: a session is in one month, so months add."""

    sessions = models.PositiveIntegerField()
    other_language = models.PositiveIntegerField()
    with_help = models.PositiveIntegerField()
    either = models.PositiveIntegerField()


class ReasonMonth(MonthSummary):
    """Records not administered, by team, month and reason."""

    reason = models.CharField(max_length=20)
    count = models.PositiveIntegerField()
