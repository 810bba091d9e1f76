"""The report as numbered sections, tables and figures, from what reading.read gathered: human
labels (team names, "95% CI"), numbers formatted as the pilot report prints them, each chart with
its table beside it, ceiling effects flagged where they are. Never queries the database.

Which research question each table answers follows the pilot report (the seed): data collection
and responses in the methods; frequency of use and use by month under 1.1 (fidelity); training
and use by role and reach under the question on reach (1.4 in research_questions.DEFAULTS);
family engagement under 1.5 (responsiveness); the outcome measures under 2.1 (potential impacts);
every Likert question as a stacked bar in the appendices, one appendix a wave. Tables are numbered
in the order they appear (2.x in the methods, 3.x in the findings), figures likewise."""

from __future__ import annotations

from collections import defaultdict

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from familyfeedback.accounts.models import JobTitle
from familyfeedback.evaluation.analysis import ceiling_flags
from familyfeedback.evaluation.models import DOCUMENT_KINDS, WAVES
from familyfeedback.evaluation.randomisation import ARMS
from familyfeedback.implementation.dashboard import month_name
from familyfeedback.lib.barchart import bar_chart
from familyfeedback.lib.stackedbar import stacked_bars
from familyfeedback.measures.surveys import get_survey_measure

WAVE_NAMES = dict(WAVES)
ROLE_NAMES = dict(JobTitle.choices)
KIND_NAMES = dict(DOCUMENT_KINDS)
DIMENSIONS = ("Evidence of feasibility", "Evidence of promise", "Readiness for trial")
# The custom questions the pilot report tabulates, by the codes of the format's example package
# (docs/formats/example-package/questions.csv); any other Likert question is in the appendices.
FREQUENCY = {"freq_ors": "ORS", "freq_srs": "SRS"}
ENGAGEMENT = "engagement"
# Research questions (by number, as research_questions.DEFAULTS numbers them) and what answers
# each from the data.
FIDELITY, REACH, RESPONSIVENESS, IMPACTS, NEXT = "1.1", "1.4", "1.5", "2.1", "3.6"
OUTCOMES = ("wai", "proqol_cs")
_markdown = MarkdownIt("commonmark", {"html": False})


def rendered(text: str) -> Markup:
    """The evaluator's Markdown as HTML: raw HTML in it is shown as text (html False), and
    what the renderer makes is sanitised again, so no script or style can get through."""
    if not text.strip():
        return Markup("")
    return Markup(nh3.clean(_markdown.render(text)))  # nosec B704


def number(value: float | None, places: int = 1) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "–"


def p_value(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def arm_name(arm: str | None) -> str:
    return arm.capitalize() if arm else "Not randomised"


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role.replace("_", " ").capitalize())


def quote_by(quote: dict) -> str:
    """Who said it, as the report attributes a quote: role and arm, and where it was said."""
    who = role_name(quote["role"]) if quote["role"] else "Practitioner"
    where = KIND_NAMES[quote["kind"]].lower()
    if quote["kind"] == "open_text" and quote["wave"]:
        where = f"{WAVE_NAMES[quote['wave']].lower()} survey"
    arm = f", {quote['arm']} arm" if quote["arm"] else ""
    return f"{who}{arm}, {where}"


class Numbering:
    """Numbers tables and figures in the order they are placed."""

    def __init__(self):
        self.counts: dict[tuple[str, str], int] = defaultdict(int)

    def next(self, kind: str, chapter: str) -> str:
        self.counts[(kind, chapter)] += 1
        return f"{chapter}.{self.counts[(kind, chapter)]}"


def table(numbering: Numbering, chapter: str, caption: str, columns: list[str],
          rows: list[list], *, first_numeric: int = 1, note: str = "") -> dict:
    label = numbering.next("table", chapter)
    return {"kind": "table", "id": "table-" + label.replace(".", "-"),
            "label": f"Table {label}", "caption": caption, "columns": columns[:first_numeric],
            "numeric": columns[first_numeric:], "rows": rows, "first_numeric": first_numeric,
            "note": note}


def figure(numbering: Numbering, chapter: str, caption: str, chart, chart_kind: str,
           columns: list[str], rows: list[list], *, first_numeric: int = 1) -> dict:
    label = numbering.next("figure", chapter)
    return {"kind": "figure", "id": "figure-" + label.replace(".", "-"),
            "label": f"Figure {label}", "caption": caption, "chart": chart,
            "chart_kind": chart_kind,
            "table": {"caption": f"The data of figure {label}", "columns": columns[:first_numeric],
                      "numeric": columns[first_numeric:], "rows": rows,
                      "first_numeric": first_numeric, "note": ""}}


# ---------------------------------------------------------------------------------------------
# The methods: the sample, the randomisation, the waves.


def _asked(data: dict) -> dict[str, set[str]]:
    """{arm: the waves asked of it}, as the analysis decides (someone in the arm answered)."""
    asked: dict[str, set[str]] = defaultdict(set)
    for row in data["analysis"]["response_rates"]:
        asked[row["arm"]].add(row["wave"])
    return asked


def _responses(data: dict) -> dict[tuple[str, str], int]:
    return {(r["team_id"], r["wave"]): r["responses"] for r in data["analysis"]["response_rates"]}


def _by_arm(teams: list[dict]) -> list[tuple[str | None, list[dict]]]:
    groups = [(arm, [t for t in teams if t["arm"] == arm]) for arm in (*ARMS, None)]
    return [(arm, members) for arm, members in groups if members]


def data_collection_table(data: dict, numbering: Numbering) -> dict:
    asked, responses = _asked(data), _responses(data)

    def survey(team: dict, wave: str) -> str:
        if wave not in asked[team["arm"]]:
            return "Not asked"
        return "Yes" if responses.get((team["code"], wave)) else "No"

    rows = [[arm_name(t["arm"]), t["name"], survey(t, "baseline"),
             "Yes" if t["trained"] else "No", "Yes" if t["used_tools"] else "No",
             survey(t, "post_training"), survey(t, "endline"),
             "Yes" if t["interviewed"] else "No"]
            for _, members in _by_arm(data["teams"]) for t in members]
    return table(numbering, "2", "Data collection activities by team",
                 ["Arm", "Team", "Baseline survey", "Received training", "Used the tools",
                  "Post-training survey", "Endline survey", "Interview"], rows, first_numeric=8)


def _rate(answered: int, of: int) -> str:
    return f"{answered} of {of} ({pct(answered, of)}%)" if of else f"{answered}"


def response_table(data: dict, numbering: Numbering) -> dict:
    asked, responses = _asked(data), _responses(data)
    rows = []
    for arm, members in _by_arm(data["teams"]):
        totals = defaultdict(int)
        for t in members:
            cells = []
            for wave, _ in WAVES:
                answered = responses.get((t["code"], wave), 0)
                totals[wave] += answered
                cells.append(_rate(answered, t["practitioners"])
                             if wave in asked[arm] else "–")
            rows.append([arm_name(arm), t["name"], t["practitioners"], *cells])
        everyone = sum(t["practitioners"] for t in members)
        rows.append([arm_name(arm), "Total", everyone,
                     *[_rate(totals[w], everyone) if w in asked[arm] else "–" for w, _ in WAVES]])
    return table(numbering, "2", "Survey responses by team and wave: practitioners who answered, "
                 "of those in the team", ["Arm", "Team", "Practitioners",
                                           *[name for _, name in WAVES]], rows,
                 first_numeric=2, note="– : the wave was not asked of the arm.")


def methods(data: dict) -> list[str]:
    """The methods summary, in sentences drawn from the data."""
    teams = data["teams"]
    units = defaultdict(list)
    for t in teams:
        units[t["unit"]].append(t["name"])
    shared = [" and ".join(names) for names in units.values() if len(names) > 1]
    people = sum(t["practitioners"] for t in teams)
    said = [f"The trial had {len(teams)} teams with {people} practitioners, in {len(units)} "
            "randomisation units" + (f" ({'; '.join(shared)} were randomised together as one "
                                     "unit)" if shared else "") + "."]
    for arm, members in _by_arm(teams):
        said.append(f"{arm_name(arm)} arm: {len(members)} teams "
                    f"({', '.join(t['name'] for t in members)}), "
                    f"{sum(t['practitioners'] for t in members)} practitioners.")
    allocation = data["allocation"]
    if allocation:
        said.append(f"Units were allocated by {allocation['method']} randomisation in the ratio "
                    f"{allocation['ratio']} with seed {allocation['seed']}; the SHA-256 digest of "
                    f"the allocation list is {allocation['digest']}.")
    elif any(t["arm"] for t in teams):
        said.append("The arms came with the imported data: the allocation was not made in "
                    "Family Feedback, so its seed and digest are not recorded here.")
    else:
        said.append("The units have not been randomised yet.")
    asked, responses = _asked(data), _responses(data)
    for wave, name in WAVES:
        arms = [a for a in ARMS if wave in asked[a]]
        if not arms:
            continue
        members = [t for t in teams if t["arm"] in arms]
        of = sum(t["practitioners"] for t in members)
        answered = sum(responses.get((t["code"], wave), 0) for t in members)
        said.append(f"{name} survey ({' and '.join(arms)} arm{'s' if len(arms) > 1 else ''}): "
                    f"{answered} of {of} practitioners answered ({pct(answered, of)}%).")
    records = sum(r["completions"] for r in data["analysis"]["usage_by_month"])
    said.append(f"Admin data: ORS and SRS completed {records} times. Qualitative data: "
                f"interview transcripts {data['interviews']}, observation notes "
                f"{data['observations']}.")
    said.append("Intention to treat: every practitioner counts in the arm of their team, "
                "whether or not they were trained, used the tools or answered every wave.")
    return said


# ---------------------------------------------------------------------------------------------
# The tables and figures that answer a research question.


def _question_rows(data: dict, code: str) -> dict | None:
    """The answers to one custom question, over the arms it was asked of, or None if nobody
    answered it."""
    rows = [r for r in data["analysis"]["questions"] if r["question_id"] == code and r["n"]]
    if not rows:
        return None
    n = sum(r["n"] for r in rows)
    counts = {c["option"]: 0 for c in rows[0]["counts"]}
    for r in rows:
        for c in r["counts"]:
            counts[c["option"]] += c["n"]
    return {"n": n, "counts": counts}


def frequency_table(data: dict, numbering: Numbering) -> dict | None:
    found = {tool: _question_rows(data, code) for code, tool in FREQUENCY.items()}
    found = {tool: rows for tool, rows in found.items() if rows}
    if not found:
        return None
    options = list(next(iter(found.values()))["counts"])
    rows = [[option, *[cell for r in found.values()
                       for cell in (r["counts"].get(option, 0), pct(r["counts"].get(option, 0),
                                                                    r["n"]))]]
            for option in options]
    return table(numbering, "3", "Frequency of use of the ORS and SRS: practitioners' answers "
                 "in the endline survey", ["How often",
                                           *[f"{tool} {part}" for tool in found
                                             for part in ("practitioners", "%")]], rows,
                 note="n = " + ", ".join(f"{tool} {r['n']}" for tool, r in found.items()) + ".")


def usage_figure(data: dict, numbering: Numbering) -> dict | None:
    usage = data["analysis"]["usage_by_month"]
    if not usage:
        return None
    months = sorted({r["month"] for r in usage})
    by = {(r["month"], r["measure"]): r for r in usage}

    def get(month, tool, field):
        return by.get((month, tool), {}).get(field, 0)

    chart = bar_chart([month_name(m) for m in months], ["ORS", "SRS"],
                      [[get(m, "ORS", "completions"), get(m, "SRS", "completions")]
                       for m in months])
    rows = [[month_name(m), get(m, "ORS", "completions"), get(m, "ORS", "practitioners"),
             get(m, "SRS", "completions"), get(m, "SRS", "practitioners")] for m in months]
    return figure(numbering, "3", "Use of the ORS and SRS by month", chart, "bars",
                  ["Month", "ORS completed", "Practitioners using the ORS", "SRS completed",
                   "Practitioners using the SRS"], rows)


def training_table(data: dict, numbering: Numbering) -> dict | None:
    rows = data["analysis"]["training_by_role"]
    if not rows:
        return None
    columns = [role_name(r["role"]) for r in rows]
    attended = [r["attended"] for r in rows]
    used = [r["used_tools"] for r in rows]
    return table(numbering, "3", "Practitioners in the intervention arm who attended the "
                 "training and used the ORS and SRS, by role",
                 ["Number of practitioners", *columns, "Total"],
                 [["In the intervention arm", *[r["practitioners"] for r in rows],
                   sum(r["practitioners"] for r in rows)],
                  ["Attended the training", *attended, sum(attended)],
                  ["Used the ORS and SRS", *used, sum(used)]],
                 note="Used: at least one completed ORS or SRS in the admin data.")


def reach_figure(data: dict, numbering: Numbering) -> dict | None:
    reach = {(r["measure"], r["person_group"]): r["people"] for r in data["analysis"]["reach"]}
    if not reach:
        return None
    per_person = {r["measure"]: r for r in data["analysis"]["completions_per_person"]}
    tools = sorted({tool for tool, _ in reach})
    chart = bar_chart(tools, ["Children", "Adults"],
                      [[reach.get((t, "child"), 0), reach.get((t, "adult"), 0)] for t in tools])
    rows = [[t, reach.get((t, "child"), 0), reach.get((t, "adult"), 0),
             number(per_person[t]["mean"]) if t in per_person else "–",
             f"{per_person[t]['min']} to {per_person[t]['max']}" if t in per_person else "–"]
            for t in tools]
    return figure(numbering, "3", "Children and adults who completed the ORS and SRS", chart,
                  "bars", ["Tool", "Children", "Adults", "Mean completions per person",
                           "Completions per person (range)"], rows)


def engagement_table(data: dict, numbering: Numbering) -> dict | None:
    found = _question_rows(data, ENGAGEMENT)
    if found is None:
        return None
    rows = [[option, n, pct(n, found["n"])] for option, n in found["counts"].items()]
    return table(numbering, "3", "How engaged practitioners reported families were when using "
                 "the ORS and SRS", ["Engagement", "Number of practitioners",
                                     "Proportion of practitioners (%)"], rows,
                 note=f"n = {found['n']}.")


def _scale(data: dict, code: str, arm: str, wave: str) -> dict | None:
    for row in data["analysis"]["scales"]:
        if (row["measure"], row["arm"], row["wave"]) == (code, arm, wave):
            return row
    return None


def _mean_sd(row: dict | None) -> str:
    if row is None or not row["n"]:
        return "–"
    return f"{number(row['mean'])} ({number(row['sd'])}), n = {row['n']}"


def _arm_waves(data: dict, code: str) -> list[tuple[str, str]]:
    return [(arm, wave) for arm in ARMS for wave in ("baseline", "endline")
            if _scale(data, code, arm, wave)]


def alliance_table(data: dict, numbering: Numbering) -> dict | None:
    measure = get_survey_measure("wai")
    columns = _arm_waves(data, "wai")
    if not columns:
        return None
    subs = {(r["subscale"], r["arm"], r["wave"]): r for r in data["subscales"]
            if r["measure"] == "wai"}
    rows = [[f"{s.name} (out of {s.possible_max:g})",
             *[_mean_sd(subs.get((s.code, arm, wave))) for arm, wave in columns]]
            for s in measure.subscales]
    rows.append([f"Total (out of {measure.possible_max:g})",
                 *[_mean_sd(_scale(data, "wai", arm, wave)) for arm, wave in columns]])
    return table(numbering, "3", f"{measure.name}: mean (SD) by domain, arm and wave",
                 ["Domain", *[f"{arm_name(arm)}, {WAVE_NAMES[wave].lower()}"
                              for arm, wave in columns]], rows)


def compassion_table(data: dict, numbering: Numbering) -> dict | None:
    measure = get_survey_measure("proqol_cs")
    columns = _arm_waves(data, "proqol_cs")
    if not columns:
        return None
    rows = []
    for arm, wave in columns:
        row = _scale(data, "proqol_cs", arm, wave)
        rows.append([arm_name(arm), WAVE_NAMES[wave], row["n"], number(row["mean"]),
                     number(row["sd"]), measure.band_for(row["mean"]) or "–"])
    return table(numbering, "3", f"{measure.name}: scores by arm and wave",
                 ["Arm", "Wave", "n", "Mean", "SD", "Band of the mean"], rows, first_numeric=2,
                 note=f"Possible scores {measure.possible_min:g} to {measure.possible_max:g}.")


def _change_cells(r: dict) -> list:
    return [f"{number(r['ci_low'], 2)} to {number(r['ci_high'], 2)}",
            "–" if r["t"] is None else f"t({r['df']}) = {r['t']:.2f}", p_value(r["p"])]


def change_table(data: dict, numbering: Numbering) -> dict | None:
    within = {(r["measure"], r["arm"]): r for r in data["analysis"]["within_arm_change"]}
    between = {r["measure"]: r for r in data["analysis"]["between_arm_change"]}
    rows = []
    for code in OUTCOMES:
        name = get_survey_measure(code).short_name
        for arm in ARMS:
            r = within.get((code, arm))
            if r:
                rows.append([name, arm_name(arm), r["n_pairs"], number(r["mean_change"], 2),
                             *_change_cells(r)])
        r = between.get(code)
        if r:
            # The difference in mean change is what the between-arms t-test and its CI are of.
            changes = [within[(code, arm)]["mean_change"] for arm in ARMS]
            difference = None if None in changes else changes[0] - changes[1]
            rows.append([name, "Intervention minus comparison",
                         r["n_intervention"] + r["n_comparison"], number(difference, 2),
                         *_change_cells(r)])
    if not rows:
        return None
    return table(numbering, "3", "Change from baseline to endline: within each arm (paired "
                 "t-test) and between arms (t-test on the changes)",
                 ["Measure", "Arm", "n", "Mean change", "95% CI", "t", "p"], rows,
                 first_numeric=2, note="Only practitioners who answered at both baseline and "
                 "endline count in a change.")


def _section_items(number_: str, data: dict, numbering: Numbering) -> list[dict]:
    makers = {
        FIDELITY: (frequency_table, usage_figure),
        REACH: (training_table, reach_figure),
        RESPONSIVENESS: (engagement_table,),
        IMPACTS: (alliance_table, compassion_table, change_table),
        NEXT: (next_trial_table,),
    }.get(number_, ())
    return [item for item in (make(data, numbering) for make in makers) if item]


def _flags(number_: str, data: dict) -> list[str]:
    if number_ != IMPACTS:
        return []
    return [f["text"] for f in ceiling_flags(data["analysis"]) if f["measure"] in OUTCOMES]


SCENARIO_NAMES = {"low": "lower end", "estimate": "estimate", "high": "upper end",
                  "weakest": "weakest", "strongest": "strongest"}


def next_trial_table(data: dict, numbering: Numbering) -> dict | None:
    """Section 3.6 from the data: the teams the next trial needs at the pilot's ICC and
    baseline-endline correlation and at their intervals' ends (next_trial.recommend)."""
    plan = data["next_trial"]
    if not plan["scenarios"]:
        return None
    icc, r = plan["icc"], plan["correlation"]
    pct = f"{plan['confidence']:.0%}"
    estimates = (f"Estimated from this pilot's {plan['measure_name'].lower()} scores: ICC "
                 f"{icc['estimate']:.2f} ({pct} CI {icc['ci_low']:.2f} to {icc['ci_high']:.2f}) "
                 f"at baseline over {plan['clusters']} units and {plan['people']} "
                 "practitioners")
    if r["ci_low"] is not None:
        estimates += (f"; baseline-endline correlation r = {r['estimate']:.2f} ({pct} CI "
                      f"{r['ci_low']:.2f} to {r['ci_high']:.2f}, {r['n_pairs']} practitioners)")
    rows = [[f"{SCENARIO_NAMES[s['icc_at']]} ({s['icc']:.2f})",
             "not adjusted" if s["correlation_at"] is None
             else f"{SCENARIO_NAMES[s['correlation_at']]} ({s['correlation']:.2f})",
             s["clusters_per_arm"], s["teams"]] for s in plan["scenarios"]]
    return table(numbering, "3",
                 f"Teams the next trial needs to detect an effect of {plan['effect']:g} SD on "
                 f"{plan['measure_name'].lower()} ({plan['power']:.0%} power, "
                 f"{plan['alpha']:.0%} two-sided), with {number(plan['per_cluster'])} "
                 "practitioners a team",
                 ["ICC", "Baseline-endline correlation", "Teams per arm", "Teams in all"], rows,
                 first_numeric=2, note=estimates + ".")


# ---------------------------------------------------------------------------------------------
# The appendices: every Likert question as a stacked bar, one appendix a wave.


def likert_appendices(data: dict, numbering: Numbering) -> list[dict]:
    by_wave = defaultdict(list)
    texts = {q["code"]: q["text"] for q in data["custom_questions"]}
    kinds = {q["code"]: q["kind"] for q in data["custom_questions"]}
    for row in data["analysis"]["questions"]:
        if kinds.get(row["question_id"]) == "likert" and row["n"]:
            by_wave[row["wave"]].append(row)
    appendices = []
    for wave, name in WAVES:
        rows = by_wave.get(wave)
        if not rows:
            continue
        letter = chr(ord("A") + len(appendices))
        items = []
        for code in dict.fromkeys(r["question_id"] for r in rows):
            mine = [r for r in rows if r["question_id"] == code]
            options = [c["option"] for c in mine[0]["counts"]]
            labels = [f"{arm_name(r['arm'])} arm (n = {r['n']})" for r in mine]
            chart = stacked_bars(labels, options, [[c["pct"] for c in r["counts"]] for r in mine])
            items.append(figure(numbering, letter, texts[code], chart, "stacked",
                                ["Arm", *[f"{o} (%)" for o in options]],
                                [[f"{arm_name(r['arm'])} (n = {r['n']})",
                                  *[f"{c['n']} ({number(c['pct'])}%)" for c in r["counts"]]]
                                 for r in mine]))
        appendices.append({"id": f"appendix-{letter.lower()}", "letter": letter,
                           "title": f"Answers to the Likert questions of the {name.lower()} "
                                    "survey", "parts": items})
    return appendices


# ---------------------------------------------------------------------------------------------
# The report.


def build(data: dict) -> dict:
    """The report's context. Section 3.6 (the next evaluation) has the evaluator's text and the
    next trial's size worked out from this pilot (next_trial.recommend)."""
    numbering = Numbering()
    methods_tables = [data_collection_table(data, numbering), response_table(data, numbering)]
    chapters = []
    for dimension in dict.fromkeys([*DIMENSIONS, *[q["dimension"]
                                                   for q in data["research_questions"]]]):
        sections = []
        for q in data["research_questions"]:
            if q["dimension"] != dimension:
                continue
            sections.append({
                "id": "rq-" + q["number"].replace(".", "-"), "number": q["number"],
                "text": q["text"], "finding": rendered(q["finding"]),
                "quotes": [{"text": quote["text"], "by": quote_by(quote)}
                           for quote in q["quotes"]],
                "parts": _section_items(q["number"], data, numbering),
                "flags": _flags(q["number"], data),
                "notes": data["next_trial"]["notes"] if q["number"] == NEXT else [],
            })
        if sections:
            chapters.append({"id": "chapter-" + str(len(chapters) + 1), "title": dimension,
                             "sections": sections})
    appendices = likert_appendices(data, numbering)
    return {
        "trial_name": data["trial"], "digest": data["digest"], "software": data["software"],
        "methods": methods(data), "methods_tables": methods_tables,
        "limitations": rendered(data["limitations"]),
        "ceiling": [f["text"] for f in ceiling_flags(data["analysis"])],
        "chapters": chapters, "appendices": appendices,
    }
