"""The record of processing (UK GDPR Article 30(1)) as Markdown, drawn from the data dictionary,
so that it says what the code holds today. `manage.py record_of_processing` prints it;
docs/record-of-processing.md is its output with the default settings."""

from django.conf import settings

from familyfeedback.privacy import dictionary
from familyfeedback.privacy.dictionary import CLASSES, OPERATIONAL, SUBJECTS

REGENERATE = "python manage.py record_of_processing > docs/record-of-processing.md"

RECIPIENTS = [
    "Staff of the service, each only what their role and team allow: practitioners and team "
    "managers see their own team's families; the data team sees counts; evaluators see "
    "pseudonymised data only; administrators see accounts, the audit log and this record.",
    "The family member themselves, and anyone entitled to ask for them, through a subject "
    "access request.",
    "GOV.UK Notify, as a processor, when the council sets it up "
    "(`FF_NOTIFY_API_KEY`): the phone number or email address a rating link is sent to, which "
    "the service does not keep, and staff's survey emails.",
    "The council's mail server: invitations, password resets and reminders to staff, and "
    "alerts of unusual viewing to the data protection contact.",
    "Evaluators outside the council, when a trial's research export is given to them: "
    "pseudonymised, with small counts suppressed.",
]

SECURITY = [
    "Every page checks who may see which family; anyone else gets the same answer as for a "
    "record that does not exist.",
    "Sign-in with a password and an authenticator code (or the council's single sign-on), "
    "slowed after wrong passwords; a session ends when idle (`FF_SESSION_IDLE_MINUTES`) and "
    "after 8 hours.",
    "Every change, and every opening of identifiable data, is in an audit log the application "
    "cannot change, chained by hash so that a change made outside it is found.",
    "TLS in front of the service; photos of drawn faces readable by the service's own account "
    "only, and served only through the access check.",
    "Evaluators work on pseudonymised data; research exports suppress small counts.",
    "Backups with a manifest of row counts and checksums, restored exactly.",
]


def _or_unset(value: str, setting: str) -> str:
    return value or f"Not set (`{setting}`)"


def markdown() -> str:
    apps = dictionary.catalogue()
    records = [record for app in apps for record in app.records]
    contact = _or_unset(settings.DATA_PROTECTION_CONTACT, "FF_DATA_PROTECTION_CONTACT")
    email = _or_unset(settings.DATA_PROTECTION_EMAIL, "FF_DATA_PROTECTION_EMAIL")
    lines = [
        "# Record of processing activities",
        "",
        "UK GDPR Article 30(1), for Family Feedback. Generated from the data dictionary "
        "(`familyfeedback/privacy/dictionary.py`); do not edit by hand. Regenerate with "
        f"`{REGENERATE}`.",
        "",
        "## Controller and data protection contact",
        "",
        f"- Controller: {_or_unset(settings.CONTROLLER_NAME, 'FF_CONTROLLER_NAME')}",
        f"- Data protection contact: {contact}",
        f"- Their email: {email}",
        "",
        "## Purposes of the processing",
        "",
        *[f"- **{app.title}**: {app.purpose}" for app in apps],
        "",
        "## Categories of data subjects",
        "",
        *[f"- {subject}" for subject in SUBJECTS
          if any(subject in record.subjects for record in records)],
        "",
        "## Categories of personal data",
        "",
        "Each record that holds personal data, with why it is held and its fields by class: "
        "personal, special category (UK GDPR Article 9 health data, and what a children's "
        "social care record says of a family's wellbeing), and pseudonymised. Its other fields "
        "are operational: ids, links, dates and flags.",
    ]
    for app in apps:
        holding = [record for record in app.records if record.holds_personal_data]
        others = [record.name for record in app.records if not record.holds_personal_data]
        lines += ["", f"### {app.title}", ""]
        for record in holding:
            lines.append(f"- **{record.name}** (`{record.label}`): {record.purpose} "
                         f"About: {'; '.join(s.split(':')[0].lower() for s in record.subjects)}.")
            lines += [f"  - {kind.capitalize()}: {', '.join(record.fields[kind])}"
                      for kind in CLASSES if kind != OPERATIONAL and kind in record.fields]
        if others:
            lines.append(f"- No personal data: {', '.join(others)}")
    lines += [
        "",
        "## Recipients",
        "",
        *[f"- {recipient}" for recipient in RECIPIENTS],
        "",
        "## Transfers to third countries",
        "",
        "None. The service sends no personal data outside the UK. A council that hosts it, or "
        "its mail, outside the UK records that transfer here.",
        "",
        "## Time limits for erasure",
        "",
        "Set by the `FF_RETAIN_*` settings (`docs/deployment.md`), applied by "
        "`familyfeedback/privacy/retention.py`.",
        "",
    ]
    for records_covered, describe, names in dictionary.rules_in_use():
        lines += [f"- **{records_covered}**: {describe}.", f"  Records: {', '.join(names)}."]
    lines += [
        "",
        "## Security measures",
        "",
        "Each measure, and the test that proves it, is in `docs/security.md`. In short:",
        "",
        *[f"- {measure}" for measure in SECURITY],
    ]
    return "\n".join(lines) + "\n"
