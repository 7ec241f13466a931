"""Builders for small, valid ``calfdesk.assessment/1`` documents, written from assessment-json.md alone.

The oracle tests build their inputs here so that each test shows only the answers it is about. Nothing in
this module imports the clinical engine except its public entry point.
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

from workstation.clinical.country import Country
from workstation.clinical.evaluate import evaluate_document

# The engine is always asked "today" explicitly, so the tests never depend on the real date.
TODAY = datetime.date(2026, 12, 1)
ASSESSED_ON = "2026-11-20"

# The ten NICE two-level Wells items, in the contract's order (assessment-json.md, red_flags.wells).
WELLS_ITEMS = (
    "active_cancer",
    "paralysis_paresis_or_plaster",
    "bedridden_3_days_or_major_surgery_12_weeks",
    "deep_vein_tenderness",
    "whole_leg_swollen",
    "calf_swelling_3cm",
    "pitting_oedema_symptomatic_leg",
    "collateral_superficial_veins",
    "previous_dvt",
    "alternative_diagnosis_as_likely",
)
ALTERNATIVE_DIAGNOSIS = "alternative_diagnosis_as_likely"  # the one item that scores -2
PLUS_ONE_ITEMS = WELLS_ITEMS[:-1]

# Yes/no inputs of the red_flags section, other than the Wells items and the risk-factor list.
RED_FLAG_BOOLEANS = (
    "dvt_suspected",
    "pulmonary_embolism_symptoms",
    "cauda_equina_signs",
    "progressive_weakness",
    "acute_compartment_signs",
    "cellulitis_signs",
    "systemic_illness",
    "suspected_rupture",
    "cold_pale_pulseless_foot",
    "exercise_claudication",
    "cancer_history_weight_loss_or_night_pain",
    "severe_unexplained_pain",
)


def deep_merge(base: dict[str, Any], *overrides: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``base`` with each override laid over it in turn.

    Nested dictionaries merge key by key; any other value (a list, ``None``, a scalar) replaces the old one,
    so ``{"wells": None}`` really sends ``wells: null``.
    """
    merged = copy.deepcopy(base)
    for override in overrides:
        for key, value in override.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = deep_merge(merged[key], value)
            else:
                merged[key] = copy.deepcopy(value)
    return merged


def minimal_document(**sections: Any) -> dict[str, Any]:
    """The smallest valid assessment (the three required keys), plus the given top-level sections."""
    document: dict[str, Any] = {
        "schema": "calfdesk.assessment/1",
        "assessed_on": ASSESSED_ON,
        "symptomatic_side": "left",
    }
    return deep_merge(document, sections)


def wells(**answers: bool | None) -> dict[str, bool | None]:
    """All ten Wells items answered "no" (score 0), except the ones given."""
    unknown = set(answers) - set(WELLS_ITEMS)
    if unknown:
        raise KeyError(f"not Wells items: {sorted(unknown)}")
    return {item: answers.get(item, False) for item in WELLS_ITEMS}


def negative_red_flags(**answers: Any) -> dict[str, Any]:
    """A fully answered red-flag screen with nothing found: Wells 0 (unlikely), every flag input "no"."""
    screen: dict[str, Any] = {"wells": wells(), "dvt_risk_factors": []}
    screen.update(dict.fromkeys(RED_FLAG_BOOLEANS, False))
    return deep_merge(screen, answers)


def evaluate(document: dict[str, Any], country: Country | None = None) -> dict[str, Any]:
    """Evaluate ``document`` on the fixed test date."""
    return evaluate_document(document, today=TODAY, country=country)


def flag_codes(evaluation: dict[str, Any]) -> list[str]:
    """The red-flag codes of an evaluation, in the order the engine listed them."""
    return [flag["code"] for flag in evaluation["red_flags"]]


def flag(evaluation: dict[str, Any], code: str) -> dict[str, Any]:
    """The one red flag with ``code``; fails the test when it is missing or listed twice."""
    matches = [entry for entry in evaluation["red_flags"] if entry["code"] == code]
    assert len(matches) == 1, f"{code} listed {len(matches)} times in {flag_codes(evaluation)}"
    found: dict[str, Any] = matches[0]
    return found
