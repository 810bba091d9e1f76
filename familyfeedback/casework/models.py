"""Families, the people in them, sessions and the administrations of a measure in a session.

Rows are changed only through the named write functions in casework.actions, which validate, save
in one transaction and audit.
"""

import hashlib
import uuid
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from familyfeedback.accounts.models import Team, User
from familyfeedback.lib.choices import choices


class Family(models.Model):
    name = models.CharField(max_length=100, help_text="How the team refers to the family")
    case_reference = models.CharField(max_length=40, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="families")
    key_worker = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="families"
    )
    # A legal hold (court proceedings, a complaint, an inquiry): while the reason is set, no
    # retention rule removes the family and erasure is refused (privacy.retention).
    legal_hold_reason = models.CharField(max_length=300, blank=True)
    legal_hold_since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "families"
        constraints = [
            # The case system's references are written in whatever case a person typed: EH-12
            # and eh-12 are one family, so a second one is refused however it is written.
            models.UniqueConstraint(Lower("case_reference"),
                                    name="family_case_reference_once_in_any_case"),
        ]

    def __str__(self) -> str:
        return self.name


class Episode(models.Model):
    """One period of support, from opening to closure. Reopening a family starts a new episode,
    and each person's first outcome rating in an episode is their baseline."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="episodes")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["opened_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["family"], condition=Q(closed_on__isnull=True),
                                    name="episode_one_open_per_family"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True)
                                   | Q(closed_on__gte=models.F("opened_on")),
                                   name="episode_closes_after_it_opens"),
        ]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Person(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="people")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    # A BCP 47 code ("en", "cy", "ur"): familyfeedback.lib.languages gives its names and
    # direction. Empty only while language_to_check holds an old free-text value no language
    # matched, which the family page asks a practitioner to settle.
    preferred_language = models.CharField(max_length=35, default="en", blank=True)
    language_to_check = models.CharField(max_length=60, blank=True)
    needs_interpreter = models.BooleanField(default=False)
    # The person's id in the council's case system, for matching imported history.
    reference = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["date_of_birth", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["family", "reference"], condition=~Q(reference=""),
                                    name="person_reference_once_per_family"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Session(models.Model):
    Kind = choices("Session.Kind", [
        ("home_visit", "Home visit"),
        ("office", "Office or centre"),
        ("phone", "Phone or video call"),
        ("taf", "Team Around the Family meeting"),
    ])

    # A session given in two halves is saved when it starts, each person's rating as they give
    # it, and kept "started" until the practitioner ends it: the caseload shows it waiting.
    Stage = choices("Session.Stage", [
        ("started", "Waiting for end ratings"),
        ("complete", "Complete"),
    ])

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOME_VISIT)
    practitioner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sessions")
    present = models.ManyToManyField(Person, related_name="sessions_attended", blank=True)
    notes = models.TextField(blank=True)
    imported = models.BooleanField(default=False, help_text="Came from the case system's history")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.COMPLETE)
    # A random token put in the form when it is drawn: a second POST of the same form (double tap,
    # back button) finds the session it already made instead of making another.
    submission_token = models.UUIDField(unique=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # The family page and caseload list sessions newest first.
            models.Index(fields=["family", "-date"], name="session_family_date"),
            # The caseload's "waiting for end ratings": few rows ever, so a partial index.
            models.Index(fields=["practitioner"], condition=Q(stage="started"),
                         name="session_started"),
        ]


def picture_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"pictures/{uuid.uuid4().hex}.{extension}"


NotAdministeredReason = choices("NotAdministeredReason", [
    ("crisis", "Family in crisis"),
    ("declined", "Declined"),
    ("not_appropriate", "Not appropriate today"),
    ("language", "Language or communication need"),
    ("other", "Other"),
])


class Administration(models.Model):
    Status = choices("Administration.Status", [
        ("completed", "Completed"),
        ("not_administered", "Not administered"),
    ])

    Tool = choices("Administration.Tool", [
        ("ORS", "Outcome rating (start of session)"),
        ("SRS", "Session rating (end of session)"),
    ])

    # Who put the marks in: a family member on the practitioner's tablet or on their own phone
    # is their own voice; the practitioner typing them in (from paper, or as told) is not.
    Channel = choices("Administration.Channel", [
        ("practitioner", "Entered by the practitioner"),
        ("tablet", "Given on the practitioner's tablet"),
        ("own_device", "Given on their own device"),
    ])

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="administrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="administrations")
    tool = models.CharField(max_length=3, choices=Tool.choices)
    measure = models.CharField(max_length=10)
    status = models.CharField(max_length=20, choices=Status.choices)
    item_1 = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    item_2 = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    item_3 = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    item_4 = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    # Derived from the items and stored so that lists and dashboards can query it.
    total = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    # The person's age on the session date, derived and stored for the same reason: reach is
    # counted for children and adults as they were when rated.
    age = models.PositiveSmallIntegerField()
    face = models.CharField(max_length=20, blank=True)
    # A photo of the face a young child drew on the paper form. Stored under a random name, so no
    # name or date reaches the file system, and served only through the access check.
    picture = models.FileField(upload_to=picture_path, blank=True)
    reason = models.CharField(max_length=20, choices=NotAdministeredReason.choices, blank=True)
    reason_detail = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices,
                               default=Channel.PRACTITIONER)
    # The BCP 47 code of the wording the person was shown; English for everything before.
    language = models.CharField(max_length=35, default="en")
    # An interpreter helped, or the form was read aloud: the seed asked how families with
    # English as an additional language were reached, and this is how the dashboards count it.
    helped = models.BooleanField(default=False)

    ITEMS = ("item_1", "item_2", "item_3", "item_4")

    class Meta:
        ordering = ["session__date", "session_id", "tool"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "tool"], name="administration_once_per_session"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{item}__isnull": True})
                    | Q(**{f"{item}__gte": 0}, **{f"{item}__lte": 10}),
                    name=f"administration_{item}_in_range",
                )
                for item in ("item_1", "item_2", "item_3", "item_4")
            ],
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0, total__lte=40),
                name="administration_total_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status="completed", reason="")
                | Q(status="not_administered", total__isnull=True) & ~Q(reason=""),
                name="administration_reason_only_when_not_administered",
            ),
        ]
        indexes = [
            # A person's chart: their administrations of one tool in date order.
            models.Index(fields=["person", "tool"], name="administration_person_tool"),
            # The dashboards' figures (implementation.figures over casework_facts): a team's
            # completed or not-administered records of the sessions in a period, read from the
            # index alone on PostgreSQL (SQLite ignores `include` and keeps the two keys).
            models.Index(fields=["session", "status"],
                         include=["tool", "person", "age", "reason", "id"],
                         name="administration_session_status"),
        ]

    @property
    def completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    def items(self) -> dict:
        return {item: getattr(self, item) for item in self.ITEMS}


class InstalledTextPack(models.Model):
    """A licensed text pack loaded by `manage.py load_text_pack`. The newest row is in force.

    Kept in the database, not on disk, so every app server behind a load balancer uses the same.
    """

    data = models.JSONField()
    holder = models.CharField(max_length=200)
    reference = models.CharField(max_length=200)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]


class AlertAcknowledgement(models.Model):
    """A practitioner's note of what they did about an alert. Alerts are worked out from the
    scores (and stored for the lists: AlertState); an acknowledged one (same person, rule and
    date of the score that raised it) leaves the caseload but stays on the record. A later score
    can raise it again."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="acknowledgements")
    code = models.CharField(max_length=40)
    fired_on = models.DateField()
    note = models.TextField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "code", "fired_on"],
                                    name="acknowledge_an_alert_once"),
        ]


class AlertState(models.Model):
    """One person's alerts now, as the pure rules work them out from their current period of
    support, less those acknowledged: kept so that the caseload, the supervision page and the
    dashboards read one indexed row per person instead of working out every family's alerts on
    each view (ADR 0025). Every write that changes a person's alerts stores it again in its own
    transaction (casework.alerts.store); `rebuild_alerts --check` says where it has drifted."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True,
                                  related_name="alert_state")
    # The person's family, so that a caseload's or a team's rows come from one indexed query.
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="+")
    act_now = models.PositiveSmallIntegerField(default=0)
    talk_about_it = models.PositiveSmallIntegerField(default=0)
    for_the_record = models.PositiveSmallIntegerField(default=0)
    # The outstanding alerts in the rules' order: [{"code", "on", "reason"}]. None once support
    # has closed: a family whose support has closed needs no new conversation.
    alerts = models.JSONField(default=list)
    # The birthday on which the person's cut-off changes (an adolescent turning 18): their alerts
    # are worked out again when it comes, as they would have been on a page that day.
    changes_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # The lists show the first two tiers only: most people have nothing on them.
            models.Index(fields=["family"], name="alert_state_listed",
                         condition=Q(act_now__gt=0) | Q(talk_about_it__gt=0)),
            models.Index(fields=["changes_on"], name="alert_state_changes_on",
                         condition=Q(changes_on__isnull=False)),
        ]


class TrajectoryFit(models.Model):
    """One run of `manage.py fit_trajectories`: when, from what, and what could not be fitted."""

    fitted_at = models.DateTimeField(auto_now_add=True)
    closed_episodes = models.PositiveIntegerField()
    # "person:episode" for each trajectory the curves were fitted from, so a fit can be checked.
    trajectories_used = models.JSONField(default=list)
    # measure code -> plain-English notes on the bands left out for too little data.
    notes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-fitted_at", "-id"]


class TrajectoryCurve(models.Model):
    """The expected trajectory of people starting in one intake band on one measure."""

    fit = models.ForeignKey(TrajectoryFit, on_delete=models.CASCADE, related_name="curves")
    measure = models.CharField(max_length=10)
    band_low = models.FloatField()
    band_high = models.FloatField()
    intercept = models.FloatField()
    slope = models.FloatField()
    re_cov = models.JSONField()
    residual_var = models.FloatField()
    trajectories = models.PositiveIntegerField()
    observations = models.PositiveIntegerField()

    class Meta:
        ordering = ["measure", "band_low"]


class FeedbackLink(models.Model):
    """A self-completion link: one person's rating of one tool in one session, given on their own
    phone with no sign-in. It works once and until it expires. Only the SHA-256 of its token is
    kept: the token itself is in the link shown on the practitioner's screen or sent, nowhere
    else, so a copy of the database opens no family's form. What was sent is kept (how, Notify's
    id, when), never the number or address, which are typed for the send and then forgotten."""

    Sent = choices("FeedbackLink.Sent", [("sms", "Text message"), ("email", "Email")])

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback_links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_links")
    tool = models.CharField(max_length=3, choices=Administration.Tool.choices,
                            default=Administration.Tool.SRS)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # The send form's token, taken when a send begins: a second press of the button (or the same
    # form sent again) finds the link taken and sends nothing more. Cleared if Notify refuses.
    send_token = models.UUIDField(null=True, blank=True, unique=True)
    sent_by = models.CharField(max_length=5, choices=Sent.choices, blank=True)
    notification_id = models.CharField(max_length=36, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def why_not_working(self, stage: str, now: datetime | None = None) -> str | None:
        """"used", "ended" (the session) or "expired"; None while the link works. Used first: a
        person who has given their answers is thanked, whatever happened since."""
        if self.used_at is not None:
            return "used"
        if stage != Session.Stage.STARTED:
            return "ended"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return None


class TouchedMonth(models.Model):
    """A month whose records were written since the dashboards' summaries were last refreshed
    (implementation.summaries). Written in the same transaction as the records, one row per
    write rather than one per month: a refresh removes only the rows it read, so a write that
    commits while a refresh runs leaves its own row for the next refresh."""

    month = models.DateField()  # the first day
