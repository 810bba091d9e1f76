"""Age in completed years, which decides the version of a measure a person is offered."""

from datetime import date


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years of age on a date.

    Someone born on 29 February turns a year older on 1 March in years without a 29 February,
    as under the law of England and Wales: comparing (month, day) pairs gives exactly that,
    since (2, 28) is before (2, 29) and (3, 1) is after it.
    """
    if on < date_of_birth:
        raise ValueError("The date is before the date of birth.")
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years
