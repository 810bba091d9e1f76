"""What the family's privacy page shows: who is in it, its periods of support, its legal hold
and whether its records may be erased now."""

from familyfeedback.casework.models import Episode, Family, Person
from familyfeedback.lib.formats import date_long

HOLD_LABELS = {"legal_hold_reason": "Reason for the legal hold",
               "legal_hold_since": "Under legal hold since"}


def family_page(family: Family, people: list[Person], episodes: list[Episode], *,
                refusal: str | None, hold_form, erasure_form, changed: list[dict],
                errors: list[dict]) -> dict:
    return {
        "family": family, "title": f"Privacy: {family.name}", "errors": errors,
        "details": [
            ("Case reference", family.case_reference),
            ("Team", family.team.name),
            ("Key worker", family.key_worker.full_name if family.key_worker else "None yet"),
            ("Legal hold", f"Since {date_long(family.legal_hold_since)}: "
                           f"{family.legal_hold_reason}" if family.legal_hold_reason else "None"),
        ],
        "people": [{"person": person, "born": date_long(person.date_of_birth)}
                   for person in people],
        "periods": [{"opened": date_long(e.opened_on),
                     "closed": date_long(e.closed_on) if e.closed_on else "Still open"}
                    for e in episodes],
        "under_hold": bool(family.legal_hold_reason),
        "hold_form": hold_form, "changed": changed,
        "refusal": refusal, "erasure_form": erasure_form,
    }


def names_in(family: Family, people: list[Person]) -> list[str]:
    """Every name an erasure's reason must not contain: the family's and each person's."""
    return [family.name] + [name for p in people for name in (p.first_name, p.last_name) if name]


def references_in(family: Family, people: list[Person]) -> list[str]:
    """Every reference an erasure's reason must not contain: the family's case reference and
    each person's, which the case system still links to them."""
    return [family.case_reference] + [p.reference for p in people if p.reference]
