"""When the law lets a family's records be erased on request (UK GDPR Article 17), as a rule over
plain values: the page shows its answer, and the erasure asks it again when it is sent, so a hold
set or support reopened in between still refuses it."""

from collections.abc import Iterable
from datetime import date

from familyfeedback.lib.dates import years_after
from familyfeedback.lib.formats import date_long


def refusal(*, legal_hold_reason: str, periods: Iterable[tuple[date, date | None]], today: date,
            duty_years: int) -> str | None:
    """Why erasure is refused now, in plain English; None when it is allowed. `periods` are the
    family's periods of support, (opened_on, closed_on or None while open); `duty_years` is the
    statutory duty to keep a record after support closed (0: none)."""
    if legal_hold_reason.strip():
        return ("The family is under a legal hold. Its records must be kept until the hold is "
                "lifted.")
    periods = list(periods)
    if any(closed is None for _, closed in periods):
        return ("The family's support is still open. Close its support before its records can "
                "be erased.")
    last = max((closed for _, closed in periods), default=None)
    if duty_years and last is not None:
        kept_until = years_after(last, duty_years)
        if today < kept_until:
            return (f"The service must keep the records for {duty_years} "
                    f"year{'' if duty_years == 1 else 's'} after support closed: support last "
                    f"closed on {date_long(last)}, so they can be erased from "
                    f"{date_long(kept_until)}.")
    return None
