"""The JSON Schema files in docs/contracts: valid schemas, in step with the validator, and the spec's example.

The example input is assessment-json.md's, copied without its comments into data/example-assessment.json;
the expected figures are the spec's exact ones (or worked by hand from CLINICAL.md where noted).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from workstation.clinical.contract import AssessmentInvalid, field_paths
from workstation.clinical.evaluate import evaluate_document

ROOT = Path(__file__).resolve().parents[3]
CONTRACTS = ROOT / "docs" / "contracts"
EXAMPLE = Path(__file__).with_name("data") / "example-assessment.json"
TODAY = date(2026, 12, 1)  # the example was assessed on 2026-11-20
MINIMAL = {"schema": "calfdesk.assessment/1", "assessed_on": "2026-11-20", "symptomatic_side": "left"}


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


ASSESSMENT = _load(CONTRACTS / "assessment.schema.json")
EVALUATION = _load(CONTRACTS / "evaluation.schema.json")


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        assert node["$ref"].startswith("#/$defs/"), "the schemas refer only to their own $defs"
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def schema_leaf_paths(schema: dict[str, Any], node: dict[str, Any] | None = None, prefix: str = "") -> set[str]:
    """Every leaf path of an object schema, with ``[]`` for a list of objects (as ``field_paths`` writes it)."""
    node = _resolve(schema, schema if node is None else node)
    if "properties" in node:
        paths: set[str] = set()
        for key, child in node["properties"].items():
            paths |= schema_leaf_paths(schema, child, f"{prefix}.{key}" if prefix else key)
        return paths
    items = _resolve(schema, node.get("items", {}))
    if "properties" in items:
        return schema_leaf_paths(schema, items, f"{prefix}[]")
    return {prefix}


@pytest.mark.parametrize("schema", [ASSESSMENT, EVALUATION], ids=["assessment", "evaluation"])
def test_the_schema_files_are_valid_draft_2020_12_schemas(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("schema", [ASSESSMENT, EVALUATION], ids=["assessment", "evaluation"])
def test_every_object_in_the_schemas_refuses_unknown_keys(schema: dict[str, Any]) -> None:
    def objects(node: Any, where: str) -> list[tuple[str, Any]]:
        found = []
        if isinstance(node, dict):
            if "properties" in node:
                found.append((where, node))
            for key, child in node.items():
                found += objects(child, f"{where}/{key}")
        elif isinstance(node, list):
            for index, child in enumerate(node):
                found += objects(child, f"{where}/{index}")
        return found

    listed = objects(schema, "#")
    assert listed
    # The "not both date_of_birth and age_years" clause only names two keys; it is not an object of its own.
    loose = [where for where, node in listed if node.get("additionalProperties") is not False and "/not" not in where]
    assert not loose, f"additionalProperties is not false at {loose}"


def test_the_field_table_and_the_input_schema_name_the_same_paths() -> None:
    table, schema = set(field_paths()), schema_leaf_paths(ASSESSMENT)
    assert table - schema == set(), "in contract.DOCUMENT but not in assessment.schema.json"
    assert schema - table == set(), "in assessment.schema.json but not in contract.DOCUMENT"
    assert "outcomes.psfs[].activity" in table  # the walk reaches into the PSFS list


def _leaf_paths(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_leaf_paths(item, f"{prefix}.{key}" if prefix else key) for key, item in value.items()))
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return set().union(*(_leaf_paths(item, f"{prefix}[]") for item in value))
    return {prefix}


def test_the_output_schema_names_every_key_of_an_evaluation() -> None:
    example = _load(EXAMPLE)
    example["red_flags"]["pulmonary_embolism_symptoms"] = True  # so that red_flags holds an item
    evaluation = evaluate_document(example, today=TODAY)
    assert _leaf_paths(evaluation) == schema_leaf_paths(EVALUATION)


def _enums(schema: dict[str, Any], node: dict[str, Any], prefix: str = "") -> dict[str, list[Any]]:
    node = _resolve(schema, node)
    if "properties" in node:
        found: dict[str, list[Any]] = {}
        for key, child in node["properties"].items():
            found |= _enums(schema, child, f"{prefix}.{key}" if prefix else key)
        return found
    if "enum" in node:
        return {prefix: [value for value in node["enum"] if value is not None]}
    items = _resolve(schema, node.get("items", {}))
    return {prefix: items["enum"]} if "enum" in items else {}


def _set(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = json.loads(json.dumps(document))
    *sections, leaf = path.split(".")
    here = changed
    for section in sections:
        here = here.setdefault(section, {})
    here[leaf] = value
    return changed


INPUT_ENUMS = _enums(ASSESSMENT, ASSESSMENT)


@pytest.mark.parametrize("path", sorted(INPUT_ENUMS))
def test_the_validator_accepts_every_enum_value_of_the_schema_and_nothing_else(path: str) -> None:
    listed = path in ("history.recent_load_changes", "red_flags.dvt_risk_factors")  # lists of codes
    for value in INPUT_ENUMS[path]:
        evaluate_document(_set(MINIMAL, path, [value] if listed else value), today=TODAY)
    wrong = INPUT_ENUMS[path][0].upper()
    with pytest.raises(AssessmentInvalid) as refused:
        evaluate_document(_set(MINIMAL, path, [wrong] if listed else wrong), today=TODAY)
    assert any(line.startswith(path) for line in refused.value.errors)


@pytest.mark.parametrize("date", ["2026-02-30", "2026-13-01", "20-11-2026", "2025-02-29", "2026-11-20\n"])
def test_the_input_schema_refuses_impossible_dates(date: str) -> None:
    validator = Draft202012Validator(ASSESSMENT, format_checker=FormatChecker())
    assert not validator.is_valid({**MINIMAL, "assessed_on": date})


def test_the_input_schema_refuses_both_date_of_birth_and_age_but_allows_either() -> None:
    validator = Draft202012Validator(ASSESSMENT, format_checker=FormatChecker())
    assert validator.is_valid({**MINIMAL, "patient": {"date_of_birth": "1990-04-02"}})
    assert validator.is_valid({**MINIMAL, "patient": {"age_years": 36, "date_of_birth": None}})
    assert validator.is_valid({**MINIMAL, "patient": None})
    assert not validator.is_valid({**MINIMAL, "patient": {"date_of_birth": "1990-04-02", "age_years": 36}})


def test_the_example_validates_and_evaluates_as_the_spec_says() -> None:
    example = _load(EXAMPLE)
    errors = list(Draft202012Validator(ASSESSMENT, format_checker=FormatChecker()).iter_errors(example))
    assert not errors, errors[0].message

    evaluation = evaluate_document(example, today=TODAY)

    assert not list(Draft202012Validator(EVALUATION).iter_errors(evaluation))
    assert evaluation["schema"] == "calfdesk.evaluation/1"
    heel = evaluation["heel_raise"]
    assert (heel["lsi_percent"], heel["asymmetry_percent"]) == (58.1, 41.9)  # 18 / 31 x 100 = 58.06
    assert heel["flags"] == ["below_30_reps", "below_age_sex_norm", "lsi_below_90"]
    assert evaluation["knee_to_wall"] == {
        "difference_cm": 2.5, "left_deg": 32.4, "right_deg": 41.4, "flag": "likely_meaningful",
    }  # fmt: skip
    assert evaluation["wells"] == {"score": -2, "category": "unlikely", "three_level": "low"}
    assert evaluation["red_flags"] == []
    assert evaluation["urgency"] == "routine"


def test_the_example_differential_as_worked_by_hand() -> None:
    """CLINICAL.md 2.2 and 6.2 applied by hand to the example (the spec's own figures there are illustrative)."""
    evaluation = evaluate_document(_load(EXAMPLE), today=TODAY)
    # Female, 36 on 2026-11-20: the 30-39 decade norm for women is 27 reps.
    assert evaluation["heel_raise"]["age_sex_norm_reps"] == 27
    top, second = evaluation["differential"][:2]
    # Overload: F2 ++, F3 ++, F5 ++, F18 ++, F19 +, F28 ++, F32 + = 12.
    assert top == {
        "condition": "overload", "score": 12,
        "supporting": ["F2", "F3", "F5", "F18", "F19", "F28", "F32"], "opposing": [],
    }  # fmt: skip
    # Silent soleus strain: F2 ++, F3 +, F5 +, F18 +, F19 +, F28 +, F32 + = 8; a 4-point gap, 7+ answered.
    assert (second["condition"], second["score"]) == ("silent_soleus_strain", 8)
    assert evaluation["low_confidence"] is False
