"""The administration pages' wording: a person's status, roles and teams as the lists show them."""

from django.utils import timezone

from familyfeedback.accounts import invitations
from familyfeedback.accounts.models import AuditEntry, Membership, User


def status(person: User) -> str:
    if not person.is_active:
        return "Switched off"
    if person.has_usable_password():
        return "Active"
    expires = invitations.expires_on(person)
    if expires is not None and expires < timezone.localdate():
        return "Invited (link expired)"
    return "Invited"


def team_names(memberships: list[Membership]) -> str:
    return ", ".join(f"{m.team.name} (manager)" if m.kind == Membership.Kind.MANAGER
                     else m.team.name for m in memberships) or "None"


def person_row(person: User) -> dict:
    """One line of the people list (roles and current memberships prefetched)."""
    return {"person": person, "status": status(person),
            "roles": person.roles_described,
            "teams": team_names(person.current_memberships)}


def membership_row(membership: Membership) -> dict:
    return {"membership": membership, "team": membership.team.name,
            "kind": membership.get_kind_display(), "started_on": membership.started_on,
            "ended_on": membership.ended_on, "current": membership.ended_on is None}


# What an audit entry's action means, in the words of the pages it happened on. An action not
# named here is shown by its code (as the whole audit log shows them), so a new one is never
# hidden, only less plain until it is added.
ACTION_WORDS = {
    "family.create": "Added the family",
    "family.import": "Added the family from the case system",
    "family.import_update": "Updated the family from the case system",
    "family.key_worker": "Changed the key worker",
    "family.transfer": "Changed the key worker or team",
    "family.view": "Opened the family's page",
    "family.view_family_picture": "Opened the family picture to print",
    "family.view_record_form": "Opened the form to type in a session",
    "family.view_start_session": "Opened the form to start a session",
    "family.view_record_of_access": "Opened this record of access",
    "family.view_privacy": "Opened the family's privacy page",
    "family.legal_hold": "Set or changed a legal hold",
    "family.lift_legal_hold": "Lifted a legal hold",
    "family.erase": "Erased the family's records on request",
    "family.purge": "Removed the family's records under a retention rule",
    "person.create": "Added a person",
    "person.import": "Added a person from the case system",
    "person.import_update": "Updated a person from the case system",
    "person.update": "Changed a person's details",
    "person.view": "Opened a person's details",
    "session.create": "Recorded a session",
    "session.finish": "Ended a session",
    "session.view": "Opened a session",
    "session.view_end_form": "Opened the end-of-session ratings",
    "session.view_family_picture": "Opened a session's family picture",
    "session.view_hand_over": "Opened the screen to hand the tablet over",
    "session.view_phone_links": "Opened the links for family members' phones",
    "session.view_rating_screen": "Opened the rating screen",
    "administration.create": "Recorded a rating",
    "administration.correct": "Corrected a rating",
    "administration.view": "Opened a rating",
    "administration.view_picture": "Opened a child's drawn face",
    "administration.picture_purge": "Removed a child's drawn face: its time was up",
    "alert.acknowledge": "Acknowledged an alert",
    "episode.open": "Opened a period of support",
    "episode.close": "Closed support",
    "episode.undo_close": "Undid closing support",
    "episode.extend": "Changed a period of support",
    "episode.view_summary": "Opened the summary of a period of support",
    "feedback_link.create": "Made a self-completion link",
    "feedback_link.send": "Sent a self-completion link",
    "feedback_link.use": "Used a self-completion link",
}


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, action)


def actor_words(entry: AuditEntry) -> tuple[str, str]:
    """(who, their roles) for an entry (its actor selected with it). An entry with no actor was
    written by a family member through their link, or by the service itself."""
    if entry.actor is None:
        return ("A family member, by their link" if entry.action == "feedback_link.use"
                else "The service"), ""
    return str(entry.actor), entry.actor.roles_described
