"""What the evaluation's pages show, worked out here from the queries so that views only choose
a page and templates only lay it out."""

import random

from django.conf import settings

from familyfeedback.casework.wording import current_pack
from familyfeedback.evaluation import actions, analysis, progress, queries
from familyfeedback.evaluation.access import service_teams
from familyfeedback.evaluation.actions import Reminded, teams_values
from familyfeedback.evaluation.forms import QuestionForm, RandomiseForm, TeamsForm
from familyfeedback.evaluation.models import WAVES, Allocation, Trial, TrialPractitioner, Wave
from familyfeedback.evaluation.report import output
from familyfeedback.evaluation.report.presenter import quote_by
from familyfeedback.evaluation.report.reading import quote_of
from familyfeedback.lib import formats, versions
from familyfeedback.measures import surveys
from familyfeedback.stats import cluster_power


def trial_page(trial: Trial, allocation: Allocation | None, *,
               teams_form: TeamsForm | None = None, randomise_form: RandomiseForm | None = None,
               question_form: QuestionForm | None = None, changed: list | None = None) -> dict:
    """The trial page's context; a form sent from it that was refused comes back with what was
    typed (and, after an edit conflict, what `changed`), the others start afresh."""
    teams = queries.teams_in(trial)
    waves = queries.waves_by_kind(trial)
    everyone = service_teams(trial)
    by_pk = {team.pk: team for team in everyone}
    in_trial = teams_values({by_pk[t.service_team_id]: t.unit_code for t in teams
                             if t.service_team_id})
    question_form = question_form or QuestionForm(initial={"wave": "baseline", "kind": "likert"})
    return {
        "trial": trial, "allocation": allocation, "teams": teams,
        "imported": progress.imported_arms(trial),
        "service_teams": everyone,
        "teams_form": teams_form or TeamsForm(initial={
            **in_trial, "teams": [str(t.service_team_id) for t in teams],
            "version": versions.stamp(in_trial)}, teams=everyone),
        "changed": changed or [],
        "randomise_form": randomise_form or RandomiseForm(initial={
            "method": "simple", "ratio": "1:1",
            "seed": random.SystemRandom().randrange(10**8, 10**9)}),
        "question_form": question_form,
        "question_waves": [{"value": kind, "text": label,
                            "checked": question_form["wave"].value() == kind}
                           for kind, label in WAVES],
        "waves": [(kind, label, waves.get(kind)) for kind, label in WAVES],
        "responses": progress.responses_by_team(trial),
        "questions": queries.research_questions(trial),
        "admin_records": queries.admin_record_count(trial),
        "in_app": bool(teams) and all(t.service_team_id for t in teams),
        "custom_questions": queries.custom_questions(trial),
        "survey_links": [(p, survey_link_state(p)) for p in queries.practitioners_in(trial)],
        "survey_link_days": settings.SURVEY_LINK_DAYS,
    }


def survey_link_state(respondent: TrialPractitioner) -> str:
    expires = respondent.link_expires_at()
    if expires is None:
        return "Revoked: answers by signing in"
    when = formats.date_long(expires.astimezone(formats.LONDON).date())
    return f"Ran out on {when}" if respondent.link_has_run_out() else f"Works until {when}"


def reminded_text(done: Reminded) -> tuple[bool, str]:
    """Whether every reminder went, and what the evaluator is told."""
    text = f"Reminder sent to {done.sent} {'practitioner' if done.sent == 1 else 'practitioners'}"
    if done.failed:
        return False, f"{text}; {done.failed} could not be sent: try again later"
    return True, text


def admin_data_text(counts: dict[str, int]) -> str:
    return (f"Admin data taken from the records: {counts['administrations']} ORS and SRS "
            f"records and {counts['training']} training records, pseudonymised")


# The analysis page's tables: the report's lists, captioned, in this order.
SECTIONS = [
    ("response_rates", "Responses by team and wave"),
    ("scales", "Outcome measures by arm and wave"),
    ("within_arm_change", "Change from baseline to endline within each arm (paired t-test)"),
    ("between_arm_change", "Change compared between arms (t-tests on the change scores)"),
    ("training_by_role", "Practitioners in intervention teams: trained and using the tools"),
    ("usage_by_month", "Use of the ORS and SRS by month"),
    ("reach", "Children and adults who completed each tool"),
    ("completions_per_person", "Completions per person"),
]


def cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.3g}"
    return str(value)


def column_name(field: str) -> str:
    """A column of the report as a person reads it: the format's field name, in words."""
    return field.replace("_", " ")


def analysis_page(trial: Trial) -> dict:
    report = analysis.report(trial)
    tables = []
    for key, caption in SECTIONS:
        rows = report[key]
        fields = list(rows[0]) if rows else []
        tables.append({"key": key, "caption": caption,
                       "headers": [column_name(f) for f in fields],
                       "rows": [[cell(row[f]) for f in fields] for row in rows]})
    return {"trial": trial, "tables": tables, "questions": report["questions"],
            "flags": analysis.ceiling_flags(report), "reliability": analysis.reliability(trial)}


def power_figures(v: dict) -> dict:
    """Minimum detectable effect for the next trial, and clusters needed for a target effect."""
    return {
        "design_effect": cluster_power.design_effect(v["per_cluster"], v["icc"]),
        "mdes": cluster_power.mdes(v["clusters"], v["per_cluster"], v["icc"], v["alpha"],
                                   v["power"]),
        "mdes_t": cluster_power.mdes(v["clusters"], v["per_cluster"], v["icc"], v["alpha"],
                                     v["power"], method="t"),
        "clusters_needed": cluster_power.clusters_needed(
            v["effect"], v["per_cluster"], v["icc"], v["alpha"], v["power"], method="t"),
    }


def survey_page(respondent: TrialPractitioner, wave: Wave) -> dict:
    """One wave's survey: its measures, their licensed wording, the trial's own questions and
    the answers this practitioner has given so far."""
    measures = [surveys.get_survey_measure(code) for code in wave.measures]
    # Wording a licence keeps out of the code comes from the service's text pack, as for the ORS.
    _, pack = current_pack()
    return {
        "wave": wave, "measures": measures,
        "texts": {m.code: pack.measure_text(m.code, "en") if pack else None for m in measures},
        "questions": queries.custom_questions(wave.trial, wave.kind),
        "given": queries.answers_given(respondent, wave.kind),
    }


def report_page(trial: Trial) -> dict:
    return {"trial": trial, "report": output.context(trial), "editable": True}


def report_pdf(trial: Trial) -> bytes:
    return output.pdf(trial)


def finding_values(trial: Trial, question) -> dict:
    """A report section's text and quotes as its page opens them (and its version compares)."""
    return actions.finding_values(queries.finding_of(trial, question),
                                  queries.quoted(question) if question else [])


def quotable(trial: Trial, question) -> list:
    return queries.quotable(trial, question)


def finding_page(trial: Trial, question, form, changed: list, errors: list) -> dict:
    """The page where the evaluator writes a report section (question None: the limitations)
    and puts in order the coded passages quoted in it."""
    return {"trial": trial, "question": question, "form": form, "changed": changed,
            "errors": errors,
            "quotes": [{"field": field, "quote": quote_of(coding),
                        "by": quote_by(quote_of(coding)),
                        "title": coding.document.title} for coding, field in form.quote_fields()]}
