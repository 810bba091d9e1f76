"""Who may reach each page of the service, as one table, checked against every URL pattern the
service has (get_resolver(), so a new page fails here until someone has written down who may
reach it), for every persona, with GET and with POST.

Refused means what docs/decisions/0003 says: a 404 to someone signed in (the same as for a record
that does not exist); to someone not signed in, or part-way through signing in, a redirect to the
sign-in step they are on (or that 404, on a page open to them). A method a page does not take is
a 405 for everyone signed in. Reached is a page (200) or a redirect onward (302, anywhere but
back to signing in). Anything else, a 400 or a 500, is neither and fails. Each request runs in a
savepoint rolled back after it, so what one persona's POST changes (a team archived, a link
spent) is not what the next one meets.

The objects the ids stand for, and the personas beyond the World's, are those of
tests/test_hostile_requests.py."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from familyfeedback.accounts.two_factor import SIGNING_IN_PAGES
from tests import test_hostile_requests as hostile
from tests.test_hostile_requests import become, everyone, patterns

objects = hostile.objects  # the fixture: a real object for every id a URL takes

ANONYMOUS = "anonymous"
LINK_HOLDER = "survey link holder"
SETTING_UP, GIVING_A_CODE = "setting up", "giving a code"
NOT_SIGNED_IN = frozenset({ANONYMOUS, LINK_HOLDER})
PART_WAY = frozenset({SETTING_UP, GIVING_A_CODE})
SIGNED_IN = frozenset({"practitioner", "colleague in another team", "manager", "data team",
                       "evaluator", "administrator", "outsider"})
EVERYONE = NOT_SIGNED_IN | PART_WAY | SIGNED_IN


@dataclass(frozen=True)
class Row:
    who: frozenset[str]
    why: str


def only(*names: str, why: str) -> Row:
    return Row(frozenset(names), why)


def public(why: str) -> Row:
    return Row(EVERYONE, why)


FAMILY_TEAM = ("practitioner", "manager")
SEES_COUNTS = ("manager", "data team")
ADMINISTRATOR = "administrator"
EVALUATOR = "evaluator"
TEAM_WORK = "the family's own team only: its practitioners and its manager (ADR 0003)"
EVALUATION = "the evaluator's, who runs the trial; nobody else sees even that it exists"
ADMINISTRATION = "the service's own records: administrators only"
OWN = "a signed-in person's own list or choice: what is on it is theirs"
PRIVACY = ("a family's requests to correct or erase their records, and legal holds, answered by "
           "an administrator; every look and change is audited")

# Who may reach each page, for the objects of tests/test_hostile_requests.py: the World's family
# and its records (in the practitioner's team), the trial the evaluator runs, a training event
# for the team, and a person and a team of their own for the administration pages.
MATRIX: dict[str, Row] = {
    # Casework
    "home": only(*SIGNED_IN, why=OWN + " (their caseload, empty for many)"),
    "overdue": only(*SIGNED_IN, why=OWN + " (their overdue ratings)"),
    "closed_families": only(*SIGNED_IN, why=OWN + " (their team's closed families)"),
    "family": only(*FAMILY_TEAM, why=TEAM_WORK),
    "add_person": only(*FAMILY_TEAM, why=TEAM_WORK),
    "transfer_family": only(*FAMILY_TEAM, why=TEAM_WORK),
    "open_family": only(*FAMILY_TEAM, "colleague in another team",
                        why="anyone who works with families, in a team of their own"),
    "find_family": only(*FAMILY_TEAM, "colleague in another team",
                        why="anyone who works with families, among those they may see"),
    "edit_person": only(*FAMILY_TEAM, why=TEAM_WORK),
    "acknowledge_alert": only(*FAMILY_TEAM, why=TEAM_WORK),
    "close_support": only(*FAMILY_TEAM, why=TEAM_WORK),
    "reopen_support": only(*FAMILY_TEAM, why=TEAM_WORK),
    "closure_summary": only(*FAMILY_TEAM, why=TEAM_WORK),
    "record_session": only(*FAMILY_TEAM, why=TEAM_WORK),
    "session": only(*FAMILY_TEAM, why=TEAM_WORK),
    "phone_links": only(*FAMILY_TEAM, why=TEAM_WORK),
    "send_phone_link": only(*FAMILY_TEAM, why=TEAM_WORK),
    "feedback_link": public("a self-completion link: the token is the check, and it opens one "
                            "person's form, once"),
    "feedback_thanks": public("the thank-you after a self-completion link; it shows nothing"),
    "session_family_picture": only(*FAMILY_TEAM, why=TEAM_WORK + ", shown to the family"),
    "family_picture_print": only(*FAMILY_TEAM, why=TEAM_WORK + ", printed for the family"),
    "family_trail": only("manager", why="the family's team manager only: who viewed or changed "
                                        "the family's records, which its practitioners do not "
                                        "see"),
    "start_session": only(*FAMILY_TEAM, why=TEAM_WORK),
    "session_rate": only(*FAMILY_TEAM, why=TEAM_WORK + " (the family rates on their tablet)"),
    "session_hand_over": only(*FAMILY_TEAM, why=TEAM_WORK),
    "end_session": only(*FAMILY_TEAM, why=TEAM_WORK),
    "correct_administration": only(*FAMILY_TEAM, why=TEAM_WORK),
    "administration_picture": only(*FAMILY_TEAM, why=TEAM_WORK),
    "administration_picture_thumbnail": only(*FAMILY_TEAM, why=TEAM_WORK),
    # Implementation
    "dashboards": only(*SEES_COUNTS, why="counts, not families: managers and the data team"),
    "dashboard_download": only(*SEES_COUNTS, why="the dashboards' figures, as the dashboards"),
    "training": only(*SEES_COUNTS, why="the training register: managers and the data team"),
    "add_training_event": only(*SEES_COUNTS, why="the training register"),
    "attendance": only(*SEES_COUNTS, why="the training register"),
    "team": only("manager", why="a manager's own team"),
    "supervision": only("manager", why="a practitioner's work, for their own manager"),
    "reminders": only(*SIGNED_IN, why=OWN + " (whether to be emailed)"),
    # Evaluation
    "trials": only(EVALUATOR, why=EVALUATION),
    "new_trial": only(EVALUATOR, why=EVALUATION),
    "power": only(EVALUATOR, why="the evaluator's calculator"),
    "trial": only(EVALUATOR, why=EVALUATION),
    "trial_teams": only(EVALUATOR, why=EVALUATION),
    "trial_analysis": only(EVALUATOR, why=EVALUATION),
    "randomise": only(EVALUATOR, why=EVALUATION),
    "remind": only(EVALUATOR, why=EVALUATION),
    "add_question": only(EVALUATOR, why=EVALUATION),
    "change_survey_link": only(EVALUATOR, why=EVALUATION),
    "research_question": only(EVALUATOR, why=EVALUATION),
    "refresh_admin_data": only(EVALUATOR, why=EVALUATION),
    "research_export": only(EVALUATOR, why=EVALUATION + " (pseudonymised research data)"),
    "open_wave": only(EVALUATOR, why=EVALUATION),
    "close_wave": only(EVALUATOR, why=EVALUATION),
    "set_retention": only(EVALUATOR, why=EVALUATION),
    "survey_links_csv": only(EVALUATOR, why=EVALUATION + " (personal links: the export is "
                                                        "audited)"),
    "consent": only(EVALUATOR, why=EVALUATION),
    "practitioner_consent": only(EVALUATOR, why=EVALUATION),
    "withdraw_consent": only(EVALUATOR, why=EVALUATION),
    "refi_qda": only(EVALUATOR, why=EVALUATION + " (its qualitative work, to and from tools)"),
    "refi_qda_codebook": only(EVALUATOR, why=EVALUATION),
    "refi_qda_project": only(EVALUATOR, why=EVALUATION + " (it holds interview text)"),
    "framework_matrix": only(EVALUATOR, why=EVALUATION),
    "matrix_download": only(EVALUATOR, why=EVALUATION + "; the download is audited"),
    "matrix_cell": only(EVALUATOR, why=EVALUATION),
    "documents": only(EVALUATOR, why=EVALUATION),
    "gather_open_text": only(EVALUATOR, why=EVALUATION),
    "document": only(EVALUATOR, why=EVALUATION),
    "agreement": only(EVALUATOR, why=EVALUATION),
    "code_passage": only(EVALUATOR, why=EVALUATION),
    "remove_coding": only(EVALUATOR, why=EVALUATION + " (only the coder's own is removed)"),
    "codebook": only(EVALUATOR, why=EVALUATION),
    "change_theme": only(EVALUATOR, why=EVALUATION),
    "trial_report": only(EVALUATOR, why=EVALUATION),
    "report_pdf": only(EVALUATOR, why=EVALUATION),
    "report_finding": only(EVALUATOR, why=EVALUATION),
    "report_limitations": only(EVALUATOR, why=EVALUATION),
    "surveys": only(*SIGNED_IN, why=OWN + " (the surveys they are asked to answer)"),
    "survey_answer": only("practitioner", why="the respondent's own answers: the practitioner "
                                              "is the one asked"),
    "survey_link": public("a personal link: the token is the check, and it is spent once"),
    "survey_by_link": only(LINK_HOLDER, why="after a personal link, its holder only"),
    "survey_link_answer": only(LINK_HOLDER, why="after a personal link, its holder only"),
    # Signing in
    "login": public("the way in"),
    "logout": only(*SIGNED_IN, *PART_WAY, why="anyone signed in, even part-way, may sign out; "
                                              "someone not signed in is asked to sign in"),
    "password_reset": public("the way back in: asking for a reset link tells nothing of whether "
                             "the account exists"),
    "password_reset_done": public("says only that a link was sent if the account exists"),
    "password_reset_complete": public("says only that the password was changed"),
    "password_reset_confirm": public("a reset link: its token is the check"),
    "enrol_two_factor": only(SETTING_UP, why="someone part-way through signing in, with no app "
                                             "yet"),
    "verify_code": only(GIVING_A_CODE, why="someone part-way through signing in, with an app"),
    "recovery_code_sign_in": only(GIVING_A_CODE, why="as verify_code, with a recovery code"),
    "recovery_codes": only(why="once, right after setting up an app, to the person who did "
                               "(tests/accounts/test_two_factor.py): nobody here"),
    "oidc_authentication_init": public("the way in through the council's provider"),
    "oidc_authentication_callback": public("the provider's way back: its state is the check"),
    "sso_refused": public("tells someone the provider vouched for that nobody invited them; "
                          "shows nothing of anyone's"),
    "accept_invitation": public("a set-up link: its token is the check"),
    "health": public("a load balancer's probe; it shows nothing"),
    "family_guide": public("the families' guide, linked from a phone's page; nothing personal"),
    # Administration
    "audit_log": only(ADMINISTRATOR, why=ADMINISTRATION),
    "people": only(ADMINISTRATOR, why=ADMINISTRATION),
    "invite": only(ADMINISTRATOR, why=ADMINISTRATION),
    "person": only(ADMINISTRATOR, why=ADMINISTRATION),
    "resend_invitation": only(ADMINISTRATOR, why=ADMINISTRATION),
    "join_team": only(ADMINISTRATOR, why=ADMINISTRATION),
    "switch_off_account": only(ADMINISTRATOR, why=ADMINISTRATION),
    "switch_on_account": only(ADMINISTRATOR, why=ADMINISTRATION),
    "reset_sign_in": only(ADMINISTRATOR, why=ADMINISTRATION),
    "end_membership": only(ADMINISTRATOR, why=ADMINISTRATION),
    "move_team": only(ADMINISTRATOR, why=ADMINISTRATION),
    "teams": only(ADMINISTRATOR, why=ADMINISTRATION),
    "new_team": only(ADMINISTRATOR, why=ADMINISTRATION),
    "edit_team": only(ADMINISTRATOR, why=ADMINISTRATION),
    "team_managers": only(ADMINISTRATOR, why=ADMINISTRATION),
    "archive_team": only(ADMINISTRATOR, why=ADMINISTRATION),
    # Privacy
    "subject_access": only(ADMINISTRATOR, why="a person's subject access request, answered by "
                                              "an administrator; the export is audited"),
    "data_dictionary": only(ADMINISTRATOR, why=ADMINISTRATION),
    "privacy_find_family": only(ADMINISTRATOR, why=PRIVACY),
    "family_privacy": only(ADMINISTRATOR, why=PRIVACY),
    "set_legal_hold": only(ADMINISTRATOR, why=PRIVACY),
    "lift_legal_hold": only(ADMINISTRATOR, why=PRIVACY),
    "erase_family": only(ADMINISTRATOR, why=PRIVACY),
    "rectify_person": only(ADMINISTRATOR, why=PRIVACY),
}


# Asking ------------------------------------------------------------------------------------------

def personas(world, objects) -> dict:
    # Someone who has just set up an app is fully signed in as a practitioner of the team, with
    # their recovery codes to be shown once: a practitioner in every row but one.
    return {name: persona for name, persona in everyone(world, objects).items()
            if name != "just set up"}


def urls_of(pattern, objects) -> list[str]:
    """The pattern's address for each sample of the objects its ids stand for."""
    names = list(pattern.converters)
    choices = max((len(objects[n]) for n in names), default=1)
    return sorted({reverse(pattern.name, kwargs={
        n: objects[n][min(choice, len(objects[n]) - 1)] for n in names} or None)
        for choice in range(choices)})


def refusal(persona: str, pattern) -> str:
    """How this page refuses this persona: a 404 to anyone who may be shown pages; the sign-in
    step to anyone else, sent there to come back (?next=), unless the page is open to them."""
    open_to_them = not getattr(pattern.callback, "login_required", True)
    if persona in SIGNED_IN or open_to_them or (persona in PART_WAY
                                                 and pattern.name in SIGNING_IN_PAGES):
        return "404"
    return "sent to sign in"


def outcome(response) -> str:
    code = response.status_code
    if code in (404, 405):
        return str(code)
    if code == 302:
        to = urlsplit(response["Location"])
        steps = {reverse(name) for name in SIGNING_IN_PAGES - {"logout"}} | {reverse("login")}
        return "sent to sign in" if to.path in steps and "next=" in to.query else "reached"
    return "reached" if code == 200 else f"answered {code}"


def ask(client: Client, persona, method: str, urls: list[str]) -> str:
    """The persona's answer over the samples: reached by any of them is reached."""
    found = []
    for url in urls:
        point = transaction.savepoint()
        try:
            become(client, persona)
            found.append(outcome(getattr(client, method)(url)))
        finally:
            transaction.savepoint_rollback(point)
    return "reached" if "reached" in found else found[0]


def observe(world, objects, chosen) -> dict:
    """(pattern, method) -> persona -> outcome, for the chosen URL patterns."""
    client, people, seen = Client(), personas(world, objects), {}
    for pattern in chosen:
        urls = urls_of(pattern, objects)
        for method in ("get", "post"):
            seen[(pattern, method)] = {name: ask(client, persona, method, urls)
                                       for name, persona in people.items()}
    return seen


def problems(table: dict[str, Row], seen: dict) -> list[str]:
    """Every way what was seen differs from the table: a page with no row, someone outside its
    row who reached it or was refused the wrong way, someone in it who did not reach it."""
    found, reached_by = [], {}
    for (pattern, method), answers in seen.items():
        name, row = pattern.name, table.get(pattern.name)
        if row is None:
            found.append(f"{name}: no row in the access matrix: who may reach it, and why?")
            continue
        offered = "reached" in answers.values()
        reached_by.setdefault(name, set()).update(p for p, a in answers.items() if a == "reached")
        for persona, answer in answers.items():
            refused = refusal(persona, pattern)
            if not offered:
                # A method the page does not take is refused before any lookup, alike for a
                # real and a missing record.
                wanted = "405" if persona in SIGNED_IN and row.who else refused
                if answer not in (wanted, "405"):
                    found.append(f"{method.upper()} {name}: {persona} should get {wanted}, "
                                 f"got {answer}")
            elif persona in row.who and answer != "reached":
                found.append(f"{method.upper()} {name}: {persona} should reach it, got {answer}")
            elif persona not in row.who and answer != refused:
                found.append(f"{method.upper()} {name}: {persona} should get {refused}, "
                             f"got {answer}")
    for name, reached in reached_by.items():
        for persona in sorted(table[name].who - reached):
            found.append(f"{name}: {persona} should reach it by GET or POST, and does by neither")
    return sorted(set(found))


def test_every_page_is_reached_by_exactly_the_people_its_row_names(world, objects):
    seen = observe(world, objects, list(patterns()))
    found = problems(MATRIX, seen)
    assert found == [], "\n".join(found)
    # Every row is of a page that exists: a page taken away takes its row with it.
    assert set(MATRIX) == {pattern.name for pattern, _ in seen}
    assert all(row.why for row in MATRIX.values())


@pytest.mark.urls("tests.fixtures.unchecked_urls")
def test_a_page_nobody_wrote_a_row_for_or_that_forgot_its_check_is_reported(world, objects):
    chosen = [p for p in patterns() if p.name in {"forgotten_page", "unchecked_page", "people"}]
    table = {**MATRIX, "unchecked_page": only(ADMINISTRATOR, why="meant for administrators"),
             # A row that names someone the page refuses.
             "people": only(ADMINISTRATOR, "outsider", why="wrongly thought open to outsiders")}
    found = problems(table, observe(world, objects, chosen))
    assert "forgotten_page: no row in the access matrix: who may reach it, and why?" in found
    # The page without a check shows itself to everyone signed in.
    assert {f"GET unchecked_page: {p} should get 404, got reached"
            for p in SIGNED_IN - {ADMINISTRATOR}} <= set(found)
    assert "GET people: outsider should reach it, got 404" in found
    assert "people: outsider should reach it by GET or POST, and does by neither" in found
    assert len(found) == 1 + 2 * (len(SIGNED_IN) - 1) + 2  # GET and POST of the unchecked page
