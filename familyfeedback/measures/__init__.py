"""Measure definitions and scoring for the ORS family: pure Python, no Django.

The structure and scoring of the measures are facts and ship here; their licensed wording does
not, and is loaded per deployment from a text pack (see TEXT_PACK.md).
"""

from .ages import WrongForm, age_on, turns, wrong_form
from .alerts import (
    DEFAULT_REVIEW_AFTER,
    DEFAULT_SESSION_DROP,
    Alert,
    AlertCode,
    Score,
    Summary,
    Tier,
    by_tier,
    outcome_alerts,
    points,
    session_alerts,
    summarise,
)
from .change import ChangeClass, classify_change, clinically_significant, direction
from .errors import ScoreError, UnknownMeasure
from .labels import LICENSED_WORDING_INCLUDED, NEUTRAL_WORDING_NOTICE, neutral_label
from .model import Cutoff, Face, Item, Measure, ReliableChange, Scale
from .registry import TOOLS, all_measures, get, measure_for
from .scoring import total, validate_face, validate_items
from .text_pack import (
    FALLBACK_LANGUAGE,
    ItemText,
    MeasureText,
    TextPack,
    TextPackError,
    parse_text_pack,
)
from .thresholds import STANDARDS, cutoff_for, reliable_change_for

__all__ = [
    "DEFAULT_REVIEW_AFTER",
    "DEFAULT_SESSION_DROP",
    "FALLBACK_LANGUAGE",
    "Tier",
    "by_tier",
    "points",
    "Alert",
    "AlertCode",
    "Score",
    "Summary",
    "LICENSED_WORDING_INCLUDED",
    "NEUTRAL_WORDING_NOTICE",
    "STANDARDS",
    "TOOLS",
    "ChangeClass",
    "Cutoff",
    "Face",
    "Item",
    "ItemText",
    "Measure",
    "MeasureText",
    "ReliableChange",
    "Scale",
    "ScoreError",
    "TextPack",
    "TextPackError",
    "UnknownMeasure",
    "WrongForm",
    "age_on",
    "turns",
    "wrong_form",
    "all_measures",
    "classify_change",
    "clinically_significant",
    "cutoff_for",
    "direction",
    "get",
    "measure_for",
    "neutral_label",
    "parse_text_pack",
    "reliable_change_for",
    "outcome_alerts",
    "session_alerts",
    "summarise",
    "total",
    "validate_face",
    "validate_items",
]
