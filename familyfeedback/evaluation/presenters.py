"""What the evaluation's pages show, worked out here from the queries so that views only choose
a page and templates only lay it out."""

import random

from django.conf import settings

from familyfeedback.casework.wording import current_pack
from familyfeedback.evaluation import analysis, progress, queries, texts
from familyfeedback.evaluation.access import service_teams
from familyfeedback.evaluation.actions import Gathered, Reminded, teams_values
from familyfeedback.evaluation.forms import (
    AgreementForm,
    CodingForm,
    DocumentForm,
    QuestionForm,
    RandomiseForm,
    TeamsForm,
    ThemeForm,
)
from familyfeedback.evaluation.models import (
    WAVES,
    Allocation,
    Document,
    Theme,
    Trial,
    TrialPractitioner,
    Wave,
)
from familyfeedback.lib import formats, versions
from familyfeedback.measures import surveys
from familyfeedback.stats import agreement, cluster_power


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


# Qualitative work.
def participant_label(p: TrialPractitioner) -> str:
    """How a participant is named to evaluators: pseudonym, role, team and arm."""
    return (f"{p.practitioner_code}, {p.role.replace('_', ' ')}, {p.team.team_name}, "
            f"{p.team.get_arm_display() or 'not randomised'}")


def documents_page(trial: Trial, form: DocumentForm) -> dict:
    return {
        "trial": trial, "form": form,
        "documents": [{"document": d, "about": participant_label(d.participant) if d.participant
                       else (d.team.team_name if d.team else d.get_wave_display())}
                      for d in queries.documents(trial)],
        "participants": [{"value": "", "text": "Choose a participant"}] + [
            {"value": p.pk, "text": participant_label(p),
             "selected": str(form["participant"].value()) == str(p.pk)}
            for p in queries.practitioners_in(trial)],
        "teams": [{"value": "", "text": "Choose a team"}] + [
            {"value": t.pk, "text": t.team_name, "selected": str(form["team"].value()) == str(t.pk)}
            for t in queries.teams_in(trial)],
        "max_mb": texts.MAX_UPLOAD_BYTES // (1024 * 1024),
    }


def theme_label(theme: Theme, by_pk: dict) -> str:
    return f"{by_pk[theme.parent_id].name}: {theme.name}" if theme.parent_id else theme.name


def document_page(document: Document, viewer, form: CodingForm | None = None) -> dict:
    """The document's paragraphs, each with its codings (theme and coder), and the form that
    codes a paragraph or a selected passage."""
    themes = queries.themes(document.trial)
    by_pk = {t.pk: t for t in themes}
    codings = queries.codings_of(document)
    rows = []
    for paragraph in texts.paragraphs(document.text):
        within = [c for c in codings if c.start < paragraph.end and c.end > paragraph.start]
        rows.append({"paragraph": paragraph, "codings": [{
            "coding": c, "theme": theme_label(c.theme, by_pk),
            "coder": c.coder.full_name or c.coder.email, "mine": c.coder_id == viewer.pk,
            "whole": (c.start, c.end) == (paragraph.start, paragraph.end),
            "passage": document.text[c.start:c.end]} for c in within]})
    chosen = [str(v) for v in (form["themes"].value() or [])] if form else []
    return {
        "trial": document.trial, "document": document, "paragraphs": rows, "form": form,
        "about": participant_label(document.participant) if document.participant
        else (document.team.team_name if document.team else ""),
        "themes": [{"value": t.pk, "text": theme_label(t, by_pk), "checked": str(t.pk) in chosen}
                   for t in sorted(themes, key=lambda t: theme_label(t, by_pk).lower())],
    }


def codebook_page(trial: Trial, form: ThemeForm) -> dict:
    themes = queries.themes(trial)
    chosen = [str(v) for v in (form["research_questions"].value() or [])]
    return {
        "trial": trial, "form": form,
        "themes": [{"theme": t, "sub_themes": [s for s in themes if s.parent_id == t.pk]}
                   for t in themes if t.parent_id is None],
        "parents": [{"value": "", "text": "None: a theme of its own"}] + [
            {"value": t.pk, "text": t.name, "selected": str(form["parent"].value()) == str(t.pk)}
            for t in themes if t.parent_id is None],
        "questions": [{"value": q.pk, "text": f"{q.number} {q.text}",
                       "checked": str(q.pk) in chosen}
                      for q in queries.research_questions(trial)],
    }


def document_choices(trial: Trial) -> dict:
    """What DocumentForm chooses from: the trial's participants and teams."""
    return {"participants": queries.practitioners_in(trial), "teams": queries.teams_in(trial)}


def theme_choices(trial: Trial) -> dict:
    """What ThemeForm chooses from: the codebook's themes and the trial's research questions."""
    return {"themes": queries.themes(trial), "questions": queries.research_questions(trial)}


def coding_choices(document: Document) -> dict:
    """What CodingForm chooses from: the codebook's themes and the document's paragraphs."""
    return {"themes": queries.themes(document.trial),
            "paragraphs": texts.paragraphs(document.text)}


def gathered_text(done: Gathered) -> str:
    text = (f"Open-text answers gathered: {done.made} documents written, {done.extended} coded "
            "documents given new answers at their end")
    if done.refused:
        text += (f". Not changed, since someone in them has withdrawn from surveys: "
                 f"{'; '.join(done.refused)}. Remove their codings, then gather again")
    return text


def agreement_choices(document: Document) -> dict:
    return {"coders": queries.coders_of(document)}


def kappa_text(result: agreement.Kappa) -> str:
    return result.why.capitalize() if result.kappa is None else f"{result.kappa:.2f}"


def agreement_page(document: Document, form: AgreementForm) -> dict:
    """Cohen's kappa between two evaluators' codings, per theme and overall, over paragraphs."""
    themes = queries.themes(document.trial)
    by_pk = {t.pk: t for t in themes}
    pair = form.pair()
    page = {"trial": document.trial, "document": document, "form": form, "pair": pair,
            "rows": [], "overall": None}
    if pair is None:
        return page
    codings = queries.codings_of(document)
    spans = [(p.start, p.end) for p in texts.paragraphs(document.text)]
    first, second = ([(c.theme_id, c.start, c.end) for c in codings if c.coder_id == who.pk]
                     for who in pair)
    result = agreement.paragraph_agreement(spans, list(by_pk), first, second)
    page["rows"] = sorted(({"theme": theme_label(by_pk[pk], by_pk), "kappa": kappa_text(k),
                            "agreed": k.agreed, "units": k.units, "both": k.both,
                            "first_only": k.first_only, "second_only": k.second_only}
                           for pk, k in result.by_theme.items()), key=lambda r: r["theme"])
    page["overall"] = {"kappa": kappa_text(result.overall), "agreed": result.overall.agreed,
                       "units": result.overall.units}
    return page


def theme_edit_choices(trial: Trial) -> dict:
    return {"questions": queries.research_questions(trial)}
