"""The service navigation: which pages each role reaches, written once (base.html only draws it)."""

from django.urls import reverse

from familyfeedback.accounts import two_factor
from familyfeedback.accounts.models import FAMILY_ROLES, Role

FIGURES = {Role.TEAM_MANAGER, Role.DATA_TEAM}
# The administrator's pages of people, teams and families' records, under one item.
ADMINISTRATION = {"people", "invite", "person", "teams", "new_team", "edit_team", "archive_team",
                  "team_managers", "join_team", "move_team", "switch_off_account",
                  "switch_on_account", "reset_sign_in", "privacy_find_family", "family_privacy",
                  "rectify_person", "subject_access"}

# (text, page, the pages it is the current item for, who sees it), in the order shown.
ITEMS = (
    ("My families", "home", {"home"}, FAMILY_ROLES),
    ("Is it happening?", "dashboards", {"dashboards"}, FIGURES),
    ("Supervision", "team", {"team", "supervision"}, {Role.TEAM_MANAGER}),
    ("Training", "training", {"training", "attendance", "add_training_event"}, FIGURES),
    ("Trials", "trials", {"trials", "trial", "new_trial", "power", "trial_analysis"},
     {Role.EVALUATOR}),
    ("Surveys", "surveys", {"surveys", "survey_answer"}, FAMILY_ROLES),
    ("Email reminders", "reminders", {"reminders"}, FAMILY_ROLES),
    ("Administration", "people", ADMINISTRATION, {Role.ADMINISTRATOR}),
    ("Audit log", "audit_log", {"audit_log"}, {Role.ADMINISTRATOR}),
    ("Data dictionary", "data_dictionary", {"data_dictionary"}, {Role.ADMINISTRATOR}),
)


def navigation(request) -> list[dict]:
    """The design system's navigation items for the signed-in person."""
    if not request or not request.user.is_authenticated:  # error pages may have no request
        return []
    if not two_factor.passed(request):  # part-way through signing in: nowhere to go yet
        return []
    here = request.resolver_match.url_name if request.resolver_match else None
    return [{"href": reverse(page), "text": text, "active": here in current}
            for text, page, current, roles in ITEMS if request.user.has_role(*roles)]
