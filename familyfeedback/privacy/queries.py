"""What the privacy pages read, about families already reached through privacy.access."""

from datetime import date

from django.conf import settings
from django.utils import timezone

from familyfeedback.casework.models import Family
from familyfeedback.privacy import erasure_rules


def erasure_refusal(family: Family, today: date | None = None) -> str | None:
    """Why this family's records may not be erased now (erasure_rules), or None."""
    return erasure_rules.refusal(
        legal_hold_reason=family.legal_hold_reason,
        periods=family.episodes.values_list("opened_on", "closed_on"),
        today=today or timezone.localdate(), duty_years=settings.ERASURE_DUTY_YEARS)
