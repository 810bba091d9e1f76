"""The privacy pages' writes: a legal hold set and lifted, a person's details rectified, a
family's records erased. Each is audited; each edit compares the row it locked with what the
page was opened with (lib/versions.py, docs/decisions/0014), so nobody's change is overwritten
silently."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from familyfeedback.accounts import audit
from familyfeedback.accounts.models import User
from familyfeedback.casework import actions as casework_actions
from familyfeedback.casework.models import Family, Person
from familyfeedback.lib import versions
from familyfeedback.privacy import erasure, queries

HOLD_FIELDS = ("legal_hold_reason", "legal_hold_since")
ERASED = "These records have already been erased"


def _locked(family: Family) -> Family:
    """The family's row, locked; refused plainly when it went meanwhile (the same erasure sent
    twice, or the family erased from another page)."""
    current = Family.objects.select_for_update().filter(pk=family.pk).first()
    if current is None:
        raise ValidationError(ERASED, code="erased")
    return current


def hold_of(family: Family) -> dict:
    """The family's legal hold as an edit page carries it."""
    return {key: getattr(family, key) for key in HOLD_FIELDS}


def _change_hold(actor: User, family: Family, action: str, after_of, opened: dict) -> Family:
    """`after_of(before)`: the hold wanted, from the hold the locked row has."""
    with transaction.atomic():
        current = _locked(family)
        before = hold_of(current)
        after = after_of(before)
        if versions.plain(before) == versions.plain(after):
            return current  # sent twice, or a colleague did the same meanwhile
        versions.check_unchanged(opened, before)
        for key, value in after.items():
            setattr(current, key, value)
        current.save(update_fields=list(HOLD_FIELDS))
        # The reason is special category (the dictionary): that it changed, not what it says.
        audit.record(actor, action, current,
                     audit.withheld(audit.diff(before, after), {"legal_hold_reason"}))
    return current


def set_legal_hold(actor: User, family: Family, *, legal_hold_reason: str, opened: dict,
                   today: date | None = None) -> Family:
    """Keep the family's records whatever the retention rules say, and refuse their erasure,
    until the hold is lifted. A hold already set keeps its date when its reason is changed."""
    reason = legal_hold_reason.strip()
    if not reason:
        raise ValidationError("Give the reason for the legal hold", code="no_reason")
    return _change_hold(actor, family, "family.legal_hold", lambda before: {
        "legal_hold_reason": reason,
        "legal_hold_since": (before["legal_hold_since"] if before["legal_hold_reason"] else None)
        or today or timezone.localdate(),
    }, opened)


def lift_legal_hold(actor: User, family: Family, *, opened: dict) -> Family:
    return _change_hold(actor, family, "family.lift_legal_hold",
                        lambda before: {"legal_hold_reason": "", "legal_hold_since": None},
                        opened)


def rectify_person(actor: User, person: Person, *, reason: str, opened: dict,
                   **values) -> Person:
    """A correction a family member asked for (Article 16): casework's own edit of their
    details, with the reason recorded in its audit entry."""
    if not reason.strip():
        raise ValidationError("Give the reason for the correction", code="no_reason")
    return casework_actions.update_person(actor, person, opened=opened, reason=reason, **values)


def erase_family(actor: User, family: Family, *, reason: str, today: date | None = None) -> None:
    """Erase the family's records on request (Article 17), when the rules allow it now: asked
    again here, on the locked row, because a hold may have been set or support reopened since
    the page was drawn. privacy.erasure removes them and leaves the tombstones, with the
    reason, and audits it as family.erase."""
    if not reason.strip():
        raise ValidationError("Give the reason for the erasure", code="no_reason")
    with transaction.atomic():
        current = _locked(family)
        refused = queries.erasure_refusal(current, today)
        if refused:
            raise ValidationError(refused, code="erasure_refused")
        erasure.erase_families([current], rule=erasure.ERASURE, actor=actor,
                               reason=reason.strip())
