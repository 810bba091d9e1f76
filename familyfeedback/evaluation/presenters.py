"""What the evaluation's pages show, worked out here from the queries so that views only choose
a page and templates only lay it out."""

import io
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from familyfeedback.accounts.models import JobTitle
from familyfeedback.casework.wording import current_pack
from familyfeedback.evaluation import (
    actions,
    analysis,
    next_trial,
    progress,
    queries,
    refi_qda,
    texts,
)
from familyfeedback.evaluation.access import service_teams
from familyfeedback.evaluation.actions import Gathered, Reminded, teams_values
from familyfeedback.evaluation.forms import (
    AgreementForm,
    CodingForm,
    ConsentForm,
    DocumentForm,
    MatrixFilterForm,
    OpenWaveForm,
    QuestionForm,
    RandomiseForm,
    RetentionForm,
    TeamsForm,
    ThemeForm,
    WithdrawalForm,
)
from familyfeedback.evaluation.models import (
    CONSENT_ACTIVITIES,
    WAVES,
    Allocation,
    Coding,
    Consent,
    Document,
    Theme,
    Trial,
    TrialPractitioner,
    Wave,
)
from familyfeedback.evaluation.report import output
from familyfeedback.evaluation.report.presenter import quote_by
from familyfeedback.evaluation.report.reading import quote_of
from familyfeedback.lib import formats, versions
from familyfeedback.lib.errors import error_summary
from familyfeedback.lib.spreadsheet import xlsx_append
from familyfeedback.measures import surveys
from familyfeedback.stats import agreement, cluster_power


def trial_page(trial: Trial, allocation: Allocation | None, *,
               teams_form: TeamsForm | None = None, randomise_form: RandomiseForm | None = None,
               question_form: QuestionForm | None = None, changed: list | None = None,
               open_wave_form: OpenWaveForm | None = None,
               retention_form: RetentionForm | None = None) -> dict:
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
        **fieldwork(trial, waves, open_wave_form),
        **retention(trial, retention_form),
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
    adjusted = {"correlation": v["correlation"]}
    return {
        "design_effect": cluster_power.design_effect(v["per_cluster"], v["icc"]),
        "ancova_factor": cluster_power.ancova_factor(v["correlation"]),
        "mdes": cluster_power.mdes(v["clusters"], v["per_cluster"], v["icc"], v["alpha"],
                                   v["power"], **adjusted),
        "mdes_t": cluster_power.mdes(v["clusters"], v["per_cluster"], v["icc"], v["alpha"],
                                     v["power"], method="t", **adjusted),
        "clusters_needed": cluster_power.clusters_needed(
            v["effect"], v["per_cluster"], v["icc"], v["alpha"], v["power"], method="t",
            **adjusted),
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
        "not_taking": not_taking_answers(wave, timezone.localdate()),
    }


def pilot_values(trial: Trial) -> dict:
    """The power page's boxes from a trial's own estimates (next_trial.recommend): the ICC, the
    baseline-endline correlation (where its interval could be estimated), the practitioners per
    cluster, rounded as a person would type them; only those the pilot can give."""
    pilot = next_trial.recommend(trial)
    icc, r, m = pilot["icc"]["estimate"], pilot["correlation"], pilot["per_cluster"]
    values = {}
    if icc is not None:
        values["icc"] = round(icc, 3)
    if r["ci_low"] is not None:
        values["correlation"] = round(r["estimate"], 2)
    if m is not None:
        values["per_cluster"] = max(1, round(m))
    return values


PLAN_ROWS = {"low": "lower end", "estimate": "estimate", "high": "upper end"}
PLAN_COLUMNS = {"weakest": "weakest", "estimate": "estimate", "strongest": "strongest",
                None: "not adjusted"}


def pilot_plan(trial: Trial, v: dict) -> dict:
    """A trial's estimates with their intervals, and the teams the next trial needs at each
    pairing of the ICC's and the correlation's interval ends, for the figures on the page."""
    pilot = next_trial.recommend(trial, effect=v["effect"], alpha=v["alpha"], power=v["power"],
                                 per_cluster=v["per_cluster"], clusters_per_arm=v["clusters"])
    columns = list(dict.fromkeys(s["correlation_at"] for s in pilot["scenarios"]))
    cells = {(s["icc_at"], s["correlation_at"]): s for s in pilot["scenarios"]}
    rows = [{"label": f"ICC {PLAN_ROWS[at]} ({cells[(at, columns[0])]['icc']:.2f})",
             "teams": [cells[(at, c)]["teams"] for c in columns]}
            for at in PLAN_ROWS if (at, columns[0]) in cells] if columns else []
    headers = [PLAN_COLUMNS[c] if c is None else
               f"r {PLAN_COLUMNS[c]} ({cells[('estimate', c)]['correlation']:.2f})"
               for c in columns]
    return {"trial": trial, "estimates": pilot, "headers": headers, "rows": rows}


def not_taking_answers(wave: Wave, today: date) -> str | None:
    """Why a wave takes no answers today, in the practitioner's words; None if it does."""
    if wave.accepts_answers(today):
        return None
    if wave.opens_on and wave.opens_on > today:
        return f"This survey opens on {formats.date_long(wave.opens_on)}. Come back then."
    ended = wave.closed_on or wave.closes_on
    return (f"This survey closed on {formats.date_long(ended)}. It takes no more answers; "
            "the answers you gave are kept.")


# Fieldwork -----------------------------------------------------------------------------------

def fieldwork(trial: Trial, waves: dict[str, Wave], open_wave_form: OpenWaveForm | None) -> dict:
    """The trial page's waves (state, dates, what can be done) and response rates."""
    today = timezone.localdate()
    rows = []
    for kind, label in WAVES:
        wave = waves.get(kind)
        form = open_wave_form if open_wave_form and open_wave_form.prefix == kind else None
        rows.append({"kind": kind, "label": label, "wave": wave,
                     "state": wave_state(wave, today),
                     "accepting": wave is not None and wave.accepts_answers(today),
                     "closable": wave is not None and wave.is_open and not wave.closed_on,
                     "form": form or OpenWaveForm(prefix=kind)})
    asked = [(w.kind, label, w.arms) for kind, label in WAVES if (w := waves.get(kind))]
    people = [(p.pk, p.team.team_name, p.team.arm) for p in queries.practitioners_in(trial)]
    return {"wave_rows": rows,
            "rates": response_rates(people, queries.answered_by_wave(trial), asked)}


def wave_state(wave: Wave | None, today: date) -> str:
    if wave is None or not wave.is_open:
        return "Not open"
    arms = " and ".join(wave.arms)
    if wave.closed_on:
        return f"Closed on {formats.date_long(wave.closed_on)}"
    if wave.closes_on and wave.closes_on < today:
        return f"Closed on {formats.date_long(wave.closes_on)}, its closing date"
    until = (f"until {formats.date_long(wave.closes_on)}" if wave.closes_on
             else "until you close it")
    if wave.opens_on and wave.opens_on > today:
        return f"Opens to {arms} on {formats.date_long(wave.opens_on)}, {until}"
    return f"Open to {arms} {until}"


@dataclass(frozen=True)
class Rate:
    answered: int
    asked: int

    @property
    def pct(self) -> float | None:
        return 100 * self.answered / self.asked if self.asked else None

    def __str__(self) -> str:
        pct = "–" if self.pct is None else f"{self.pct:.0f}%"
        return f"{self.answered} of {self.asked} ({pct})"


def response_rates(people: list[tuple[int, str, str]], answered: set[tuple[int, str]],
                   waves: list[tuple[str, str, list[str]]]) -> dict:
    """Response rates by team, by arm and by wave. `people` are (id, team, arm) of everyone in
    the trial; `answered` the (id, wave) of those who answered anything in a wave; `waves` the
    (kind, label, arms asked) of each wave run. A wave's denominator is the practitioners in the
    arms it was asked of; a team or arm it was not asked of has None, not 0 of 0."""

    def rate(group: list[tuple[int, str, str]], kind: str, arms: list[str]) -> Rate | None:
        asked = [pk for pk, _, arm in group if arm in arms]
        if not asked:
            return None
        return Rate(sum((pk, kind) in answered for pk in asked), len(asked))

    def table(key: int) -> list[dict]:
        groups: dict[str, list] = {}
        for person in people:
            groups.setdefault(person[key], []).append(person)
        return [{"name": name, "arm": group[0][2],
                 "rates": [rate(group, kind, arms) for kind, _, arms in waves]}
                for name, group in sorted(groups.items(), key=lambda g: (g[1][0][2], g[0]))]

    return {"waves": [label for _, label, _ in waves], "by_team": table(1), "by_arm": table(2),
            "by_wave": [rate(people, kind, arms) for kind, _, arms in waves]}


def consent_state(consent: Consent | None) -> str:
    if consent is None:
        return "Not recorded"
    given = (f"Given {formats.date_long(consent.given_on)} (information sheet "
             f"{consent.information_sheet_version})")
    if consent.withdrawn_on:
        return f"Withdrawn {formats.date_long(consent.withdrawn_on)}; {given.lower()}"
    return given


def consent_page(trial: Trial) -> dict:
    """Practitioners (by pseudonym) and their consent to each activity."""
    consents = queries.consents_by_practitioner(trial)
    return {"trial": trial, "activities": [label for _, label in CONSENT_ACTIVITIES],
            "rows": [(p, [consent_state(consents.get(p.pk, {}).get(code))
                          for code, _ in CONSENT_ACTIVITIES])
                     for p in queries.practitioners_in(trial)]}


def practitioner_consent_page(respondent: TrialPractitioner, *,
                              consent_form: ConsentForm | None = None,
                              withdrawal_form: WithdrawalForm | None = None) -> dict:
    consents = queries.consents_by_practitioner(respondent.trial).get(respondent.pk, {})
    return {
        "trial": respondent.trial, "respondent": respondent,
        "states": [(label, consent_state(consents.get(code))) for code, label in
                   CONSENT_ACTIVITIES],
        "consent_form": consent_form or ConsentForm(),
        "withdrawal_form": withdrawal_form or WithdrawalForm(prefix="withdraw"),
        "can_withdraw": any(c.withdrawn_on is None for c in consents.values()),
    }


def retention(trial: Trial, form: RetentionForm | None) -> dict:
    """When the trial's research data are due to be erased, and whether they have been."""
    due = queries.retention_date(trial)
    if due is None:
        text = ("Not yet known: two years after the last survey wave closes, unless you set "
                "a date")
    else:
        text = formats.date_long(due) + ("" if trial.retention_date else
                                         " (two years after the last survey wave closed)")
    set_on = trial.retention_date
    return {"retention_text": text, "erasure": queries.erasure(trial),
            "retention_form": form or RetentionForm(initial={
                "retention_date": set_on, "was": set_on.isoformat() if set_on else ""})}


def refi_qda_page(trial: Trial, form) -> dict:
    """The page to exchange a trial's qualitative work with a qualitative tool."""
    counts = queries.qualitative_counts(trial)
    return {"trial": trial, "form": form, "counts": counts,
            "limit_mb": refi_qda.MAX_FILE // 2**20}


def _some(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def refi_qda_imported(done: refi_qda.Imported) -> str:
    """What an import did, in a sentence or few, with what it left out (the standard asks that
    the evaluator be told)."""
    parts = [f"{_some(done.themes_added, 'theme', 'themes')} added, "
             f"{done.themes_matched} already here"]
    if done.kind == "project":
        parts += [f"{_some(done.documents_added, 'document', 'documents')} added, "
                  f"{done.documents_matched} already here",
                  f"{_some(done.codings_added, 'coding', 'codings')} added, "
                  f"{done.codings_matched} already here"]
    text = f"{'Project' if done.kind == 'project' else 'Codebook'} imported: {'; '.join(parts)}."
    if done.codings_as_importer:
        text += (f" {_some(done.codings_as_importer, 'coding was', 'codings were')} made by "
                 "someone this service does not know, and recorded as yours.")
    if done.participants_not_found:
        text += (" No participant in this trial has the pseudonym "
                 f"{', '.join(sorted(set(done.participants_not_found)))}: those documents "
                 "belong to nobody yet.")
    if done.left_out:
        text += f" Left out, as a trial cannot hold them: {', '.join(done.left_out)}."
    return text
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
