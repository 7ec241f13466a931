"""The clinical engine's one entry point: an assessment in, its evaluation out (``calfdesk.evaluation/1``).

``evaluate`` works on a validated :class:`Assessment` (the wizard's path); ``evaluate_document`` and
``evaluate_text`` take the JSON contract (the command line's path) and raise :class:`AssessmentInvalid`
naming every problem. The output's keys, order and rounding are the contract's
(``docs/assessment-contract.md``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from workstation.clinical.assessment import Assessment
from workstation.clinical.contract import ROOT, AssessmentInvalid, parse_assessment
from workstation.clinical.country import Country
from workstation.clinical.differential import NOTICE, Differential, rank_conditions
from workstation.clinical.findings import Context, read_findings
from workstation.clinical.flexibility import KneeToWallResult, assess_knee_to_wall
from workstation.clinical.heel_raise import HeelRaiseResult, assess_heel_raise
from workstation.clinical.red_flags import Facts, RedFlag, raise_red_flags, urgency
from workstation.clinical.rounding import one_decimal, one_decimal_or_none
from workstation.clinical.wells import WellsResult, score_wells

EVALUATION_SCHEMA = "calfdesk.evaluation/1"
MAX_DOCUMENT_BYTES = 1024 * 1024  # one assessment is a few KiB; a megabyte is a wrong file, not a patient


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything the engine concluded about one assessment, unrounded (``as_json`` rounds)."""

    heel_raise: HeelRaiseResult
    knee_to_wall: KneeToWallResult
    wells: WellsResult
    red_flags: tuple[RedFlag, ...]
    differential: Differential

    @property
    def urgency(self) -> str:
        return urgency(self.red_flags).code

    def as_json(self) -> dict[str, Any]:
        """The ``calfdesk.evaluation/1`` object, keys in the contract's order, numbers to one decimal."""
        lsi = one_decimal_or_none(self.heel_raise.lsi_exact)
        return {
            "schema": EVALUATION_SCHEMA,
            "heel_raise": {
                "lsi_percent": lsi,
                # From the rounded LSI, so the two figures a clinician reads always add up to 100.
                "asymmetry_percent": None if lsi is None else one_decimal(Decimal(100) - Decimal(repr(lsi))),
                "age_sex_norm_reps": self.heel_raise.age_sex_norm_reps,
                "flags": list(self.heel_raise.flags),
            },
            "knee_to_wall": {
                "difference_cm": self.knee_to_wall.difference_cm,
                "left_deg": self.knee_to_wall.left_deg,
                "right_deg": self.knee_to_wall.right_deg,
                "flag": self.knee_to_wall.flag,
            },
            "wells": {
                "score": self.wells.score,
                "category": self.wells.category,
                "three_level": self.wells.three_level,
            },
            "red_flags": [{"code": f.code, "tier": f.tier.code, "message": f.message} for f in self.red_flags],
            "urgency": self.urgency,
            "differential": [
                {
                    "condition": ranked.condition,
                    "score": ranked.score,
                    "supporting": list(ranked.supporting),
                    "opposing": list(ranked.opposing),
                }
                for ranked in self.differential.ranking
            ],
            "low_confidence": self.differential.low_confidence,
            "notice": NOTICE,
        }


def evaluate(assessment: Assessment, *, country: Country | None = None) -> Evaluation:
    """Evaluate a validated assessment; red flags name ``country``'s emergency number (all four if None)."""
    test = assessment.heel_raise
    patient = assessment.patient
    heel_raise = assess_heel_raise(
        test.left_reps, test.right_reps, assessment.symptomatic_side, patient.age_years, patient.sex
    )
    wells = score_wells(assessment.red_flags.wells)
    flags = tuple(raise_red_flags(Facts(assessment, wells), country))
    findings = read_findings(Context(assessment, heel_raise))
    return Evaluation(
        heel_raise=heel_raise,
        knee_to_wall=assess_knee_to_wall(assessment.knee_to_wall.left_cm, assessment.knee_to_wall.right_cm),
        wells=wells,
        red_flags=flags,
        differential=rank_conditions(findings, dvt_flag_raised=any(flag.code == "dvt" for flag in flags)),
    )


def evaluate_document(document: object, *, today: date, country: Country | None = None) -> dict[str, Any]:
    """Validate a decoded JSON document and return its evaluation as JSON-ready data.

    Raises:
        AssessmentInvalid: the document breaks the contract (every problem, each naming its path).
    """
    return evaluate(parse_assessment(document, today=today), country=country).as_json()


def evaluate_text(text: str | bytes, *, today: date, country: Country | None = None) -> dict[str, Any]:
    """Decode one JSON document (text or UTF-8 bytes) and evaluate it; AssessmentInvalid on any problem."""
    return evaluate_document(decode_document(text), today=today, country=country)


def decode_document(text: str | bytes) -> object:
    """Parse one JSON document strictly: no NaN or Infinity, no key given twice, a size limit."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise AssessmentInvalid(
            [f"{ROOT}: is {len(text):,} bytes, over the {MAX_DOCUMENT_BYTES:,}-byte limit for one assessment"]
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise AssessmentInvalid([f"{ROOT}: is not UTF-8 text (byte {error.start + 1})"]) from None
    if not text.strip():
        raise AssessmentInvalid([f"{ROOT}: is empty; expected one JSON object"])
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise AssessmentInvalid(
            [f"{ROOT}: is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"]
        ) from None
    except _DuplicateKey as duplicate:
        raise AssessmentInvalid([f'{ROOT}: key "{duplicate.key}" is given twice in one object']) from None
    except RecursionError:
        raise AssessmentInvalid([f"{ROOT}: is nested too deeply to be an assessment"]) from None


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _no_constants(name: str) -> float:
    # JSON has no NaN or Infinity; Python's reader accepts them unless told otherwise.
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)
