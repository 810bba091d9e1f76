"""A trial and its data, shaped like the evaluation package (docs/formats/
evaluation-package.md): a trial run here and a package imported from elsewhere are analysed the
same way. Practitioners and family members appear only by pseudonym; an evaluator never sees a
name, a case reference or a date of birth."""

import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from familyfeedback.accounts.models import Team, User
from familyfeedback.evaluation.randomisation import ARMS

WAVES = [("baseline", "Baseline"), ("post_training", "Post-training"), ("endline", "Endline")]
ARM_CHOICES = [(arm, arm.capitalize()) for arm in ARMS]
TRIAL_NAME_LENGTH = 100
UNIT_CODE_LENGTH = 40


class Trial(models.Model):
    name = models.CharField(max_length=TRIAL_NAME_LENGTH, unique=True)
    protocol_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    # When its research data are erased (research_data_retention); blank: two years after its
    # last wave closed, as the pilot's information sheet promised.
    retention_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def has_arms(self) -> bool:
        """Randomised here, or its arms came in an evaluation package: either way its
        allocation is made, and nothing may make another."""
        return hasattr(self, "allocation") or self.teams.exclude(arm="").exists()


class ResearchQuestion(models.Model):
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="questions_asked")
    number = models.CharField(max_length=10)  # "1.1"
    dimension = models.CharField(max_length=60)
    text = models.TextField()
    methods = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]


class TrialTeam(models.Model):
    """teams.csv: a team in the trial, its randomisation unit and arm."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="teams")
    # The package's identifiers (its team_id, unit_id, ... columns) are codes, strings, so that
    # they are never read as the foreign keys Django names *_id.
    team_code = models.CharField(max_length=40)
    team_name = models.CharField(max_length=100)
    # Teams that share a unit were randomised together; blank: the team is its own unit.
    unit_code = models.CharField(max_length=UNIT_CODE_LENGTH, blank=True)
    arm = models.CharField(max_length=20, choices=ARM_CHOICES, blank=True)
    # The service's team behind it, for a trial run here.
    service_team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["team_code"]
        constraints = [models.UniqueConstraint(fields=["trial", "team_code"],
                                               name="trial_team_once")]

    @property
    def unit(self) -> str:
        return self.unit_code or self.team_code


class Allocation(models.Model):
    """The randomisation, made once and never changed: method, seed, who and when, and the hash
    of the list so anyone can check the list they hold is this one."""

    trial = models.OneToOneField(Trial, on_delete=models.CASCADE, related_name="allocation")
    method = models.CharField(max_length=20)
    seed = models.BigIntegerField()
    ratio = models.CharField(max_length=10, default="1:1")
    assignments = models.JSONField()  # [[unit code, arm], ...] sorted by unit code
    digest = models.CharField(max_length=64)
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("An allocation is never changed")
        super().save(*args, **kwargs)


class TrialPractitioner(models.Model):
    """practitioners.csv: a pseudonym, never a name."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="practitioners")
    practitioner_code = models.CharField(max_length=40)
    team = models.ForeignKey(TrialTeam, on_delete=models.CASCADE, related_name="practitioners")
    role = models.CharField(max_length=30)
    years_in_service = models.FloatField(null=True, blank=True)
    years_practising = models.FloatField(null=True, blank=True)
    qualification_level = models.PositiveSmallIntegerField(null=True, blank=True)
    hours_per_week = models.FloatField(null=True, blank=True)
    families_supported = models.PositiveIntegerField(null=True, blank=True)
    # The account behind the pseudonym, for a trial run here: lets them answer surveys. Never
    # shown to an evaluator.
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    # A personal link to the survey, for those who answer without signing in; blank once
    # revoked. It works for settings.SURVEY_LINK_DAYS from when it was issued.
    link_token = models.CharField(max_length=64, blank=True)
    link_issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["practitioner_code"]
        constraints = [models.UniqueConstraint(fields=["trial", "practitioner_code"],
                                               name="trial_practitioner_once")]

    def link_expires_at(self) -> datetime | None:
        """When the personal link stops (or stopped) working; None if there is none (revoked)."""
        if not self.link_token or self.link_issued_at is None:
            return None
        return self.link_issued_at + timedelta(days=settings.SURVEY_LINK_DAYS)

    def link_has_run_out(self) -> bool:
        # The same boundary as the query that lets a link in (access.respondent_by_token).
        return (self.link_expires_at() is not None
                and self.link_issued_at < oldest_working_link())


def oldest_working_link() -> datetime:
    """A personal link issued before this has run out."""
    return timezone.now() - timedelta(days=settings.SURVEY_LINK_DAYS)


class TrainingRecord(models.Model):
    """training.csv: one practitioner at one training event they were expected at. The trial is
    kept beside the practitioner so that its whole register is read, or replaced, at once."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="training")
    practitioner = models.ForeignKey(TrialPractitioner, on_delete=models.CASCADE,
                                     related_name="training")
    event_code = models.CharField(max_length=40)
    event_type = models.CharField(max_length=10)
    on = models.DateField()
    attended = models.BooleanField()
    absence_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practitioner", "event_code"],
                                               name="training_record_once")]


class Wave(models.Model):
    """A survey round run in the app. A package's waves exist through its responses."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="waves")
    kind = models.CharField(max_length=20, choices=WAVES)
    # Who is asked: post-training goes to the intervention arm only by default.
    arms = models.JSONField(default=list)
    measures = models.JSONField(default=list)  # survey measure codes asked in this wave
    is_open = models.BooleanField(default=False)  # opened, at some time: see accepts_answers
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)  # closed early by the evaluator

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trial", "kind"], name="wave_once")]

    def accepts_answers(self, today: date) -> bool:
        """Opened, not closed by hand, and today within its dates (both days included)."""
        return (self.is_open and self.closed_on is None
                and (self.opens_on is None or self.opens_on <= today)
                and (self.closes_on is None or today <= self.closes_on))


class Question(models.Model):
    """questions.csv: a custom survey question."""

    KINDS = [("likert", "Likert"), ("choice", "Choice"), ("number", "Number"), ("text", "Text")]

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="custom_questions")
    question_code = models.CharField(max_length=60)
    wave = models.CharField(max_length=20, choices=WAVES)
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=KINDS)
    options = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["trial", "question_code"],
                                               name="question_once")]


class Response(models.Model):
    """responses.csv: one answer, long format."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(TrialPractitioner, on_delete=models.CASCADE,
                                   related_name="responses")
    wave = models.CharField(max_length=20, choices=WAVES)
    item = models.CharField(max_length=60)
    value = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["respondent", "wave", "item"],
                                               name="answer_once")]
        indexes = [
            # The analysis reads one trial's answers wave by wave.
            models.Index(fields=["trial", "wave"], name="response_trial_wave"),
        ]


class AdminRecord(models.Model):
    """administrations.csv: an ORS/SRS record, pseudonymised. Field names match what
    implementation.figures counts (on, tool, status, reason, person_key, practitioner_key,
    team_key, adult), so usage, reach and completions are counted by the same code."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="admin_records")
    administration_code = models.CharField(max_length=40)
    person_key = models.CharField(max_length=40)
    adult = models.BooleanField()
    practitioner = models.ForeignKey(TrialPractitioner, on_delete=models.CASCADE,
                                     related_name="admin_records")
    practitioner_key = models.CharField(max_length=40)
    team_key = models.CharField(max_length=40)
    on = models.DateField()
    measure = models.CharField(max_length=10)
    tool = models.CharField(max_length=3)
    item_1 = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    item_2 = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    item_3 = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    item_4 = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    status = models.CharField(max_length=20)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trial", "administration_code"],
                                    name="admin_record_once"),
            *[models.CheckConstraint(condition=Q(**{f"{i}__isnull": True})
                                     | Q(**{f"{i}__gte": 0}, **{f"{i}__lte": 10}),
                                     name=f"admin_record_{i}_in_range")
              for i in ("item_1", "item_2", "item_3", "item_4")],
        ]


class TrialPerson(models.Model):
    """The pseudonym a family member has in one trial's data. Kept here, never shown to an
    evaluator, so the same person keeps the same code each time the data is refreshed."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("casework.Person", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trial", "person"], name="trial_person_once"),
            models.UniqueConstraint(fields=["trial", "code"], name="trial_person_code_once"),
        ]


# Fieldwork: consent. Each activity is agreed to (or not) on its own, as on the pilot's consent
# form with its tick box per statement.
CONSENT_ACTIVITIES = [("surveys", "Surveys"), ("interview", "Interview"),
                      ("observation", "Observation"), ("admin_data", "Use of admin data")]


class Consent(models.Model):
    """One practitioner's consent to one evaluation activity, with the information sheet they
    were given. Withdrawal keeps the row, with its date: from then on the analysis and the
    exports leave out what it covers."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="consents")
    practitioner = models.ForeignKey(TrialPractitioner, on_delete=models.CASCADE,
                                     related_name="consents")
    activity = models.CharField(max_length=20, choices=CONSENT_ACTIVITIES)
    given_on = models.DateField()
    information_sheet_version = models.CharField(max_length=40)
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["practitioner__practitioner_code", "activity"]
        constraints = [models.UniqueConstraint(fields=["practitioner", "activity"],
                                               name="consent_once")]


# Qualitative work. Themes, documents and codings carry a GUID because the REFI-QDA exchange
# format names everything by GUID: the same GUID on the way back in is the same thing.
DOCUMENT_KINDS = [("interview", "Interview transcript"), ("observation", "Observation notes"),
                  ("open_text", "Open-text survey answers")]


class Document(models.Model):
    """A text the evaluators code: an interview with a participant, notes of an observation,
    or one open-text survey question's answers in one wave (gathered, not uploaded). Its text is
    plain; paragraphs are separated by blank lines, and a coding names characters of it."""

    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DOCUMENT_KINDS)
    title = models.CharField(max_length=200)
    # The participant interviewed; blank for an observation or gathered answers.
    participant = models.ForeignKey(TrialPractitioner, on_delete=models.RESTRICT, null=True,
                                    blank=True, related_name="documents")
    # The team observed, for an observation.
    team = models.ForeignKey(TrialTeam, on_delete=models.RESTRICT, null=True, blank=True,
                             related_name="documents")
    # For gathered open-text answers: which question, in which wave.
    wave = models.CharField(max_length=20, choices=WAVES, blank=True)
    question_code = models.CharField(max_length=60, blank=True)
    # For gathered answers: the pseudonyms whose answers are in the text, in its order, so that
    # gathering again once it is coded only adds answers (evaluation.actions.gather_open_text).
    gathered_from = models.JSONField(default=list, blank=True)
    text = models.TextField()
    file_name = models.CharField(max_length=255, blank=True)  # as uploaded, for the evaluator
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "wave", "question_code"],
                                    condition=Q(kind="open_text"),
                                    name="open_text_document_once"),
        ]


class Theme(models.Model):
    """A code of the codebook: a theme, or a sub-theme under one, linked to the research
    questions it helps answer."""

    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="sub_themes")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    research_questions = models.ManyToManyField(ResearchQuestion, blank=True,
                                                related_name="themes")

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["trial", "parent", "name"],
                                               name="theme_name_once",
                                               nulls_distinct=False)]


class Coding(models.Model):
    """One evaluator applying one theme to one passage: characters [start, end) of the
    document's text. Each evaluator codes on their own, so that agreement can be measured."""

    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="codings")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    coded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="coding_not_empty"),
            models.UniqueConstraint(fields=["document", "theme", "coder", "start", "end"],
                                    name="coding_once"),
        ]


class MatrixCell(models.Model):
    """The framework matrix: the evaluator's summary of what one participant said on one
    theme; its evidence is the participant's codings under the theme."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="matrix_cells")
    participant = models.ForeignKey(TrialPractitioner, on_delete=models.CASCADE,
                                    related_name="matrix_cells")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="matrix_cells")
    summary = models.TextField()
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "theme"],
                                               name="matrix_cell_once")]


# The report: the evaluator's own words by research question, and the quotes picked for it.
class Finding(models.Model):
    """What the evaluator writes under one research question (Markdown, sanitised when
    shown), or, with no question, the report's limitations."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="findings")
    question = models.OneToOneField(ResearchQuestion, on_delete=models.CASCADE, null=True,
                                    blank=True, related_name="finding")
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trial"], condition=Q(question=None),
                                               name="limitations_once")]


class Quote(models.Model):
    """A coded passage quoted in the report under a research question, in the evaluator's
    order."""

    question = models.ForeignKey(ResearchQuestion, on_delete=models.CASCADE,
                                 related_name="quotes")
    coding = models.ForeignKey(Coding, on_delete=models.CASCADE, related_name="quotes")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "coding"],
                                               name="quote_once")]


# Fieldwork: research data retention. What is left when a trial's research data are erased:
# that it happened, when, by whom and how much, and nothing about anyone in it.
class Erasure(models.Model):
    trial = models.ForeignKey(Trial, on_delete=models.SET_NULL, null=True, related_name="erasures")
    trial_name = models.CharField(max_length=TRIAL_NAME_LENGTH)
    retention_date = models.DateField()
    erased_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict)  # rows erased, by kind

    class Meta:
        ordering = ["erased_at", "id"]
