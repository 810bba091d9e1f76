"""The retention rules, one per kind of record, read from the settings (RETAIN_*). The data
dictionary names a rule for every model; the purge applies them; the record of processing
describes them. A rule's key is what a tombstone records."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Rule:
    key: str
    records: str

    def describe(self) -> str:
        return _DESCRIPTIONS[self.key]()


def _years(n: int) -> str:
    return f"{n} year{'' if n == 1 else 's'}"


_DESCRIPTIONS = {
    "closed_family": lambda: (
        f"Removed {_years(settings.RETAIN_CLOSED_FAMILY_YEARS)} after the family's last period "
        "of support closed, unless the family is under a legal hold"),
    "pictures": lambda: (
        f"Removed {settings.RETAIN_PICTURES_MONTHS} months after the session"
        if settings.RETAIN_PICTURES_MONTHS else "Kept as long as the rating they belong to"),
    "audit_values": lambda: (
        "Who did what and when is kept; the values inside an entry are emptied after "
        f"{_years(settings.RETAIN_AUDIT_VALUES_YEARS)}, or when the record it is about is removed"),
    "sign_in": lambda: f"Removed after {settings.RETAIN_SIGN_IN_DAYS} days",
    "trial": lambda: ("Erased on the trial's retention date: by default two years after its last "
                      "survey wave closed"),
    "account": lambda: ("Kept while the person works in the service; a departed person's account "
                        "is deactivated, not removed, because the records they made name them"),
    "session": lambda: "Removed when the sign-in session ends (at most 8 hours)",
    "service": lambda: "Kept while the service runs: it holds no personal data",
    "rate_count": lambda: ("Removed once its minute or hour has ended: at the person's next "
                           "search or download, or by the nightly purge"),
    "tombstone": lambda: "Kept: it says what was removed and holds no personal data",
}

RULES = {rule.key: rule for rule in [
    Rule("closed_family", "A family's records: details, sessions, ratings, notes and links"),
    Rule("pictures", "Photos of the faces young children drew"),
    Rule("audit_values", "The audit log"),
    Rule("sign_in", "Records of sign-in attempts"),
    Rule("trial", "An evaluation's survey answers, consent, interviews and coding"),
    Rule("account", "Staff accounts, roles and team memberships"),
    Rule("session", "Sign-in sessions"),
    Rule("service", "The service's own settings and measures"),
    Rule("rate_count", "Counts of a person's searches and downloads, for the rate limits"),
    Rule("tombstone", "Tombstones of removed records"),
]}
