"""Standard measures for practitioner surveys: working alliance, ProQOL compassion satisfaction,
and Weiner et al.'s acceptability, appropriateness and feasibility measures about the ORS and the
SRS. Pure Python, no Django.

Each measure's structure and scoring ship in definitions/*.json. Item wording ships only where
its licence allows (the `licence` field of each definition says why); elsewhere the labels are
neutral ones and the wording comes from the deployment's text pack, as for the ORS.
"""

from .model import Band, Subscale, SurveyItem, SurveyMeasure
from .registry import all_survey_measures, get_survey_measure, is_measure_item, measure_for_item
from .scoring import SurveyScore, score, score_all, scored_items

__all__ = [
    "Band",
    "Subscale",
    "SurveyItem",
    "SurveyMeasure",
    "SurveyScore",
    "all_survey_measures",
    "get_survey_measure",
    "is_measure_item",
    "measure_for_item",
    "score",
    "score_all",
    "scored_items",
]
