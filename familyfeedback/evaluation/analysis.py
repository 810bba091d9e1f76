"""The analysis of a trial, exactly as the evaluation package format defines it
(docs/formats/evaluation-package.md, "The analysis the system returns"): `report(trial)` is
the object `evaluation_report --format json` prints and the trial's analysis page shows as tables.

Nothing is counted twice in the code base: usage, reach and completions per person are
implementation.figures on the trial's AdminRecords (the same functions as the managers'
dashboards); who attended the training and Table 3.2 are implementation.training; scoring is
measures.surveys; every statistic is familyfeedback.stats.

Intention to treat: a practitioner counts in the arm of their team, whether or not they were
trained, used the tools or answered every wave.

Decisions the format leaves open (documented here and in the command's help):

* Sorting. Every list is sorted by the VALUES of its leading keys, in the order the format lists
  the keys, as plain strings and numbers (so waves sort baseline, endline, post_training; arms
  comparison, intervention; roles alphabetically; person_group adult, child). A missing value
  (null, e.g. the arm of a team not yet randomised) sorts first.
* Missing statistics are null, never NaN: a mean needs n >= 1; an SD, a t-test, a CI, d_z, d and
  g need n >= 2 per group and some variance (paired: in the changes; between arms: in at least one
  arm); a percentage needs n >= 1. A paired test with n_pairs >= 2 but every change equal keeps
  its df (n_pairs - 1) and sd_change 0 with t, p, CI and d_z null.
* Which rows appear. The analysis reads only what a package carries, so a trial run here and the
  package it exports give the same analysis: a wave "was asked of an arm" when anyone in that arm
  answered anything in that wave. response_rates has a row for every team and every wave asked
  of its arm, with 0 where nobody in the team answered. scales has a row for each measure, arm
  and wave where anyone in the arm answered any of its items; n may be 0 there (everyone
  part-answered). within_arm_change has a row for each measure and arm with a
  scales row at both baseline and endline; between_arm_change a row for each measure with a
  within_arm_change row in both arms. questions has a row for each likert or choice question and
  each arm its wave was asked of.
* Only the two arms are analysed by arm; a team not yet randomised (blank arm) appears only in
  response_rates, with arm null.
* A blank answer is no answer. An answer to a likert or choice question that is not one of its
  options (the importer refuses these) is not counted, so counts always add up to n.
* Student's df is an integer (n_intervention + n_comparison - 2); Welch's df is a real number.
* Withdrawal (models.Consent). A practitioner who withdrew from `surveys` is left out of every
  survey figure (their answers are not read, so they are not in response_rates' counts, the
  scales or the questions, nor in what a wave "was asked of"); one who withdrew from
  `admin_data` has their ORS/SRS records left out of training_by_role's used_tools, usage,
  reach and completions. They stay in the trial's practitioners (training_by_role counts
  them), since that is the allocation's, not their data. The shape of the report is unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from familyfeedback.evaluation.models import AdminRecord, Trial
from familyfeedback.evaluation.queries import withdrawn
from familyfeedback.evaluation.randomisation import ARMS
from familyfeedback.implementation import figures, training
from familyfeedback.measures.surveys import get_survey_measure, score, scored_items
from familyfeedback.stats.descriptives import FLOOR_CEILING_PCT, descriptives, floor_ceiling
from familyfeedback.stats.reliability import cronbach_alpha
from familyfeedback.stats.ttests import independent_t, paired_t

# The measures the format reports, in its order (the JSON lists are sorted by value).
MEASURES = ("wai", "proqol_cs", "iam_ors", "iam_srs", "fim_ors", "fim_srs")
QUESTION_KINDS = ("likert", "choice")

# Each list's fields, in the order the format shows them, and how many lead the sort.
FIELDS: dict[str, tuple[str, ...]] = {
    "response_rates": ("team_id", "arm", "wave", "responses"),
    "scales": ("measure", "arm", "wave", "n", "mean", "sd", "min", "max", "pct_at_max",
               "pct_at_min"),
    "within_arm_change": ("measure", "arm", "n_pairs", "mean_change", "sd_change", "t", "df", "p",
                          "ci_low", "ci_high", "d_z"),
    "between_arm_change": ("measure", "n_intervention", "n_comparison", "t", "df", "p", "welch_t",
                           "welch_df", "welch_p", "d", "g", "ci_low", "ci_high"),
    "training_by_role": ("role", "practitioners", "attended", "used_tools"),
    "usage_by_month": ("month", "measure", "completions", "practitioners"),
    "reach": ("measure", "person_group", "people"),
    "completions_per_person": ("measure", "mean", "min", "max"),
    "questions": ("question_id", "wave", "arm", "n", "counts"),
}
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "response_rates": ("team_id", "arm", "wave"),
    "scales": ("measure", "arm", "wave"),
    "within_arm_change": ("measure", "arm"),
    "between_arm_change": ("measure",),
    "training_by_role": ("role",),
    "usage_by_month": ("month", "measure"),
    "reach": ("measure", "person_group"),
    "completions_per_person": ("measure",),
    "questions": ("question_id", "wave", "arm"),
}


def sort_key(row: dict, keys: Iterable[str]) -> tuple:
    """The order the format asks for: by each leading key's value in turn, null first."""
    return tuple((row[k] is not None, row[k] if row[k] is not None else "") for k in keys)


def _sorted(name: str, rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: sort_key(row, SORT_KEYS[name]))


class _Data:
    """One trial's practitioners and answers, read once."""

    def __init__(self, trial: Trial):
        self.trial = trial
        self.teams = list(trial.teams.order_by("team_code").values_list("team_code", "arm"))
        # practitioner code -> (team code, arm or None, role)
        self.people: dict[str, tuple[str, str | None, str]] = {
            pid: (team, arm or None, role)
            for pid, team, arm, role in trial.practitioners.values_list(
                "practitioner_code", "team__team_code", "team__arm", "role")}
        # (practitioner code, wave) -> {item: value}, blank answers left out
        self.answers: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        for pid, wave, item, value in trial.responses.exclude(
                respondent__practitioner_code__in=withdrawn(trial, "surveys")).values_list(
                "respondent__practitioner_code", "wave", "item", "value"):
            if value is not None and value.strip():
                self.answers[(pid, wave)][item] = value
        # (arm, wave) pairs a wave was asked of: where anyone in the arm answered.
        self.asked: set[tuple[str | None, str]] = {
            (self.arm(pid), wave) for pid, wave in self.answers}

    def arm(self, pid: str) -> str | None:
        return self.people[pid][1]


def _scores(data: _Data) -> tuple[dict[tuple[str, str, str], dict[str, float]], set]:
    """{(measure, arm, wave): {practitioner code: score}} over complete answers only, and the set of
    (measure, arm, wave) that anyone answered (scales rows, even with n = 0)."""
    scored: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    rows: set[tuple[str, str, str]] = set()
    for code in MEASURES:
        measure = get_survey_measure(code)
        keys = set(measure.item_keys)
        for (pid, wave), answers in data.answers.items():
            arm = data.arm(pid)
            own = {k: v for k, v in answers.items() if k in keys}
            if arm not in ARMS or not own:
                continue
            rows.add((code, arm, wave))
            # Missing unless every item was answered: score() says so.
            value = score(measure, own).total_or_mean
            if value is not None:
                scored[(code, arm, wave)][pid] = value
    return scored, rows


def _response_rates(data: _Data) -> list[dict]:
    respondents: dict[tuple[str, str], int] = defaultdict(int)
    for pid, wave in data.answers:
        respondents[(data.people[pid][0], wave)] += 1
    result = []
    for team, arm in data.teams:
        arm = arm or None
        for asked_arm, wave in data.asked:
            if asked_arm == arm:
                result.append({"team_id": team, "arm": arm, "wave": wave,
                               "responses": respondents[(team, wave)]})
    return _sorted("response_rates", result)


def _scales(scored: dict, rows: set) -> list[dict]:
    result = []
    for code, arm, wave in rows:
        measure = get_survey_measure(code)
        values = list(scored.get((code, arm, wave), {}).values())
        d = descriptives(values)
        fc = floor_ceiling(values, measure.possible_min, measure.possible_max)
        result.append({"measure": code, "arm": arm, "wave": wave, "n": d.n, "mean": d.mean,
                       "sd": d.sd, "min": d.min, "max": d.max, "pct_at_max": fc.pct_at_max,
                       "pct_at_min": fc.pct_at_min})
    return _sorted("scales", result)


def _changes(scored: dict, code: str, arm: str) -> tuple[list[float], list[float]]:
    """Baseline and endline scores of the respondents scored at both, paired by position."""
    before = scored.get((code, arm, "baseline"), {})
    after = scored.get((code, arm, "endline"), {})
    both = sorted(set(before) & set(after))
    return [before[p] for p in both], [after[p] for p in both]


def _within(scored: dict, rows: set) -> list[dict]:
    result = []
    for code, arm, wave in rows:
        if wave != "baseline" or (code, arm, "endline") not in rows:
            continue
        r = paired_t(*_changes(scored, code, arm))
        result.append({"measure": code, "arm": arm, "n_pairs": r.n_pairs,
                       "mean_change": r.mean_change, "sd_change": r.sd_change, "t": r.t,
                       "df": r.df, "p": r.p, "ci_low": r.ci_low, "ci_high": r.ci_high,
                       "d_z": r.d_z})
    return _sorted("within_arm_change", result)


def _between(scored: dict, within: list[dict]) -> list[dict]:
    arms_with_change: dict[str, set[str]] = defaultdict(set)
    for row in within:
        arms_with_change[row["measure"]].add(row["arm"])
    result = []
    for code, arms in arms_with_change.items():
        if arms != set(ARMS):
            continue
        change = {}
        for arm in ARMS:
            before, after = _changes(scored, code, arm)
            change[arm] = [a - b for b, a in zip(before, after, strict=True)]
        r = independent_t(change["intervention"], change["comparison"])
        result.append({"measure": code, "n_intervention": r.n_a, "n_comparison": r.n_b,
                       "t": r.t, "df": None if r.df is None else int(r.df), "p": r.p,
                       "welch_t": r.welch_t, "welch_df": r.welch_df, "welch_p": r.welch_p,
                       "d": r.d, "g": r.g, "ci_low": r.ci_low, "ci_high": r.ci_high})
    return _sorted("between_arm_change", result)


def _training_by_role(data: _Data, facts) -> list[dict]:
    register = [training.Attended(pid, kind, attended)
                for pid, kind, attended in data.trial.training.values_list(
                    "practitioner__practitioner_code", "event_type", "attended")]
    # used_tools gives the practitioner keys the records carry; map them to the trial's
    # practitioner ids through each record's practitioner.
    keys = figures.used_tools(facts)
    users = {pid for key, pid in facts.values_list("practitioner_key",
                                                   "practitioner__practitioner_code").distinct()
             if key in keys}
    intervention = [(pid, role) for pid, (_, arm, role) in data.people.items()
                    if arm == "intervention"]
    return _sorted("training_by_role",
                   training.by_role(intervention, training.trained(register), users))


def _questions(data: _Data) -> list[dict]:
    result = []
    for question_id, wave, options in data.trial.custom_questions.filter(
            kind__in=QUESTION_KINDS).values_list("question_code", "wave", "options"):
        for arm in ARMS:
            if (arm, wave) not in data.asked:
                continue
            chosen = [answers[question_id] for (pid, w), answers in data.answers.items()
                      if w == wave and data.arm(pid) == arm and question_id in answers
                      and answers[question_id] in options]
            n = len(chosen)
            result.append({"question_id": question_id, "wave": wave, "arm": arm, "n": n,
                           "counts": [{"option": option, "n": chosen.count(option),
                                       "pct": 100 * chosen.count(option) / n if n else None}
                                      for option in options]})
    return _sorted("questions", result)


def report(trial: Trial) -> dict[str, list[dict[str, Any]]]:
    """The analysis object of the evaluation package format: every key, every field, as it
    defines them. Plain JSON-ready values: str, int, float or None (never NaN)."""
    data = _Data(trial)
    scored, rows = _scores(data)
    within = _within(scored, rows)
    facts = AdminRecord.objects.filter(trial=trial).exclude(
        practitioner__practitioner_code__in=withdrawn(trial, "admin_data"))
    return {
        "response_rates": _response_rates(data),
        "scales": _scales(scored, rows),
        "within_arm_change": within,
        "between_arm_change": _between(scored, within),
        "training_by_role": _training_by_role(data, facts),
        "usage_by_month": _sorted("usage_by_month", figures.usage_by_month(facts)),
        "reach": _sorted("reach", figures.reach(facts)),
        "completions_per_person": _sorted(
            "completions_per_person",
            [{**row, "mean": float(row["mean"])} for row in figures.completions_per_person(facts)]),
        "questions": _questions(data),
    }


def ceiling_flags(analysis: dict) -> list[dict]:
    """Floor and ceiling effects in the scales of a report (Terwee et al. 2007: MORE than 15% of
    respondents at the lowest or highest possible score), for the analysis page; not part of
    the JSON. One row per scales row and effect: measure, arm, wave, effect ("floor" or
    "ceiling"), pct, and text (a sentence for the page). Sorted like scales, floor first."""
    flags = []
    for row in analysis["scales"]:
        for effect, field, end in (("floor", "pct_at_min", "lowest"),
                                   ("ceiling", "pct_at_max", "highest")):
            pct = row[field]
            if pct is not None and pct > FLOOR_CEILING_PCT:
                name = get_survey_measure(row["measure"]).short_name
                wave = row["wave"].replace("_", "-")
                text = (f"{effect.capitalize()} effect: {pct:.0f}% of the {row['arm']} arm had "
                        f"the {end} possible {name} score at {wave} (more than "
                        f"{FLOOR_CEILING_PCT}%).")
                flags.append({"measure": row["measure"], "arm": row["arm"], "wave": row["wave"],
                              "effect": effect, "pct": pct, "text": text})
    return flags


def reliability(trial: Trial) -> list[dict]:
    """Cronbach's alpha for each measure and wave, over respondents who answered every item (not
    part of the package's JSON; shown on the analysis page)."""
    data = _Data(trial)
    rows = []
    for code in MEASURES:
        measure = get_survey_measure(code)
        keys = set(measure.item_keys)
        by_wave: dict[str, list[list[float | None]]] = defaultdict(list)
        for (_, wave), answers in data.answers.items():
            own = {k: v for k, v in answers.items() if k in keys}
            if own:
                items = scored_items(measure, own)
                by_wave[wave].append([None if v is None else float(v) for v in items.values()])
        for wave, matrix in sorted(by_wave.items()):
            result = cronbach_alpha(matrix)
            rows.append({"measure": code, "wave": wave, "respondents": result.n_respondents,
                         "alpha": result.alpha})
    return rows


def practitioner_scores(trial: Trial, measure: str) -> list[dict]:
    """One measure's scores exactly as report() scores them (complete answers only, both arms),
    one row per practitioner and wave: practitioner, team, arm, wave, score. For the planning
    of the next trial (evaluation.next_trial), which needs who scored what in which team."""
    data = _Data(trial)
    scored, _ = _scores(data)
    return [{"practitioner": pid, "team": data.people[pid][0], "arm": arm, "wave": wave,
             "score": value}
            for (code, arm, wave), values in sorted(scored.items()) if code == measure
            for pid, value in sorted(values.items())]
def subscales(trial: Trial) -> list[dict]:
    """Each measure's subscales (the working alliance's goal, task and bond) by arm and wave, over
    respondents who answered every item of the subscale, for the report's tables (not part of the
    package's JSON): measure, subscale, arm, wave, n, mean, sd, pct_at_max. Sorted like scales,
    subscales in the measure's order."""
    data = _Data(trial)
    values: dict[tuple[str, str, str, str], list[float]] = defaultdict(list)
    for code in MEASURES:
        measure = get_survey_measure(code)
        keys = set(measure.item_keys)
        for (pid, wave), answers in data.answers.items():
            own = {k: v for k, v in answers.items() if k in keys}
            if data.arm(pid) not in ARMS or not own or not measure.subscales:
                continue
            for sub, value in score(measure, own).subscales.items():
                key = (code, sub, data.arm(pid), wave)
                values.setdefault(key, [])
                if value is not None:
                    values[key].append(value)
    rows = []
    for (code, sub, arm, wave), found in values.items():
        subscale = get_survey_measure(code).subscale(sub)
        d = descriptives(found)
        fc = floor_ceiling(found, float(subscale.possible_min), float(subscale.possible_max))
        rows.append({"measure": code, "subscale": sub, "arm": arm, "wave": wave, "n": d.n,
                     "mean": d.mean, "sd": d.sd, "pct_at_max": fc.pct_at_max})
    order = {(m, s.code): i for m in MEASURES for i, s in
             enumerate(get_survey_measure(m).subscales)}
    return sorted(rows, key=lambda r: (r["measure"], r["arm"], r["wave"],
                                       order[(r["measure"], r["subscale"])]))
