"""Checking a respondent's answers to a survey measure and scoring them.

A score is missing (None) unless every item it needs was answered, as the evaluation package
format requires: a part-answered measure is not scored from the items that were answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import ScoreError
from ..numbers import as_number, is_missing
from .model import SurveyItem, SurveyMeasure
from .registry import all_survey_measures, get_survey_measure

Answer = Decimal | int | float | str | None


@dataclass(frozen=True)
class SurveyScore:
    """The score of one measure for one respondent in one wave.

    total_or_mean is the sum or the mean, as the measure is scored; subscales are scored the same
    way over their own items, each missing unless all of its items were answered; band is the
    label of the band the score falls in, where the measure has bands.
    """

    total_or_mean: float | None
    subscales: dict[str, float | None] = field(default_factory=dict)
    band: str | None = None

    @property
    def missing(self) -> bool:
        return self.total_or_mean is None


def _check_answer(measure: SurveyMeasure, item: SurveyItem, value: Answer) -> Decimal | str:
    """The answer as a number on the scale, or a message saying what is wrong with it."""
    low, high = measure.scale_min, measure.scale_max
    expected = f"a whole number from {low} to {high}"
    name = measure.short_name[0].lower() + measure.short_name[1:]
    where = f"{item.key} (item {item.number} of {name})"
    number = as_number(value)
    if number is None:
        return f"{where} must be {expected}, not {value!r}"
    if number != number.to_integral_value() or not low <= number <= high:
        return f"{where} must be {expected}, not {value}"
    return Decimal(int(number))


def _reverse(measure: SurveyMeasure, value: Decimal) -> Decimal:
    # 8 - x on a 1-7 scale, 6 - x on a 1-5 scale.
    return measure.scale_min + measure.scale_max - value


def _combine(measure: SurveyMeasure, values: list[Decimal]) -> float:
    total = sum(values, Decimal(0))
    return float(total if measure.scoring == "sum" else total / len(values))


def scored_items(
    measure: SurveyMeasure | str, answers: Mapping[str, Answer]
) -> dict[str, Decimal | None]:
    """Every item of the measure, checked, with reversed items already reversed; None where the
    item was not answered. Raises ScoreError (a ValueError) naming every item that is wrong."""
    if isinstance(measure, str):
        measure = get_survey_measure(measure)
    errors: dict[str, str] = {}
    for key in answers:
        if key not in measure.item_keys:
            errors[key] = f"{key} is not an item of {measure.name} ({measure.code})"
    values: dict[str, Decimal | None] = {}
    for item in measure.items:
        value = answers.get(item.key)
        if is_missing(value):
            values[item.key] = None
            continue
        checked = _check_answer(measure, item, value)
        if isinstance(checked, str):
            errors[item.key] = checked
        else:
            values[item.key] = _reverse(measure, checked) if item.reversed else checked
    if errors:
        raise ScoreError(errors)
    return values


def score(measure: SurveyMeasure | str, answers: Mapping[str, Answer]) -> SurveyScore:
    """Score one respondent's answers to one measure (given as a SurveyMeasure or its code).

    answers maps item names (wai_1 ...) to numbers; None, a blank string or a left-out item means
    not answered. An answer that is not a whole number on the scale, or a name that is not an item
    of the measure, raises ScoreError (a ValueError) naming the item.
    """
    if isinstance(measure, str):
        measure = get_survey_measure(measure)
    values = scored_items(measure, answers)

    def combined(keys: tuple[str, ...]) -> float | None:
        chosen = [values[key] for key in keys]
        if any(value is None for value in chosen):
            return None
        return _combine(measure, chosen)

    total_or_mean = combined(measure.item_keys)
    return SurveyScore(
        total_or_mean=total_or_mean,
        subscales={subscale.code: combined(subscale.items) for subscale in measure.subscales},
        band=measure.band_for(total_or_mean),
    )


def score_all(answers: Mapping[str, Answer]) -> dict[str, SurveyScore]:
    """Score every standard measure from one respondent's answers in one wave, keyed by measure
    code. Keys that are not standard measure items (custom questions) are ignored; a measure with
    no answers at all is scored as missing."""
    scores = {}
    for measure in all_survey_measures():
        own = {key: value for key, value in answers.items() if key in measure.item_keys}
        scores[measure.code] = score(measure, own)
    return scores
