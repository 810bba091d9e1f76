"""Everything the report says about a trial, read once into plain values (str, int, float, None,
lists and dicts), so that the presenter never queries and the digest can be taken of exactly what
the report shows."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from importlib import metadata

from familyfeedback.evaluation import analysis, next_trial
from familyfeedback.evaluation.models import Coding, Finding, Quote, ResearchQuestion, Trial
from familyfeedback.implementation.figures import COMPLETED

PACKAGE = "family-feedback"


def software_version() -> str:
    """The version of Family Feedback the report was made by (the installed package's)."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _teams(trial: Trial) -> list[dict]:
    practitioners = defaultdict(int)
    for team in trial.practitioners.values_list("team__team_code", flat=True):
        practitioners[team] += 1
    trained = set(trial.training.filter(attended=True)
                  .values_list("practitioner__team__team_code", flat=True).distinct())
    used = set(trial.admin_records.filter(status=COMPLETED)
               .values_list("practitioner__team__team_code", flat=True).distinct())
    interviewed = set(trial.documents.filter(kind="interview", participant__isnull=False)
                      .values_list("participant__team__team_code", flat=True).distinct())
    return [{"code": t.team_code, "name": t.team_name, "unit": t.unit, "arm": t.arm or None,
             "practitioners": practitioners[t.team_code], "trained": t.team_code in trained,
             "used_tools": t.team_code in used, "interviewed": t.team_code in interviewed}
            for t in trial.teams.order_by("team_code")]


def _allocation(trial: Trial) -> dict | None:
    allocation = getattr(trial, "allocation", None)
    if allocation is None:
        return None
    return {"method": allocation.method, "seed": allocation.seed, "ratio": allocation.ratio,
            "digest": allocation.digest, "units": len(allocation.assignments)}


def quote_of(coding: Coding) -> dict:
    """A coded passage as the report quotes it: its words and who said it, by role and arm,
    never by name or pseudonym."""
    document, participant = coding.document, coding.document.participant
    return {"coding": coding.pk, "text": document.text[coding.start:coding.end].strip(),
            "theme": coding.theme.name, "kind": document.kind, "wave": document.wave or None,
            "role": participant.role if participant else None,
            "arm": (participant.team.arm or None) if participant else None}


def _questions(trial: Trial) -> list[dict]:
    findings = {f.question_id: f.text for f in trial.findings.all()}
    quotes = defaultdict(list)
    for quote in (Quote.objects.filter(question__trial=trial)
                  .select_related("coding__document__participant__team", "coding__theme")
                  .order_by("question_id", "position", "id")):
        quotes[quote.question_id].append(quote_of(quote.coding))
    return [{"number": q.number, "dimension": q.dimension, "text": q.text,
             "finding": findings.get(q.pk, ""), "quotes": quotes[q.pk]}
            for q in ResearchQuestion.objects.filter(trial=trial).order_by("id")]


def _custom_questions(trial: Trial) -> list[dict]:
    return [{"code": q.question_code, "wave": q.wave, "text": q.text, "kind": q.kind,
             "options": q.options} for q in trial.custom_questions.order_by("id")]


def read(trial: Trial) -> dict:
    """The report's data, with `digest` (SHA-256 of the rest, as canonical JSON) and `software`:
    two reports with the same digest and version are the same report."""
    figures = analysis.report(trial)
    data = {
        "trial": trial.name,
        "protocol_note": trial.protocol_note,
        "analysis": figures,
        "subscales": analysis.subscales(trial),
        "teams": _teams(trial),
        "allocation": _allocation(trial),
        "custom_questions": _custom_questions(trial),
        "research_questions": _questions(trial),
        "limitations": Finding.objects.filter(trial=trial, question=None)
        .values_list("text", flat=True).first() or "",
        "interviews": trial.documents.filter(kind="interview").count(),
        "observations": trial.documents.filter(kind="observation").count(),
        "next_trial": next_trial.recommend(trial),
    }
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return {**data, "digest": hashlib.sha256(canonical.encode()).hexdigest(),
            "software": software_version()}
