"""Properties of the assessment/evaluation contract, over documents generated from the spec's text.

The red-flag rows and the Wells arithmetic below are written out again from assessment-json.md and
CLINICAL.md 5.2, independently of workstation.clinical, so the engine is checked against the table and
not against itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator, FormatChecker

from tests.workstation.clinical.strategies import (
    TODAY,
    WELLS_ITEMS,
    Broken,
    Document,
    assessment_documents,
    broken_documents,
)
from workstation.clinical.contract import AssessmentInvalid, field_paths
from workstation.clinical.evaluate import evaluate_document

CONTRACTS = Path(__file__).resolve().parents[3] / "docs" / "contracts"
INPUT_SCHEMA = Draft202012Validator(
    json.loads((CONTRACTS / "assessment.schema.json").read_text(encoding="utf-8")), format_checker=FormatChecker()
)
OUTPUT_SCHEMA = Draft202012Validator(json.loads((CONTRACTS / "evaluation.schema.json").read_text(encoding="utf-8")))

PROPERTY_RUNS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NOTICE = (  # CLINICAL.md 6.0, word for word (without the bold)
    "This list ranks conditions that are consistent with the findings entered. It is not a diagnosis and has "
    "not been validated. Red-flag rules override the ranking. The treating clinician is responsible for the "
    "diagnosis and for onward referral."
)
CONDITIONS = (  # assessment-json.md "Differential": the order for ties
    "overload", "gastrocnemius_strain", "soleus_strain", "silent_soleus_strain", "neural", "cecs", "dvt",
    "fibular_stress_fracture", "cramp", "doms",
)  # fmt: skip
TIER_RANK = {"routine": 0, "soon": 1, "urgent": 2, "emergency": 3}
F_CODE = re.compile(r"F([1-9]|[12][0-9]|3[0-2])")

# CLINICAL.md 5.2: every Wells item scores +1 except "alternative diagnosis as likely", which scores -2.
WELLS_POINTS = {item: 1 for item in WELLS_ITEMS} | {"alternative_diagnosis_as_likely": -2}
WELLS_LIKELY_FROM = 2  # NICE: >= 2 likely, <= 1 unlikely


# ---- the spec, written out again ---------------------------------------------------------------------------------


def _section(document: Document, *path: str) -> dict[str, Any]:
    here: Any = document
    for key in path:
        here = here.get(key) if isinstance(here, dict) else None
    return here if isinstance(here, dict) else {}


@dataclass(frozen=True)
class Wells:
    category: str
    score: int | None  # only for a complete screen
    floor: int | None  # answered points, with an unanswered -2 item assumed present (the safety extension)


def read_wells(document: Document) -> Wells:
    answers = {key: value for key, value in _section(document, "red_flags", "wells").items() if value is not None}
    if not answers:
        return Wells("not_assessed", None, None)
    points = sum(WELLS_POINTS[key] for key, value in answers.items() if value is True)
    if len(answers) < len(WELLS_ITEMS):
        assumed = -2 if "alternative_diagnosis_as_likely" not in answers else 0
        return Wells("incomplete", None, points + assumed)
    return Wells("likely" if points >= WELLS_LIKELY_FROM else "unlikely", points, points)


def _flag(name: str) -> Callable[[Document], bool]:
    return lambda document: _section(document, "red_flags").get(name) is True


def _swollen(document: Document) -> bool:
    return _section(document, "examination").get("calf_swelling_warmth_or_redness") is True


def _dvt(document: Document) -> bool:
    wells = read_wells(document)
    complete_score_with_swelling = wells.score is not None and wells.score >= 1 and _swollen(document)
    return _flag("dvt_suspected")(document) or wells.category == "likely" or complete_score_with_swelling


def dvt_extension(document: Document) -> bool:
    """The documented safety extension: an incomplete screen whose answers already reach the DVT threshold."""
    wells = read_wells(document)
    if wells.category != "incomplete" or wells.floor is None:
        return False
    return wells.floor >= WELLS_LIKELY_FROM or (wells.floor >= 1 and _swollen(document))


def _cellulitis(*, systemic: bool) -> Callable[[Document], bool]:
    def applies(document: Document) -> bool:
        signs, illness = _flag("cellulitis_signs")(document), _flag("systemic_illness")(document)
        return signs and illness == systemic

    return applies


RED_FLAG_ROWS: tuple[tuple[str, str, Callable[[Document], bool]], ...] = (  # assessment-json.md "Red flags"
    ("pulmonary_embolism", "emergency", _flag("pulmonary_embolism_symptoms")),
    ("cauda_equina", "emergency", _flag("cauda_equina_signs")),
    ("acute_compartment_syndrome", "emergency", _flag("acute_compartment_signs")),
    ("acute_limb_ischaemia", "emergency", _flag("cold_pale_pulseless_foot")),
    ("sepsis_or_necrotising_infection", "emergency", _cellulitis(systemic=True)),
    ("dvt", "urgent", _dvt),
    ("cellulitis", "urgent", _cellulitis(systemic=False)),
    ("progressive_neurological_deficit", "urgent", _flag("progressive_weakness")),
    ("suspected_rupture", "urgent", _flag("suspected_rupture")),
    ("severe_unexplained_pain", "urgent", _flag("severe_unexplained_pain")),
    ("bone_stress_injury", "soon", lambda d: _section(d, "examination").get("focal_fibula_tenderness") is True),
    ("popliteal_artery_entrapment", "soon", _flag("exercise_claudication")),
    ("serious_pathology_screen", "soon", _flag("cancer_history_weight_loss_or_night_pain")),
    (
        "dvt_screen_incomplete",
        "soon",
        lambda d: read_wells(d).category in ("incomplete", "not_assessed") and not _dvt(d),
    ),
)
TIER_OF = {code: tier for code, tier, _ in RED_FLAG_ROWS}


def _one_decimal(value: float) -> bool:
    return float(f"{value:.1f}") == value


def _rounded(value: Decimal) -> float:
    """One decimal place, halves up, of an exact decimal."""
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# ---- valid documents -----------------------------------------------------------------------------------------------


@PROPERTY_RUNS
@given(assessment_documents())
def test_a_valid_document_gives_an_evaluation_that_meets_the_output_contract(document: Document) -> None:
    evaluation = evaluate_document(document, today=TODAY)

    errors = sorted(OUTPUT_SCHEMA.iter_errors(evaluation), key=str)
    assert not errors, f"output breaks evaluation.schema.json: {errors[0].message} at {list(errors[0].path)}"
    assert evaluation["notice"] == NOTICE
    text = json.dumps(evaluation, allow_nan=False)  # JSON-serialisable, no NaN or Infinity
    again = evaluate_document(json.loads(json.dumps(document)), today=TODAY)
    assert json.dumps(again, allow_nan=False) == text, "the same input must give the same output"


@PROPERTY_RUNS
@given(assessment_documents())
def test_the_validator_and_the_schema_agree_on_valid_documents(document: Document) -> None:
    evaluate_document(document, today=TODAY)  # the validator accepts it (or this raises)
    errors = sorted(INPUT_SCHEMA.iter_errors(document), key=str)
    assert not errors, f"assessment.schema.json refuses a valid document: {errors[0].message} at {list(errors[0].path)}"


@PROPERTY_RUNS
@given(assessment_documents())
def test_every_red_flag_row_that_applies_is_listed_and_sets_the_urgency(document: Document) -> None:
    evaluation = evaluate_document(document, today=TODAY)
    listed = {flag["code"]: flag["tier"] for flag in evaluation["red_flags"]}
    extension = dvt_extension(document)

    for code, tier, applies in RED_FLAG_ROWS:
        if not applies(document):
            continue
        replaced_by_dvt = code == "dvt_screen_incomplete" and extension and "dvt" in listed
        assert code in listed or replaced_by_dvt, f"{code} applies but is not listed"
        assert TIER_RANK[evaluation["urgency"]] >= TIER_RANK[tier], f"{code} needs at least {tier}"
    for code, tier in listed.items():
        assert tier == TIER_OF[code], f"{code} is listed as {tier}; the table says {TIER_OF[code]}"
        raised_by_extension = code == "dvt" and extension
        applies = dict((row_code, rule) for row_code, _, rule in RED_FLAG_ROWS)[code](document)
        assert applies or raised_by_extension, f"{code} is listed but no row of the table applies"
    if "dvt" in listed:
        assert "dvt_screen_incomplete" not in listed, "dvt_screen_incomplete is not raised beside dvt"
    highest = max((TIER_RANK[tier] for tier in listed.values()), default=0)
    assert TIER_RANK[evaluation["urgency"]] == highest
    assert len(listed) == len(evaluation["red_flags"]), "a red-flag code is listed twice"


@PROPERTY_RUNS
@given(assessment_documents())
def test_the_wells_reading_follows_nice_and_wells_1997(document: Document) -> None:
    wells, expected = evaluate_document(document, today=TODAY)["wells"], read_wells(document)
    assert (wells["category"], wells["score"]) == (expected.category, expected.score)
    if expected.score is None:
        assert wells["three_level"] is None
    else:
        assert wells["three_level"] == ("high" if expected.score >= 3 else "moderate" if expected.score >= 1 else "low")


@PROPERTY_RUNS
@given(assessment_documents())
def test_the_differential_ranks_all_ten_conditions_once(document: Document) -> None:
    evaluation = evaluate_document(document, today=TODAY)
    ranking = evaluation["differential"]
    names = [entry["condition"] for entry in ranking]
    assert sorted(names) == sorted(CONDITIONS), "every condition exactly once"
    for entry in ranking:
        assert type(entry["score"]) is int, f"{entry['condition']} score {entry['score']!r} is not an integer"
        codes = entry["supporting"] + entry["opposing"]
        assert all(F_CODE.fullmatch(code) for code in codes), codes
        assert len(set(codes)) == len(codes), f"{entry['condition']}: a finding is listed twice: {codes}"

    dvt_raised = any(flag["code"] == "dvt" for flag in evaluation["red_flags"])
    if dvt_raised:
        assert names[0] == "dvt", "the dvt red flag moves dvt to the top"
    rest = [entry for entry in ranking if not (dvt_raised and entry["condition"] == "dvt")]
    in_order = sorted(rest, key=lambda entry: (-entry["score"], CONDITIONS.index(entry["condition"])))
    assert rest == in_order, "highest score first, ties in the contract's order"
    scores = sorted((entry["score"] for entry in ranking), reverse=True)
    if scores[0] - scores[1] <= 2:
        assert evaluation["low_confidence"] is True, "top two scores within 2 points"


@PROPERTY_RUNS
@given(assessment_documents())
def test_measurements_are_rounded_to_one_decimal(document: Document) -> None:
    evaluation = evaluate_document(document, today=TODAY)
    heel, knee = evaluation["heel_raise"], evaluation["knee_to_wall"]
    for name, value in [*heel.items(), *knee.items()]:
        if isinstance(value, float):
            assert _one_decimal(value), f"{name} = {value!r} is not rounded to one decimal"

    test = _section(document, "heel_raise")
    side = document["symptomatic_side"]
    involved, uninvolved = (
        (None, None) if side == "both" else (f"{side}_reps", "right_reps" if side == "left" else "left_reps")
    )
    reps = {key: test.get(key) for key in ("left_reps", "right_reps")}
    if side == "both" or None in reps.values() or reps[uninvolved] == 0:
        assert heel["lsi_percent"] is None and heel["asymmetry_percent"] is None
    else:
        exact = Decimal(int(reps[involved])) * 100 / Decimal(int(reps[uninvolved]))
        # The exact ratio rounded halves up (test_an_lsi_of_exactly_a_half_tenth_rounds_up shows one such half).
        assert heel["lsi_percent"] == _rounded(exact)
        assert heel["asymmetry_percent"] == _rounded(Decimal(100) - Decimal(repr(heel["lsi_percent"])))


def test_an_lsi_of_exactly_a_half_tenth_rounds_up() -> None:
    # 23 / 80 x 100 is exactly 28.75: one decimal place is 28.8 (half up, and half to even alike).
    document = {"schema": "calfdesk.assessment/1", "assessed_on": "2026-11-20", "symptomatic_side": "left",
                "heel_raise": {"left_reps": 23, "right_reps": 80}}  # fmt: skip
    heel = evaluate_document(document, today=TODAY)["heel_raise"]
    assert (heel["lsi_percent"], heel["asymmetry_percent"]) == (28.8, 71.2)


# ---- broken documents ----------------------------------------------------------------------------------------------


_QUOTED_KEY = re.compile(r'\["((?:[^"\\]|\\.)*)"\]')


def _names(line: str, path: str) -> bool:
    """Whether the problem line names ``path``; odd keys are printed JSON-quoted and cut at 40 characters."""
    if any(line.startswith(path + after) for after in (":", "[", ".")):
        return True
    printed = line.split(": ", 1)[0].removeprefix("document")
    raw = _QUOTED_KEY.sub(lambda m: "." + json.loads(f'"{m.group(1)}"').removesuffix("..."), printed).lstrip(".")
    return bool(raw) and path.startswith(raw)


@PROPERTY_RUNS
@given(broken_documents())
def test_a_broken_document_is_refused_with_a_line_naming_the_path(broken: Broken) -> None:
    with pytest.raises(AssessmentInvalid) as refused:
        evaluate_document(broken.document, today=TODAY)
    lines = refused.value.errors
    assert any(_names(line, path) for line in lines for path in broken.paths), (broken.what, lines)
    assert all(re.fullmatch(r"\S.*?: \S.*", line) for line in lines), lines


@PROPERTY_RUNS
@given(broken_documents())
def test_the_schema_refuses_what_it_can_express(broken: Broken) -> None:
    if broken.schema_can_tell:
        assert not INPUT_SCHEMA.is_valid(broken.document), f"assessment.schema.json accepts {broken.what}"


# ---- the strategies themselves -------------------------------------------------------------------------------------


def _leaf_paths(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_leaf_paths(item, f"{prefix}.{key}" if prefix else key) for key, item in value.items()))
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return set().union(*(_leaf_paths(item, f"{prefix}[]") for item in value))
    return {prefix}


@settings(max_examples=20, deadline=None)
@given(assessment_documents(complete=True))
def test_a_complete_document_answers_every_field_of_the_contract(document: Document) -> None:
    assert _leaf_paths(document) == set(field_paths())
