"""The data dictionary: every field of every model Django knows, ours and the libraries', classed
as personal, special category, pseudonymised or operational, with why the model is held and the
retention rule (privacy.retention) that says how long. The record of processing
(record_of_processing) and the administrators' page are drawn from it, and
tests/privacy/test_dictionary.py fails on any field it does not class.

Each field is named in a class on purpose, with no default class for the rest: a field added to
a model, ours or a library's after an upgrade, is unclassed until someone decides what it holds.

How we class:
- personal: identifies someone or is about someone named (names, dates of birth, contact details,
  references in other systems, staff's own notes, network addresses);
- special category: what a family member's ratings, drawings and the notes about their family say
  of their wellbeing, health or family life. UK GDPR Article 9 covers health; the rest is held
  for a children's social care service, and a child-protection record is treated with the same
  care, so it is classed with it. Free-text notes about a family are here, not in personal,
  because nothing stops them saying anything;
- pseudonymised: the codes that stand for a person in an evaluation's data;
- operational: ids, links between rows, timestamps, flags, settings.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from familyfeedback.privacy.retention import RULES

PERSONAL, SPECIAL, PSEUDONYMISED, OPERATIONAL = (
    "personal", "special category", "pseudonymised", "operational")
CLASSES = (PERSONAL, SPECIAL, PSEUDONYMISED, OPERATIONAL)
HOLDS_PERSONAL_DATA = {PERSONAL, SPECIAL, PSEUDONYMISED}

# The people records are about: Article 30(1)(c)'s categories of data subjects.
FAMILIES = "Family members: the adults and children a team supports"
STAFF = "Staff: practitioners, managers, the data team, evaluators and administrators"
PARTICIPANTS = "Practitioners taking part in an evaluation, under a pseudonym"
SIGNING_IN = "Anyone who tries to sign in"
SUBJECTS = (FAMILIES, STAFF, PARTICIPANTS, SIGNING_IN)


@dataclass(frozen=True)
class Entry:
    purpose: str
    rule: str
    subjects: tuple[str, ...]
    classes: dict[str, str]  # field name -> class
    # A field kept for a different time than its row, by its own rule.
    field_rules: dict[str, str] = field(default_factory=dict)


def held(purpose: str, rule: str, *subjects: str, personal: str = "", special: str = "",
         pseudonymised: str = "", operational: str = "", kept: dict | None = None) -> Entry:
    """One model's entry; each class lists its fields' names, separated by spaces."""
    classes = {}
    for kind, names in ((PERSONAL, personal), (SPECIAL, special),
                        (PSEUDONYMISED, pseudonymised), (OPERATIONAL, operational)):
        for name in names.split():
            # A name in two classes would be kept by the last silently: the test is told.
            classes[name] = "twice" if name in classes else kind
    return Entry(purpose, rule, subjects, classes, kept or {})


# Each app's title and why its records exist: the service's own first, as a reader wants them.
APPS = {
    "casework": ("Families and their ratings", "The service's case work: the families a team "
                 "supports, their sessions, and the ratings family members give of how things "
                 "are going, so the practitioner and the family can see progress and act on "
                 "alerts."),
    "accounts": ("Staff, teams and the audit log", "To know who works here, which team's "
                 "families they may see, and who did what and when."),
    "implementation": ("Training and supervision", "To let managers see whether the approach "
                       "is really happening: training, supervision notes, reminders."),
    "evaluation": ("Evaluations", "Evaluations of the approach, with practitioners' consent: "
                   "randomisation, surveys, interviews and their coding, the analysis and its "
                   "report. Family members and practitioners appear only by pseudonym."),
    "privacy": ("Data protection", "To prove what was removed under the retention rules."),
    "sessions": ("Sign-in sessions", "To keep a person signed in between pages."),
    "axes": ("Sign-in attempts", "To slow and refuse someone guessing passwords, and to keep "
             "evidence of who tried to sign in, from where, if an account is attacked."),
    "otp_totp": ("Two-factor authentication", "To ask for a code from an authenticator app "
                 "after the password."),
    "otp_static": ("Recovery codes", "To let a person who lost their authenticator app sign "
                   "in once with a recovery code."),
    "auth": ("Django's permissions", "Django's own permission tables. The service decides "
             "access by roles and teams, so they stay empty but for Django's list."),
    "contenttypes": ("Django's model list", "Django's list of the kinds of record."),
}

AXES_PERSONAL = "user_agent ip_address username"  # the email tried, from where, with what
AXES_OPERATIONAL = "id http_accept path_info attempt_time"
DEVICE = ("id user name confirmed throttling_failure_timestamp throttling_failure_count "
          "created_at last_used_at")
JOIN = "id"  # a many-to-many table's own id; its two links are named by each entry

DICTIONARY = {
    # django.contrib ---------------------------------------------------------------------------
    "auth.Permission": held("Django's list of what can be permitted.", "service",
                            operational="id name content_type codename"),
    "auth.Group": held("Django's groups of permissions: none is made.", "service",
                       operational="id name permissions"),
    "auth.Group_permissions": held("Links a group to its permissions.", "service",
                                   operational=f"{JOIN} group permission"),
    "contenttypes.ContentType": held("Names each kind of record.", "service",
                                     operational="id app_label model"),
    # The key is the browser's cookie and the data holds the account's id: an online identifier.
    "sessions.Session": held("Keeps a person signed in.", "session", STAFF,
                             personal="session_key session_data", operational="expire_date"),
    # django-axes ------------------------------------------------------------------------------
    "axes.AccessAttempt": held(
        "Counts wrong passwords, to slow and then refuse guessing.", "sign_in", SIGNING_IN,
        personal=f"{AXES_PERSONAL} get_data post_data",
        operational=f"{AXES_OPERATIONAL} failures_since_start"),
    "axes.AccessAttemptExpiration": held("When a counted attempt stops counting.", "sign_in",
                                         operational="access_attempt expires_at"),
    "axes.AccessFailureLog": held("Each failed sign-in, as evidence of an attack.",
                                  "sign_in", SIGNING_IN, personal=AXES_PERSONAL,
                                  operational=f"{AXES_OPERATIONAL} locked_out"),
    "axes.AccessLog": held("Each sign-in and sign-out, as evidence of an attack.",
                           "sign_in", SIGNING_IN, personal=AXES_PERSONAL,
                           operational=f"{AXES_OPERATIONAL} logout_time "
                                       "session_hash"),
    # django-otp: the secret key is a credential, not data about the person.
    "otp_totp.TOTPDevice": held(
        "A person's authenticator app: its secret, to check their codes.", "account",
        operational=f"{DEVICE} key step t0 digits tolerance drift last_t"),
    "otp_static.StaticDevice": held("A person's set of recovery codes.", "account",
                                    operational=DEVICE),
    "otp_static.StaticToken": held("One recovery code, usable once.", "account",
                                   operational="id device token"),
    # accounts ---------------------------------------------------------------------------------
    "accounts.User": held(
        "A member of staff's account: who they are, how they sign in, and whether it is on.",
        "account", STAFF, personal="email full_name job_title",
        operational="id password last_login is_superuser is_active is_staff date_joined "
                    "invited_at session_version groups user_permissions"),
    "accounts.User_groups": held("Django's link from an account to a group: none is made.",
                                 "account", operational=f"{JOIN} user group"),
    "accounts.User_user_permissions": held(
        "Django's link from an account to a permission: none is made.", "account",
        operational=f"{JOIN} user permission"),
    "accounts.RoleGrant": held("What each person may do: one row per role.", "account",
                               operational="id user role"),
    "accounts.Team": held("A team of the service, whose families its members see.", "service",
                          operational="id name archived_on members"),
    "accounts.Membership": held("A person's time in a team, which decides what they see.",
                                "account", operational="id user team kind started_on ended_on"),
    # Old and new values of anything changed: a name, a note, a rating.
    "accounts.AuditEntry": held(
        "Who opened or changed which record and when, to answer for every look and change.",
        "audit_values", STAFF, FAMILIES, special="changes",
        operational="id at actor action object_type object_id position changes_digest "
                    "entry_hash redacted_at"),
    "accounts.AuditSeal": held("The end of the audit log's hash chain, to detect tampering.",
                               "audit_values", operational="id position entry_hash sealed_at"),
    "accounts.BulkViewAlert": held(
        "An alert that one person opened unusually many families, for the data protection "
        "contact.", "audit_values", STAFF, personal="sent_to",
        operational="id user raised_at window_minutes families"),
    "accounts.RateCount": held(
        "How many searches or downloads one person made in a minute or an hour, to refuse a "
        "script copying the records out.", "rate_count", STAFF,
        operational="id user kind window_start used"),
    # casework ---------------------------------------------------------------------------------
    # Why a family is held (court proceedings, a complaint) is about the family's case itself.
    "casework.Family": held(
        "A family the team supports: how staff know it, and who works with it.",
        "closed_family", FAMILIES, personal="name case_reference", special="legal_hold_reason",
        operational="id team key_worker legal_hold_since"),
    "casework.Episode": held("A period of support, and what was said when it closed.",
                             "closed_family", FAMILIES, special="closing_note",
                             operational="id family opened_on closed_on"),
    "casework.Person": held(
        "A family member: who they are, their age for the right form, and the language and "
        "help they need.", "closed_family", FAMILIES,
        personal="first_name last_name date_of_birth preferred_language language_to_check "
                 "needs_interpreter reference",
        operational="id family"),
    "casework.Session": held("A session with the family, who was there and its notes.",
                             "closed_family", FAMILIES, special="notes",
                             operational="id family date kind practitioner present imported "
                                         "stage submission_token recorded_at"),
    "casework.Session_present": held("Who was at a session.", "closed_family",
                                     operational=f"{JOIN} session person"),
    "casework.Administration": held(
        "One family member's rating at one session (how they are doing; how the session was), "
        "or why it was not given: what the practitioner and the family look at together.",
        "closed_family", FAMILIES, personal="age language helped",
        special="item_1 item_2 item_3 item_4 total face picture reason reason_detail notes",
        operational="id session person tool measure status channel",
        kept={"picture": "pictures"}),
    "casework.InstalledTextPack": held("The licensed wording of the measures in force.",
                                       "service",
                                       operational="id data holder reference loaded_at"),
    # Which alert was raised says a rating crossed a line: as much as the rating itself.
    "casework.AlertAcknowledgement": held(
        "What a practitioner did about an alert a rating raised.", "closed_family", FAMILIES,
        special="code note", operational="id person fired_on by at"),
    # Worked out from the ratings, and as telling as they are (ADR 0025).
    "casework.AlertState": held(
        "A person's outstanding alerts, kept so that the lists of alerts are quick to read.",
        "closed_family", FAMILIES,
        special="act_now talk_about_it for_the_record alerts",
        operational="person family changes_on"),
    # The rows the curves came from, by id alone, so that a fit can be checked.
    "casework.TrajectoryFit": held(
        "A fit of the expected trajectories that alerts compare ratings with.", "service",
        operational="id fitted_at closed_episodes trajectories_used notes"),
    "casework.TrajectoryCurve": held(
        "An expected trajectory: statistics over many people, of no one.", "service",
        operational="id fit measure band_low band_high intercept slope re_cov residual_var "
                    "trajectories observations"),
    # The phone number or address a link is sent to is never stored.
    "casework.FeedbackLink": held(
        "A link for a family member to give a rating on their own phone, once.",
        "closed_family",
        operational="id session person tool token_hash created_by created_at expires_at "
                    "used_at send_token sent_by notification_id sent_at"),
    "casework.TouchedMonth": held(
        "A month whose records changed since the dashboards' summaries were counted.",
        "service", operational="id month"),
    # implementation ---------------------------------------------------------------------------
    "implementation.TrainingEvent": held(
        "A training event, who ran it and which teams were invited.", "account", STAFF,
        personal="facilitators", operational="id kind on invited_teams"),
    "implementation.TrainingEvent_invited_teams": held(
        "Which teams a training event invited.", "account",
        operational=f"{JOIN} trainingevent team"),
    "implementation.Attendance": held("Whether a person came to a training event, and why not.",
                                      "account", STAFF, personal="absence_reason",
                                      operational="id event user attended"),
    "implementation.SupervisionNote": held(
        "A manager's note for the next supervision with a practitioner.", "account", STAFF,
        personal="text", operational="id practitioner written_by written_at"),
    "implementation.ReminderPreference": held("Whether a person turned weekly reminders off.",
                                              "account", operational="id user opted_out"),
    "implementation.ReminderSent": held("Which weekly reminder was sent, so none goes twice.",
                                        "account", operational="id user week sent_at"),
    # The dashboards' summaries: counts by team and month, counted again from the records when
    # a month is written, so a removed family's counts go at the next refresh.
    "implementation.SummaryRefresh": held(
        "When the dashboards' summaries were last counted, and over how many records.",
        "service", operational="id at administrations"),
    "implementation.UsageMonth": held(
        "Completed ratings by team, month, tool and practitioner.", "closed_family", STAFF,
        operational="id team_id month tool practitioner_id completions"),
    "implementation.ReachMonth": held(
        "Completed ratings by team, month, tool and family member (by id alone).",
        "closed_family", FAMILIES,
        operational="id team_id month tool person_id adult completions"),
    "implementation.CoverageMonth": held(
        "People at sessions and the ratings they completed, by team and month.",
        "closed_family", operational="id team_id month attendances ors srs"),
    "implementation.LanguageMonth": held(
        "Sessions in another language or with help, counted by team and month.",
        "closed_family", operational="id team_id month sessions other_language with_help either"),
    "implementation.ReasonMonth": held(
        "Why ratings were not given, counted by team and month.", "closed_family",
        operational="id team_id month reason count"),
    # evaluation: everything goes on the trial's retention date -------------------------------
    "evaluation.Trial": held("An evaluation and its protocol.", "trial",
                             operational="id name protocol_note created_at created_by "
                                         "retention_date"),
    "evaluation.ResearchQuestion": held("A question the evaluation sets out to answer.",
                                        "trial",
                                        operational="id trial number dimension text methods"),
    "evaluation.TrialTeam": held("A team in the trial, its unit and its arm.", "trial",
                                 operational="id trial team_code team_name unit_code arm "
                                             "service_team"),
    "evaluation.Allocation": held(
        "The randomisation, made once, with what is needed to check it.", "trial",
        operational="id trial method seed ratio assignments digest made_at made_by"),
    "evaluation.TrialPractitioner": held(
        "A practitioner in the trial, by pseudonym, with what the analysis adjusts for.",
        "trial", PARTICIPANTS, pseudonymised="practitioner_code",
        personal="role years_in_service years_practising qualification_level hours_per_week "
                 "families_supported",
        operational="id trial team user link_token link_issued_at"),
    "evaluation.TrainingRecord": held("A participant's attendance at the trial's training.",
                                      "trial", PARTICIPANTS, personal="absence_reason",
                                      operational="id trial practitioner event_code event_type "
                                                  "on attended"),
    "evaluation.Wave": held("A round of surveys.", "trial",
                            operational="id trial kind arms measures is_open opens_on "
                                        "closes_on closed_on"),
    "evaluation.Question": held("A survey question of the trial's own.", "trial",
                                operational="id trial question_code wave text kind options"),
    "evaluation.Response": held("A participant's answer to a survey question.", "trial",
                                PARTICIPANTS, personal="value",
                                operational="id trial respondent wave item"),
    "evaluation.AdminRecord": held(
        "A family member's rating, pseudonymised, for the analysis.", "trial", FAMILIES,
        pseudonymised="administration_code person_key practitioner_key",
        personal="adult", special="item_1 item_2 item_3 item_4 reason",
        operational="id trial practitioner team_key on measure tool status"),
    # The key from a family member to their code: never shown to an evaluator.
    "evaluation.TrialPerson": held("A family member's pseudonym in one trial.", "trial",
                                   FAMILIES, pseudonymised="code",
                                   operational="id trial person"),
    "evaluation.Consent": held("A participant's consent to one activity, or its withdrawal.",
                               "trial", PARTICIPANTS, personal="activity",
                               operational="id trial practitioner given_on "
                                           "information_sheet_version withdrawn_on recorded_by "
                                           "recorded_at"),
    "evaluation.Document": held(
        "An interview, observation notes or gathered open answers, for coding.", "trial",
        PARTICIPANTS, personal="title text file_name", pseudonymised="gathered_from",
        operational="id guid trial kind participant team wave question_code added_by "
                    "added_at"),
    "evaluation.Theme": held("A theme of the codebook.", "trial",
                             operational="id guid trial parent name description "
                                         "research_questions"),
    "evaluation.Theme_research_questions": held(
        "Which research questions a theme helps answer.", "trial",
        operational=f"{JOIN} theme researchquestion"),
    "evaluation.Coding": held("A theme applied to a passage of a document.", "trial",
                              operational="id guid document theme coder start end coded_at"),
    "evaluation.MatrixCell": held("The evaluator's summary of what one participant said on "
                                  "one theme.", "trial", PARTICIPANTS, personal="summary",
                                  operational="id trial participant theme updated_by "
                                              "updated_at"),
    # The evaluator's own words, which may quote a participant.
    "evaluation.Finding": held("What the evaluator found under one research question.",
                               "trial", PARTICIPANTS, personal="text",
                               operational="id trial question updated_by updated_at"),
    "evaluation.Quote": held("A coded passage quoted in the report.", "trial",
                             operational="id question coding position"),
    "evaluation.Erasure": held("That a trial's research data were erased, when and how much.",
                               "tombstone", operational="id trial trial_name retention_date "
                                                        "erased_at counts"),
    # privacy ----------------------------------------------------------------------------------
    "privacy.Tombstone": held(
        "What a purge or an erasure removed, when and under which rule.", "tombstone",
        operational="id at rule record_type count removed_ids reason by"),
}


def field_names(model: type[models.Model]) -> list[str]:
    """The model's own fields: concrete ones and its many-to-many, not the reverse relations
    other models give it."""
    return [f.name for f in model._meta.get_fields()
            if f.concrete or (f.many_to_many and not f.auto_created)]


def every_model() -> list[type[models.Model]]:
    return apps.get_models(include_auto_created=True)


def unclassed(all_models, dictionary: dict[str, Entry] = DICTIONARY) -> list[str]:
    """Everything wrong with the dictionary for these models, in words: a model or field it
    does not class, a name it classes that does not exist, a field in two classes, a rule that
    does not exist, personal data with no one it is about."""
    found = []
    labels = {model._meta.label: model for model in all_models}
    for label, model in labels.items():
        entry = dictionary.get(label)
        if entry is None:
            found.append(f"{label}: not in the dictionary")
            continue
        names = field_names(model)
        found += [f"{label}.{name}: no class" for name in names if name not in entry.classes]
        found += [f"{label}.{name}: no such field" for name in entry.classes if name not in names]
        found += [f"{label}.{name}: in two classes"
                  for name, kind in entry.classes.items() if kind == "twice"]
        found += [f"{label}.{name}: no such field" for name in entry.field_rules
                  if name not in names]
        if HOLDS_PERSONAL_DATA & set(entry.classes.values()) and not entry.subjects:
            found.append(f"{label}: holds personal data about no one")
    found += [f"{label}: no such model" for label in dictionary if label not in labels]
    found += [f"{app}: an app with no purpose" for app in
              sorted({model._meta.app_label for model in all_models} - APPS.keys())]
    return found


def unknown_rules(dictionary: dict[str, Entry] = DICTIONARY) -> list[str]:
    return [f"{label}: no rule {rule!r}" for label, entry in dictionary.items()
            for rule in [entry.rule, *entry.field_rules.values()] if rule not in RULES]


# What the page and the record of processing show ------------------------------------------------

@dataclass(frozen=True)
class Record:
    label: str
    name: str
    purpose: str
    kept: str  # the rule's description, in words
    subjects: tuple[str, ...]
    fields: dict[str, list[str]]  # class -> the fields' names in words, in the model's order
    kept_apart: list[tuple[str, str]]  # a field kept by its own rule: (its name, the rule)

    @property
    def holds_personal_data(self) -> bool:
        return bool(HOLDS_PERSONAL_DATA & self.fields.keys())

    def summary(self) -> list[tuple[str, str]]:
        """The record as the page's rows: why, about whom, how long, then the fields by class."""
        return [("Why we hold it", self.purpose),
                *([("About", "; ".join(self.subjects))] if self.subjects else []),
                ("How long", self.kept),
                *[(f"How long: {name}", kept) for name, kept in self.kept_apart],
                *[(kind.capitalize(), ", ".join(names)) for kind, names in self.fields.items()]]


@dataclass(frozen=True)
class App:
    label: str
    title: str
    purpose: str
    records: list[Record]


def catalogue() -> list[App]:
    """Every model, by app in APPS order, with its fields in words under each class."""
    by_app: dict[str, list[Record]] = {}
    for model in every_model():
        entry = DICTIONARY[model._meta.label]
        fields: dict[str, list[str]] = {kind: [] for kind in CLASSES}
        for name in field_names(model):
            fields[entry.classes[name]].append(str(model._meta.get_field(name).verbose_name))
        by_app.setdefault(model._meta.app_label, []).append(Record(
            label=model._meta.label, name=str(model._meta.verbose_name).capitalize(),
            purpose=entry.purpose, kept=RULES[entry.rule].describe(), subjects=entry.subjects,
            fields={kind: names for kind, names in fields.items() if names},
            kept_apart=[(str(model._meta.get_field(name).verbose_name), RULES[rule].describe())
                        for name, rule in entry.field_rules.items()]))
    return [App(label, *APPS[label], by_app[label]) for label in APPS if label in by_app]


def rules_in_use() -> list[tuple[str, str, list[str]]]:
    """Each rule the dictionary names, in RULES order: what it covers, how long, and which
    records."""
    used: dict[str, list[str]] = {}
    records = [record for app in catalogue() for record in app.records]
    names = Counter(record.name for record in records)
    for record in records:
        # Two apps have a "Session": the label tells them apart.
        name = record.name if names[record.name] == 1 else f"{record.name} ({record.label})"
        entry = DICTIONARY[record.label]
        used.setdefault(entry.rule, []).append(name)
        for field_name, rule in entry.field_rules.items():
            used.setdefault(rule, []).append(f"{name}: {field_name}")
    return [(rule.records, rule.describe(), used[key]) for key, rule in RULES.items()
            if key in used]
