"""Users, their roles, the teams they belong to or manage, and the audit log.

Teams live here rather than in casework because membership decides what a user may see, and
casework (a higher layer) reads it; of ours, accounts imports only the plain helpers of lib.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property

from familyfeedback.lib.choices import choices

Role = choices("Role", [
    ("practitioner", "Practitioner"),
    ("senior_practitioner", "Senior practitioner"),
    ("team_manager", "Team manager"),
    ("data_team", "Data team"),
    ("evaluator", "Evaluator"),
    ("administrator", "Administrator"),
])


# The roles that work with families: they see family records and answer practitioner surveys.
FAMILY_ROLES = frozenset({Role.PRACTITIONER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER})
# The roles that see the families of every team they are in (a manager, those they manage).
CASEWORK_ROLES = frozenset({Role.PRACTITIONER, Role.SENIOR_PRACTITIONER})


def describe_roles(roles) -> str:
    """"Practitioner and Team manager": the roles in words, in the order Role lists them."""
    held = set(roles)
    labels = [role.label for role in Role if role in held]
    if len(labels) < 2:
        return "".join(labels) or "No role"
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


JobTitle = choices("JobTitle", [
    ("fsw", "Family support worker"),
    ("senior_fsw", "Senior family support worker"),
    ("senior_practitioner", "Senior practitioner"),
    ("team_manager", "Team manager"),
    ("other", "Other"),
])


class UserManager(BaseUserManager):
    def create_user(self, email: str, password: str | None = None, roles=(Role.PRACTITIONER,),
                    **fields) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        RoleGrant.objects.using(self._db).bulk_create(
            RoleGrant(user=user, role=role) for role in sorted(set(roles)))
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True, roles=[Role.ADMINISTRATOR])
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=20, choices=JobTitle.choices, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    # When the latest invitation was sent: a link carries it, so sending another kills the old.
    invited_at = models.DateTimeField(null=True, blank=True)
    # Raised by accounts.actions.end_all_sessions: every session signed in before ends at its
    # next request (see _get_session_auth_hash).
    session_version = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            # Stored in lower case by the manager; this keeps "Pat@" and "pat@" one person even
            # for a row written some other way.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """Every role this person holds, read once per request."""
        # Through the related manager's all(), so that a list's prefetch of role_grants serves
        # it instead of a query per person.
        return frozenset(grant.role for grant in self.role_grants.all())

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def roles_described(self) -> str:
        return describe_roles(self.roles)

    @property
    def works_with_families(self) -> bool:
        return self.has_role(*FAMILY_ROLES)

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django keeps this hash in each session and signs the person out of any session whose
        hash no longer matches, as when the password changes. Folding the session version in
        makes raising it do the same. At version 0 the hash is Django's own, so sessions opened
        before the version existed were not ended by its arrival."""
        if not self.session_version:
            return super()._get_session_auth_hash(secret)
        return salted_hmac("familyfeedback.accounts.User.session_auth_hash",
                           f"{self.password}:{self.session_version}", secret=secret,
                           algorithm="sha256").hexdigest()


class RoleGrant(models.Model):
    """One role a person holds; a senior practitioner who also manages a team holds two."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_grant_once_per_person"),
        ]


class TeamQuerySet(models.QuerySet):
    def active(self) -> "TeamQuerySet":
        """The teams people can be put in: an archived team is history only."""
        return self.filter(archived_on__isnull=True)


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(User, through="Membership", related_name="teams")
    archived_on = models.DateField(null=True, blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self) -> "MembershipQuerySet":
        """The memberships that decide access now: a person who left a team (ended_on set) no
        longer sees its families."""
        return self.filter(ended_on__isnull=True)


class Membership(models.Model):
    """A person's time in a team, as a member or its manager. Moving team ends one membership and
    starts another, so the history of who was where stays."""

    Kind = choices("Membership.Kind", [
        ("member", "Member"),
        ("manager", "Manager"),
    ])

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], condition=Q(ended_on__isnull=True),
                                    name="membership_one_current_per_team"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True)
                                   | Q(ended_on__gte=models.F("started_on")),
                                   name="membership_ends_after_it_starts"),
        ]


class AuditQuerySet(models.QuerySet):
    """Entries are added, never changed: the bulk paths are closed like the single ones."""

    def update(self, **kwargs):
        raise RuntimeError("Audit entries are never changed")

    def delete(self):
        raise RuntimeError("Audit entries are never deleted")


class AuditEntry(models.Model):
    """One line of the audit log. Written only through accounts.audit.record; never updated."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True)
    # Old and new values of what changed, e.g. {"item_2": ["4.0", "6.0"]}; plus context such as a
    # correction's reason.
    changes = models.JSONField(default=dict, blank=True)
    # The hash chain (accounts.audit): an entry is sealed just after its transaction commits, in
    # the order entries are sealed. `position` is its place in the chain, `changes_digest` the
    # SHA-256 of its changes, and `entry_hash` an HMAC over the entry and the hash before it, so
    # a removed or altered entry breaks the chain (manage.py verify_audit).
    position = models.BigIntegerField(null=True, blank=True, unique=True)
    changes_digest = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)
    # When a purge emptied `changes` of personal values (privacy.purge). The digest stays, so
    # the chain still holds; only this one change is ever made to an entry.
    redacted_at = models.DateTimeField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The audit page filters one object's history.
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # Counting the families one person opened within the last hour (bulk viewing,
            # accounts.bulk_views), on every family page.
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are never deleted")


class AuditSeal(models.Model):
    """The end of the audit chain: the last sealed entry's position and hash. One row."""

    position = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)


class BulkViewAlert(models.Model):
    """One alert to the data protection contact: this person opened more families than the
    setting allows within the window. One per person per window, so a long run of views raises
    one email, not hundreds."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    window_minutes = models.PositiveIntegerField()
    families = models.PositiveIntegerField()
    # Where the alert went: the address in FF_DATA_PROTECTION_EMAIL at the time, or blank when
    # none is set (then it is on the administrators' page only).
    sent_to = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]


class RateCount(models.Model):
    """How many searches or exports one person has made in one fixed window (accounts.rate_limits).
    In the database, so that every app server counts against the same limit; one row per person,
    kind and window, raised by a single INSERT ... ON CONFLICT so that two requests at once
    cannot both read the old count."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)
    window_start = models.DateTimeField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "window_start"],
                                    name="rate_count_once_per_window"),
        ]
