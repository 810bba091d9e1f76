"""What the evaluation's pages show, worked out here from the queries so that views only choose
a page and templates only lay it out."""

import io
import random
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from familyfeedback.accounts.models import JobTitle
from familyfeedback.casework.wording import current_pack
from familyfeedback.evaluation import analysis, progress, queries
from familyfeedback.evaluation.access import service_teams
from familyfeedback.evaluation.actions import Reminded, teams_values
from familyfeedback.evaluation.forms import (
    MatrixFilterForm,
    QuestionForm,
    RandomiseForm,
    TeamsForm,
)
from familyfeedback.evaluation.models import (
    WAVES,
    Allocation,
    Coding,
    Theme,
    Trial,
    TrialPractitioner,
    Wave,
)
from familyfeedback.lib import formats, versions
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.spreadsheet import xlsx_append
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


# The framework matrix (issue 12): participants by themes, each cell the evaluator's summary
# and the participant's coded passages under the theme.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHORT_SUMMARY = 200  # characters of a summary the matrix shows; the cell's page has it whole
# The most characters Excel keeps in a cell: a file with more is one it offers to "repair".
EXCEL_CELL_LIMIT = 32_767
NO_FILTERS = {"question": None, "arm": "", "role": ""}


def role_label(role: str) -> str:
    return dict(JobTitle.choices).get(role, role.replace("_", " "))


def matrix_filters(trial: Trial, data) -> MatrixFilterForm:
    """The matrix's filter form, bound to what was asked (nothing asked: the whole matrix)."""
    return MatrixFilterForm(data, questions=queries.research_questions(trial),
                            roles=[(r, role_label(r)) for r in queries.roles_in(trial)])


def matrix_columns(themes: list[Theme]) -> tuple[list[dict], list[dict]]:
    """(columns, groups): each theme, then its sub-themes, themes and sub-themes by name; a
    group is a theme's name over its columns. A sub-theme shown without its theme (a research
    question linked to the sub-theme alone) still comes under its theme's name."""
    groups: dict[int, list[Theme]] = {}
    heads: dict[int, Theme] = {}
    for theme in themes:
        head = theme.parent or theme
        heads[head.pk] = head
        groups.setdefault(head.pk, []).append(theme)
    columns, spans = [], []
    for head in sorted(heads.values(), key=lambda t: (t.name.casefold(), t.pk)):
        members = sorted(groups[head.pk],
                         key=lambda t: (t.parent_id is not None, t.name.casefold(), t.pk))
        spans.append({"name": head.name, "span": len(members)})
        columns += [{"theme": t, "group": head.name,
                     "label": t.name if t.parent_id else "The theme as a whole",
                     "heading": f"{head.name}: {t.name}" if t.parent_id else t.name}
                    for t in members]
    return columns, spans


@dataclass(frozen=True)
class Passage:
    participant_id: int
    theme_id: int
    document: str  # its title
    start: int
    end: int
    text: str  # blank when the documents' text was not read
    coders: int  # how many evaluators coded it under the theme


def passages(codings: list[Coding]) -> list[Passage]:
    """The coded passages, each once however many evaluators coded it under the same theme, in
    the order the codings came."""
    found: dict[tuple, list[Coding]] = {}
    for coding in codings:
        key = (coding.document.participant_id, coding.theme_id, coding.document_id,
               coding.start, coding.end)
        found.setdefault(key, []).append(coding)
    shown = []
    for (participant_id, theme_id, _, start, end), same in found.items():
        document = same[0].document
        text = ("" if "text" in document.get_deferred_fields()
                else document.text[start:end].strip())
        shown.append(Passage(participant_id, theme_id, document.title, start, end, text,
                             len({c.coder_id for c in same})))
    return shown


def participant_row(participant: TrialPractitioner) -> dict:
    return {"pk": participant.pk, "code": participant.practitioner_code,
            "role": role_label(participant.role), "team": participant.team.team_name,
            "arm": participant.team.get_arm_display() or "Not allocated"}


def shortened(text: str, limit: int = SHORT_SUMMARY) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def framework_matrix(trial: Trial, filters: dict, *, with_text: bool = False) -> dict:
    """The matrix for the filters (MatrixFilterForm.filters): its columns and their groups, a
    row per participant with a cell per column (the summary, shortened, and how many passages
    are coded there), and every passage (its text `with_text`, for the download)."""
    themes = queries.matrix_themes(trial, filters["question"])
    people = queries.matrix_participants(trial, arm=filters["arm"], role=filters["role"])
    columns, groups = matrix_columns(themes)
    summaries = {(c.participant_id, c.theme_id): c.summary
                 for c in queries.matrix_cells(trial, people, themes)}
    found = passages(queries.matrix_codings(trial, people, themes, with_text=with_text))
    counts = Counter((p.participant_id, p.theme_id) for p in found)
    rows = [{"participant": participant_row(person), "cells": [
        {"theme": column["theme"], "heading": column["heading"],
         "summary": summaries.get((person.pk, column["theme"].pk), ""),
         "short": shortened(summaries.get((person.pk, column["theme"].pk), "")),
         "excerpts": counts[(person.pk, column["theme"].pk)]} for column in columns]}
        for person in people]
    return {"columns": columns, "groups": groups, "rows": rows, "passages": found,
            "codes": {p.pk: p.practitioner_code for p in people},
            "headings": {c["theme"].pk: c["heading"] for c in columns}}


def matrix_query(form: MatrixFilterForm) -> str:
    """The filters as a query string, for the links that keep them: nothing if none were
    asked, or if what was asked was refused."""
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.cleaned_data.items() if v})


def matrix_page(trial: Trial, form: MatrixFilterForm) -> dict:
    """The matrix page: refused filters are shown with their messages over the whole matrix."""
    filters = form.filters() if form.is_valid() else NO_FILTERS
    return {"trial": trial, "form": form, **framework_matrix(trial, filters),
            "filtered": filters != NO_FILTERS, "query": matrix_query(form),
            "errors": error_summary(form)}


def matrix_cell_page(participant: TrialPractitioner, theme: Theme, query: str) -> dict:
    """A cell's page: the participant's passages coded under the theme, with their
    documents' titles, and the way back to the matrix as it was filtered."""
    found = passages(queries.matrix_codings(participant.trial, [participant], [theme],
                                            with_text=True))
    return {"trial": participant.trial, "participant": participant_row(participant),
            "theme": theme, "passages": found, "query": query}


def matrix_workbook(matrix: dict) -> bytes:
    """The matrix as an Excel workbook: the summaries, participants by themes, on one sheet;
    every coded passage on a second. Every cell goes through xlsx_append, so nothing anyone
    typed is run as a formula."""
    # Imported here: openpyxl is slow to load and only the download needs it.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Matrix"
    xlsx_append(sheet, ["Participant", "Role", "Team", "Arm",
                        *[c["heading"] for c in matrix["columns"]]])
    for row in matrix["rows"]:
        person = row["participant"]
        xlsx_append(sheet, [person["code"], person["role"], person["team"], person["arm"],
                            *[c["summary"] for c in row["cells"]]])
    sheet.freeze_panes = "B2"
    excerpts = book.create_sheet("Excerpts")
    xlsx_append(excerpts, ["Participant", "Theme", "Document", "Passage"])
    for passage in matrix["passages"]:
        xlsx_append(excerpts, [matrix["codes"][passage.participant_id],
                               matrix["headings"][passage.theme_id], passage.document,
                               passage.text[:EXCEL_CELL_LIMIT]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
