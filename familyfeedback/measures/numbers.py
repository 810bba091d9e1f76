"""Reading a number someone entered: a score on a line, an answer on a survey."""

from decimal import Decimal, InvalidOperation


def as_number(value) -> Decimal | None:
    """The entered value as a Decimal, or None when it is not a finite number."""
    if isinstance(value, bool):
        # True is an int in Python, but never a score or an answer someone meant to give.
        return None
    if isinstance(value, float):
        # str() gives the shortest form that round-trips, so 6.4 stays 6.4 rather than
        # becoming 6.4000000000000003552713678800500929355621337890625.
        value = str(value)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def is_missing(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
