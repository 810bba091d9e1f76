"""Every change to a person's account: their roles, their teams and their sign-in. Each
validates, saves in one transaction and writes the audit entry; the pages and the commands call
these and nothing else.

The audit log records roles and team names, never a password, a code or a set-up link."""

import math

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from familyfeedback.accounts import audit, invitations, throttle, two_factor
from familyfeedback.accounts.models import (
    Membership,
    Role,
    RoleGrant,
    Team,
    User,
    describe_roles,
)
from familyfeedback.lib import versions
from familyfeedback.lib.mail import MailServerUnreachable, open_connection

# Invitations --------------------------------------------------------------------------------


class InvitationNotSent(Exception):
    """The account is saved but its email did not go; `why` is safe to show."""

    def __init__(self, person: User, why: str):
        super().__init__(why)
        self.person = person
        self.why = why


def invite(by: User, *, email: str, full_name: str, roles, teams=(), manages=(),
           site: str) -> User:
    """Make the account, with its roles and teams, and email the person their set-up link. The
    account is saved even when the email cannot be sent (InvitationNotSent, raised after
    saving): resending the invitation tries again."""
    person = _new_account(by, email=email, full_name=full_name, roles=roles, teams=teams,
                          manages=manages)
    _send_invitation(person, site)
    return person


def create_first_administrator(*, email: str, full_name: str, site: str) -> str:
    """The service's first administrator (by the command line, so no one is the actor); returns
    their set-up link instead of emailing it, since mail may not be set up yet."""
    person = _new_account(None, email=email, full_name=full_name, roles=[Role.ADMINISTRATOR])
    return invitations.link(person, site)


def resend_invitation(by: User, person: User, *, site: str) -> None:
    """A new link, and the old one stops working (the link carries the time it was sent)."""
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=person.pk)
        if current.has_usable_password():
            raise ValidationError(f"{current} has already set their password, so there is no "
                                  "invitation to resend", code="accepted")
        current.invited_at = timezone.now()
        current.save(update_fields=["invited_at"])
        audit.record(by, "user.invitation_resent", current)
    person.invited_at = current.invited_at
    _send_invitation(current, site)


def accept_invitation(person: User, password: str) -> None:
    """Set the invited person's first password, which spends the link. The password is checked
    against the service's password rules (ValidationError listing what is wrong)."""
    validate_password(password, person)
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=person.pk)
        if current.has_usable_password():
            raise ValidationError("This invitation has already been used", code="used")
        current.set_password(password)
        current.save(update_fields=["password"])
        audit.record(current, "user.invitation_accepted", current)


def _new_account(by, *, email, full_name, roles, teams=(), manages=()) -> User:
    email = email.strip().lower()
    check_email_is_new(email)
    if not roles:
        raise ValidationError("Choose at least one role", code="no_role")
    person = User(email=email, full_name=full_name.strip(), invited_at=timezone.now())
    person.set_unusable_password()
    try:
        with transaction.atomic():
            person.save()
            RoleGrant.objects.bulk_create(RoleGrant(user=person, role=r) for r in set(roles))
            managed = set(manages)
            Membership.objects.bulk_create(
                Membership(user=person, team=team, kind=Membership.Kind.MANAGER
                           if team in managed else Membership.Kind.MEMBER)
                for team in [*teams, *(t for t in manages if t not in teams)])
            audit.record(by, "user.invite", person, {
                "roles": describe_roles(roles),
                "teams": ", ".join(sorted(t.name for t in {*teams, *manages})),
                "manages": ", ".join(sorted(t.name for t in managed))})
    except IntegrityError:
        # Someone invited the same address at the same moment.
        raise _duplicate(email) from None
    return person


def check_email_is_new(email: str) -> None:
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise _duplicate(email)


def _duplicate(email: str) -> ValidationError:
    return ValidationError(f"{email.strip().lower()} already has an account: find them in the "
                           "list of people instead", code="duplicate")


def _send_invitation(person: User, site: str) -> None:
    body = render_to_string("email/invitation.txt", {
        "person": person, "link": invitations.link(person, site),
        "expires_on": invitations.expires_on(person)})
    try:
        connection = open_connection()
    except MailServerUnreachable as error:
        raise InvitationNotSent(person, str(error)) from None
    try:
        send_mail("Your Family Feedback account", body, settings.DEFAULT_FROM_EMAIL,
                  [person.email], connection=connection)
    except OSError as error:  # smtplib's errors are OSErrors
        raise InvitationNotSent(person, f"the mail server refused it: {type(error).__name__}"
                                ) from None
    finally:
        connection.close()


# Roles --------------------------------------------------------------------------------------


def roles_version(person: User) -> dict:
    """What an edit page carries of a person's roles, to notice a colleague's change."""
    return {"roles": ",".join(sorted(_granted(person)))}


def grant_roles(by: User, person: User, *, roles, opened: dict) -> None:
    """Make the person's roles exactly `roles`. EditConflict if they changed since the page was
    opened. An administrator cannot take away their own administrator role, so that the service
    is never left without one by a slip."""
    roles = set(roles)
    if not roles:
        raise ValidationError("Choose at least one role", code="no_role")
    if person.pk == by.pk and Role.ADMINISTRATOR not in roles:
        raise ValidationError("You cannot take away your own administrator role: ask another "
                              "administrator", code="own_role")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=person.pk)
        before = _granted(person)
        if before == roles:
            return  # sent twice, or nothing changed
        versions.check_unchanged(opened, roles_version(person))
        person.role_grants.exclude(role__in=roles).delete()
        RoleGrant.objects.bulk_create(RoleGrant(user=person, role=r) for r in roles - before)
        audit.record(by, "user.roles", person,
                     {"roles": [describe_roles(before), describe_roles(roles)]})
    person.__dict__.pop("roles", None)  # the cached set is out of date


def _granted(person: User) -> set[str]:
    return set(RoleGrant.objects.filter(user=person).values_list("role", flat=True))


# Teams and memberships ----------------------------------------------------------------------


def join_team(by: User, person: User, team: Team, *, manages: bool = False) -> Membership:
    """Start a membership today, as a member or as the team's manager."""
    if team.archived_on is not None:
        raise ValidationError(f"{team} is archived: choose another team", code="archived")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=person, team=team,
                kind=Membership.Kind.MANAGER if manages else Membership.Kind.MEMBER)
            audit.record(by, "membership.start", membership,
                         {"team": team.name, "kind": membership.kind})
    except IntegrityError:
        raise ValidationError(f"{person} is already in {team}", code="already") from None
    return membership


def end_membership(by: User, membership: Membership) -> None:
    """End it today: from now the person no longer sees the team's families."""
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.ended_on is not None:
            raise ValidationError(f"This membership of {current.team} has already ended",
                                  code="ended")
        current.ended_on = timezone.localdate()
        current.save(update_fields=["ended_on"])
        audit.record(by, "membership.end", current, {"team": current.team.name})


def move_team(by: User, membership: Membership, to: Team) -> Membership:
    """End a membership and start one in another team, in the same capacity, together."""
    if to.pk == membership.team_id:
        raise ValidationError(f"{membership.user} is already in {to}", code="same")
    with transaction.atomic():
        end_membership(by, membership)
        return join_team(by, membership.user, to,
                         manages=membership.kind == Membership.Kind.MANAGER)


def create_team(by: User, *, name: str) -> Team:
    name = name.strip()
    _check_team_name(name)
    try:
        with transaction.atomic():
            team = Team.objects.create(name=name)
            audit.record(by, "team.create", team, {"name": name})
    except IntegrityError:
        raise _team_name_taken(name) from None
    return team


def rename_team(by: User, team: Team, *, name: str, opened: dict) -> None:
    """EditConflict if someone renamed it since the page was opened."""
    name = name.strip()
    with transaction.atomic():
        current = Team.objects.select_for_update().get(pk=team.pk)
        if current.name == name:
            return
        versions.check_unchanged(opened, {"name": current.name})
        _check_team_name(name, team)
        current.name = name
        current.save(update_fields=["name"])
        audit.record(by, "team.rename", current, {"name": [team.name, name]})
    team.name = name


def set_managers(by: User, team: Team, *, managers) -> None:
    """Make `managers` the team's managers now. A new manager's membership as a member ends and
    one as manager starts today; a manager no longer chosen leaves the team, so the dates say
    who managed it when."""
    wanted = {m.pk: m for m in managers}
    with transaction.atomic():
        Team.objects.select_for_update().get(pk=team.pk)
        now = {m.user_id: m for m in team.memberships.current().select_related("user")}
        for user_id, membership in now.items():
            is_manager = membership.kind == Membership.Kind.MANAGER
            if is_manager != (user_id in wanted):
                end_membership(by, membership)
        for user_id, person in wanted.items():
            if user_id not in now or now[user_id].kind != Membership.Kind.MANAGER:
                join_team(by, person, team, manages=True)


def _check_team_name(name: str, team: Team | None = None) -> None:
    if not name:
        raise ValidationError("Enter the team's name", code="required")
    if Team.objects.filter(name__iexact=name).exclude(pk=getattr(team, "pk", None)).exists():
        raise _team_name_taken(name)


def _team_name_taken(name: str) -> ValidationError:
    return ValidationError(f"There is already a team called {name}", code="duplicate")


# Second factor ------------------------------------------------------------------------------

WRONG_CODE = "That code is not right, or has been used. Enter the code your app shows now"
WRONG_RECOVERY_CODE = "That recovery code is not right, or has been used"


def begin_enrolment(person: User) -> TOTPDevice:
    """The authenticator secret a person is setting up: the same one each time the page is shown
    until they confirm it, so that a reload does not undo what they scanned."""
    device = TOTPDevice.objects.devices_for_user(person, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=person, name="Authenticator app",
                                               confirmed=False)


def confirm_enrolment(person: User, device: TOTPDevice, code: str) -> list[str]:
    """The first code proves the app holds the secret: the app is confirmed, ten recovery codes
    are made (stored hashed), and the plain codes returned to be shown once."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=person)
        refusal = _refusal(device, code)
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _replace_recovery_codes(person)
            audit.record(person, "two_factor.enrol", person)
    if refusal is not None:
        raise ValidationError(refusal)
    return codes


def check_code(device: TOTPDevice, code: str) -> None:
    """Accept a code from the person's app once: django-otp remembers the last time step used
    (last_t), so the same code a second time is refused, and it slows down wrong guesses."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=True)
        refusal = _refusal(locked, code)
    if refusal is not None:
        raise ValidationError(refusal)


def use_recovery_code(device: StaticDevice, code: str) -> int:
    """Sign in with a recovery code instead of the app; the code is used up. Returns how many
    are left."""
    with transaction.atomic():
        locked = StaticDevice.objects.select_for_update().get(pk=device.pk, confirmed=True)
        refusal = _throttled(locked)
        if refusal is None and not locked.verify_token(two_factor.recovery_code_digest(code)):
            refusal = WRONG_RECOVERY_CODE
        if refusal is None:
            left = locked.token_set.count()
            audit.record(locked.user, "two_factor.recovery_code_used", locked.user,
                         {"codes_left": str(left)})
    if refusal is not None:
        raise ValidationError(refusal)
    return left


def reset_second_factor(by: User, person: User) -> None:
    """A person has lost their phone: an administrator removes their authenticator app and
    recovery codes and signs them out everywhere; they set up a new app at their next sign-in."""
    if not by.has_role(Role.ADMINISTRATOR) or not by.is_active:
        raise PermissionDenied("Only an administrator can reset a second factor")
    with transaction.atomic():
        # Every kind of device django-otp knows of, confirmed or part set up.
        devices = list(devices_for_user(person, confirmed=None))
        for device in devices:
            device.delete()
        audit.record(by, "two_factor.reset", person, {"devices_removed": str(len(devices))})
        end_all_sessions(person, by)


def refuse_single_sign_on(email: str) -> None:
    """The identity provider vouched for someone this service has not invited: no account is
    made, and the attempt is kept for the administrators to see."""
    audit.record(None, "sign_in.sso_refused", None, {"email": email})


def _refusal(device: TOTPDevice | StaticDevice, code: str) -> str | None:
    """Why this code is refused, or None when it is accepted (and so used up)."""
    refusal = _throttled(device)
    if refusal is None and not device.verify_token(code):
        refusal = WRONG_CODE
    return refusal


def _throttled(device) -> str | None:
    allowed, why = device.verify_is_allowed()
    if allowed:
        return None
    seconds = max(1, math.ceil((why["locked_until"] - timezone.now()).total_seconds()))
    wait = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
    return f"You have entered too many wrong codes. Wait {wait}, then try again"


def _replace_recovery_codes(person: User) -> list[str]:
    StaticDevice.objects.filter(user=person).delete()
    device = StaticDevice.objects.create(user=person, name="Recovery codes", confirmed=True)
    codes = [two_factor.new_recovery_code() for _ in range(two_factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=two_factor.recovery_code_digest(code))
        for code in codes)
    return codes


# Passwords, sessions and switching off ------------------------------------------------------


def reset_password(user: User, password: str) -> None:
    """A new password from a reset link (checked by NewPasswordForm). The password's change
    alone ends every session signed in with the old one, and spends the link. The person has
    shown who they are, so their account's wrong passwords are forgotten: nobody else's guesses
    can keep them out."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        throttle.forget_failures(user.email)
        audit.record(user, "user.password_reset", user)


def end_all_sessions(user: User, by: User | None) -> None:
    """Every session of this person, on every device, ends at its next request (the session
    version is in each session's hash: User._get_session_auth_hash)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
        user.refresh_from_db(fields=["session_version"])
        audit.record(by, "user.sessions_end", user)


def deactivate(by: User, person: User) -> None:
    """Switch an account off: it cannot sign in, and its sessions end now. Its records stay
    attributed to it."""
    if person.pk == by.pk:
        raise ValidationError("You cannot switch off your own account", code="self")
    if not person.is_active:
        return
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(
            is_active=False, session_version=F("session_version") + 1)
        person.refresh_from_db(fields=["is_active", "session_version"])
        audit.record(by, "user.deactivate", person)


def reactivate(by: User, person: User) -> None:
    """Switch an account back on: the person signs in afresh (no old session comes back)."""
    if person.is_active:
        return
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(is_active=True)
        person.refresh_from_db(fields=["is_active"])
        audit.record(by, "user.reactivate", person)
