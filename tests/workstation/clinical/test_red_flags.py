"""Oracle tests of the red-flag rules, from the table in assessment-json.md ("Red flags (code, tier)").

Every test starts from a fully answered, negative screen (Wells 0, every flag input "no"), so the only
flags raised are the ones the test switches on.
"""

from __future__ import annotations

import itertools
from typing import Any, NamedTuple

import pytest

from tests.workstation.clinical.documents import (
    RED_FLAG_BOOLEANS,
    deep_merge,
    evaluate,
    flag,
    flag_codes,
    minimal_document,
    negative_red_flags,
    wells,
)
from workstation.clinical.country import Country


class Row(NamedTuple):
    code: str
    tier: str
    inputs: dict[str, Any]  # laid over the negative screen


# The contract's table, one row per code, each with the smallest input that should raise it.
TABLE = [
    Row("pulmonary_embolism", "emergency", {"red_flags": {"pulmonary_embolism_symptoms": True}}),
    Row("cauda_equina", "emergency", {"red_flags": {"cauda_equina_signs": True}}),
    Row("acute_compartment_syndrome", "emergency", {"red_flags": {"acute_compartment_signs": True}}),
    Row("acute_limb_ischaemia", "emergency", {"red_flags": {"cold_pale_pulseless_foot": True}}),
    Row(
        "sepsis_or_necrotising_infection",
        "emergency",
        {"red_flags": {"cellulitis_signs": True, "systemic_illness": True}},
    ),
    Row("dvt", "urgent", {"red_flags": {"dvt_suspected": True}}),  # also DVT_SUSPECTED below
    # systemic_illness stays "no" from the negative screen.
    Row("cellulitis", "urgent", {"red_flags": {"cellulitis_signs": True}}),
    Row("progressive_neurological_deficit", "urgent", {"red_flags": {"progressive_weakness": True}}),
    Row("suspected_rupture", "urgent", {"red_flags": {"suspected_rupture": True}}),
    Row("severe_unexplained_pain", "urgent", {"red_flags": {"severe_unexplained_pain": True}}),
    Row("bone_stress_injury", "soon", {"examination": {"focal_fibula_tenderness": True}}),
    Row("popliteal_artery_entrapment", "soon", {"red_flags": {"exercise_claudication": True}}),
    Row("serious_pathology_screen", "soon", {"red_flags": {"cancer_history_weight_loss_or_night_pain": True}}),
    Row("dvt_screen_incomplete", "soon", {"red_flags": {"wells": None}}),
]
TIER_OF = {row.code: row.tier for row in TABLE}
TIER_RANK = {"routine": 0, "soon": 1, "urgent": 2, "emergency": 3}

# The three ways the table raises dvt.
DVT_SUSPECTED = {"red_flags": {"dvt_suspected": True}}
DVT_BY_WELLS_LIKELY = {"red_flags": {"wells": wells(active_cancer=True, previous_dvt=True)}}  # score 2
DVT_BY_SCORE_ONE_AND_SWELLING = {
    "red_flags": {"wells": wells(previous_dvt=True)},  # score 1, unlikely
    "examination": {"calf_swelling_warmth_or_redness": True},
}

EMERGENCY_NUMBERS = {Country.UK: "999", Country.AU: "000", Country.EU: "112", Country.US: "911"}
# What a message must contain to tell the clinician to act (CLINICAL.md 5.1: each tier is an action).
ACTION_WORDS = (
    "call",
    "send",
    "refer",
    "arrange",
    "request",
    "stop",
    "answer",
    "complete",
    "ask",
    "book",
    "phone",
    "do not",
    "don't",
    "assess",
    "review",
)
SAME_DAY_WORDS = ("today", "same day", "same-day")  # Tier U: "medical assessment today"


def _screened(*inputs: dict[str, Any]) -> dict[str, Any]:
    base = minimal_document(red_flags=negative_red_flags(), examination={"focal_fibula_tenderness": False})
    return deep_merge(base, *inputs)


def _expected_codes(rows: tuple[Row, ...]) -> set[str]:
    codes = {row.code for row in rows}
    # cellulitis_signs with systemic_illness is sepsis, and not also cellulitis.
    if "sepsis_or_necrotising_infection" in codes:
        codes.discard("cellulitis")
    # dvt_screen_incomplete is raised "unless dvt is already raised".
    if "dvt" in codes:
        codes.discard("dvt_screen_incomplete")
    return codes


def _assert_well_formed(evaluation: dict[str, Any], expected_codes: set[str]) -> None:
    codes = flag_codes(evaluation)
    assert len(codes) == len(set(codes)), f"a code is listed twice: {codes}"
    assert set(codes) == expected_codes
    for entry in evaluation["red_flags"]:
        assert entry["tier"] == TIER_OF[entry["code"]]
    ranks = [TIER_RANK[entry["tier"]] for entry in evaluation["red_flags"]]
    assert ranks == sorted(ranks, reverse=True), f"not most urgent first: {codes}"
    highest = max((TIER_RANK[TIER_OF[code]] for code in expected_codes), default=0)
    assert TIER_RANK[evaluation["urgency"]] == highest


def test_a_fully_answered_negative_screen_raises_nothing_and_is_routine() -> None:
    evaluation = evaluate(_screened())

    assert evaluation["red_flags"] == []
    assert evaluation["urgency"] == "routine"


@pytest.mark.parametrize("row", TABLE, ids=[row.code for row in TABLE])
def test_each_row_alone_raises_its_code_at_its_tier(row: Row) -> None:
    evaluation = evaluate(_screened(row.inputs))

    assert flag_codes(evaluation) == [row.code]
    assert flag(evaluation, row.code)["tier"] == row.tier
    assert evaluation["urgency"] == row.tier


@pytest.mark.parametrize(
    "inputs", [DVT_BY_WELLS_LIKELY, DVT_BY_SCORE_ONE_AND_SWELLING], ids=["wells_likely", "score_1_with_swelling"]
)
def test_dvt_is_also_raised_by_the_wells_routes(inputs: dict[str, Any]) -> None:
    evaluation = evaluate(_screened(inputs))

    assert flag_codes(evaluation) == ["dvt"]
    assert evaluation["urgency"] == "urgent"


@pytest.mark.parametrize("country", [*EMERGENCY_NUMBERS, None], ids=["UK", "AU", "EU", "US", "unknown"])
@pytest.mark.parametrize("row", TABLE, ids=[row.code for row in TABLE])
def test_each_message_tells_the_clinician_what_to_do(row: Row, country: Country | None) -> None:
    message = flag(evaluate(_screened(row.inputs), country=country), row.code)["message"]

    assert isinstance(message, str)
    assert len(message.strip()) >= 20
    assert any(word in message.lower() for word in ACTION_WORDS), message
    if row.tier == "urgent":
        assert any(word in message.lower() for word in SAME_DAY_WORDS), message


@pytest.mark.parametrize("country", list(EMERGENCY_NUMBERS), ids=["UK", "AU", "EU", "US"])
@pytest.mark.parametrize("row", [row for row in TABLE if row.tier == "emergency"], ids=lambda row: row.code)
def test_emergency_messages_give_the_country_emergency_number(row: Row, country: Country) -> None:
    message = flag(evaluate(_screened(row.inputs), country=country), row.code)["message"]

    assert EMERGENCY_NUMBERS[country] in message


@pytest.mark.parametrize("row", [row for row in TABLE if row.tier == "emergency"], ids=lambda row: row.code)
def test_emergency_messages_give_every_number_when_the_country_is_unknown(row: Row) -> None:
    message = flag(evaluate(_screened(row.inputs), country=None), row.code)["message"]

    for number in ("999", "000", "112", "911"):
        assert number in message


@pytest.mark.parametrize(
    "inputs",
    [DVT_SUSPECTED, DVT_BY_WELLS_LIKELY, DVT_BY_SCORE_ONE_AND_SWELLING],
    ids=["suspected", "wells_likely", "score_1_with_swelling"],
)
def test_the_dvt_message_says_stop_loading_and_do_not_massage(inputs: dict[str, Any]) -> None:
    message = flag(evaluate(_screened(inputs)), "dvt")["message"].lower()

    # CLINICAL.md 5.2: on a positive screen, stop calf loading, do not massage.
    assert "stop" in message
    assert "load" in message
    assert "massag" in message


PAIRS = list(itertools.combinations(TABLE, 2))


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{a.code}+{b.code}" for a, b in PAIRS])
def test_pairs_of_rows_raise_both_most_urgent_first(pair: tuple[Row, Row]) -> None:
    evaluation = evaluate(_screened(*(row.inputs for row in pair)))

    _assert_well_formed(evaluation, _expected_codes(pair))


def test_every_row_at_once() -> None:
    evaluation = evaluate(_screened(*(row.inputs for row in TABLE)))

    expected = {row.code for row in TABLE} - {"cellulitis", "dvt_screen_incomplete"}
    _assert_well_formed(evaluation, expected)
    assert evaluation["urgency"] == "emergency"
    assert len(evaluation["red_flags"]) == 12


def test_every_row_at_once_with_cellulitis_instead_of_sepsis() -> None:
    rows = [row for row in TABLE if row.code != "sepsis_or_necrotising_infection"]

    evaluation = evaluate(_screened(*(row.inputs for row in rows)))

    expected = {row.code for row in rows} - {"dvt_screen_incomplete"}
    _assert_well_formed(evaluation, expected)
    assert "cellulitis" in flag_codes(evaluation)
    assert evaluation["urgency"] == "emergency"


@pytest.mark.parametrize(
    ("systemic_illness", "code", "tier"),
    [
        (True, "sepsis_or_necrotising_infection", "emergency"),
        (False, "cellulitis", "urgent"),
        (None, "cellulitis", "urgent"),
    ],
    ids=["systemic_yes", "systemic_no", "systemic_unanswered"],
)
def test_cellulitis_with_systemic_illness_is_sepsis_otherwise_cellulitis(
    systemic_illness: bool | None, code: str, tier: str
) -> None:
    inputs = {"red_flags": {"cellulitis_signs": True, "systemic_illness": systemic_illness}}

    evaluation = evaluate(_screened(inputs))

    assert flag_codes(evaluation) == [code]
    assert flag(evaluation, code)["tier"] == tier


def test_cellulitis_with_systemic_illness_absent_is_cellulitis() -> None:
    document = _screened({"red_flags": {"cellulitis_signs": True}})
    del document["red_flags"]["systemic_illness"]

    assert flag_codes(evaluate(document)) == ["cellulitis"]


@pytest.mark.parametrize(
    "wells_section",
    [{"wells": None}, {"wells": {}}, {"wells": wells(active_cancer=None)}],
    ids=["wells_null", "wells_empty", "wells_incomplete"],
)
def test_dvt_screen_incomplete_is_suppressed_when_dvt_is_suspected(wells_section: dict[str, Any]) -> None:
    evaluation = evaluate(_screened({"red_flags": {**wells_section, "dvt_suspected": True}}))

    assert flag_codes(evaluation) == ["dvt"]
    assert evaluation["urgency"] == "urgent"


def test_dvt_suspected_without_any_wells_answers_raises_dvt_only() -> None:
    evaluation = evaluate(minimal_document(red_flags={"dvt_suspected": True}))

    assert flag_codes(evaluation) == ["dvt"]


UNANSWERABLE = [("red_flags", name) for name in RED_FLAG_BOOLEANS] + [
    ("examination", "focal_fibula_tenderness"),
    ("examination", "calf_swelling_warmth_or_redness"),
]


@pytest.mark.parametrize(("section", "item"), UNANSWERABLE, ids=[item for _, item in UNANSWERABLE])
def test_an_unanswered_item_never_raises_a_flag(section: str, item: str) -> None:
    # Wells 1 (previous DVT) so that an unanswered swelling item would matter if it were read as "yes".
    inputs = {"red_flags": {"wells": wells(previous_dvt=True)}, section: {item: None}}

    evaluation = evaluate(_screened(inputs))

    assert evaluation["red_flags"] == []
    assert evaluation["urgency"] == "routine"


def test_items_left_out_raise_nothing_when_wells_is_complete() -> None:
    evaluation = evaluate(minimal_document(red_flags={"wells": wells()}))

    assert evaluation["red_flags"] == []
    assert evaluation["urgency"] == "routine"


@pytest.mark.parametrize(
    "inputs",
    [
        {"red_flags": {"systemic_illness": True}},
        {"red_flags": {"cellulitis_signs": None, "systemic_illness": True}},
        {"red_flags": {"dvt_risk_factors": ["long_travel", "previous_dvt_pe", "age_over_60"]}},
        {"examination": {"calf_swelling_warmth_or_redness": True}},  # Wells 0
        {"neural": {"neurological_deficit": True}},  # 6.2 "RF if progressive" is a comment only
        {"symptomatic_side": "both"},  # 6.2 "RF: CES screen" is a comment only
    ],
    ids=[
        "systemic_illness_alone",
        "systemic_illness_cellulitis_unanswered",
        "dvt_risk_factors_alone",
        "swelling_with_wells_0",
        "stable_neurological_deficit",
        "both_legs",
    ],
)
def test_inputs_outside_the_table_raise_nothing(inputs: dict[str, Any]) -> None:
    evaluation = evaluate(_screened(inputs))

    assert evaluation["red_flags"] == []
    assert evaluation["urgency"] == "routine"
