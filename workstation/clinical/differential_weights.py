"""The differential's weights: CLINICAL.md section 6.2, as one table a clinical reviewer can read and edit.

Rows are findings F1-F32, columns the ten conditions. Symbols as in CLINICAL.md: ``++`` = +2, ``+`` = +1,
``-`` = -1, ``--`` = -2, ``.`` = no weight (a blank cell there). Notes such as "(RF)" or "(age>60)" in the
source table are comments and are left out: the red-flag rules, not these weights, raise red flags.

These weights are a heuristic from the cited descriptions, not a validated prediction rule. Change a
symbol here and nothing else: ``tests/workstation/clinical/test_differential_worked_cases.py`` then
tells you which worked cases moved.
"""

from __future__ import annotations

CONDITIONS: tuple[str, ...] = (
    # contract order, which also breaks ties
    "overload",  # OVL calf fatigue / overload
    "gastrocnemius_strain",  # GAS
    "soleus_strain",  # SOL acute soleus strain
    "silent_soleus_strain",  # SIL low-grade, gradual soleus strain
    "neural",  # NEU neural tension / lumbar referral
    "cecs",  # CEC chronic exertional compartment syndrome
    "dvt",  # DVT deep vein thrombosis
    "fibular_stress_fracture",  # FSF
    "cramp",  # CRA exercise-associated muscle cramp
    "doms",  # DOM delayed-onset muscle soreness
)

CONDITION_NAMES: dict[str, str] = {  # how the app and letters name each condition
    "overload": "Calf overload",
    "gastrocnemius_strain": "Gastrocnemius strain",
    "soleus_strain": "Soleus strain",
    "silent_soleus_strain": "Low-grade (silent) soleus strain",
    "neural": "Neural tension or referral from the back",
    "cecs": "Chronic exertional compartment syndrome",
    "dvt": "Deep vein thrombosis",
    "fibular_stress_fracture": "Fibular stress fracture",
    "cramp": "Exercise-associated muscle cramp",
    "doms": "Delayed-onset muscle soreness",
}

WEIGHT_TABLE = """
finding  OVL GAS SOL SIL NEU CEC DVT FSF CRA DOM
F1        -   ++  +   --  -   -   .   -   +   --
F2        ++  --  -   ++  +   +   .   +   -   .
F3        ++  -   -   +   +   ++  -   .   .   -
F4        +   -   -   .   .   ++  --  -   +   -
F5        ++  .   .   +   .   .   -   .   .   +
F6        +   -   -   .   .   .   -   -   .   ++
F7        .   -   .   .   .   .   .   .   ++  .
F8        -   +   +   .   .   --  +   +   -   +
F9        --  .   .   -   +   -   +   +   .   .
F10       .   ++  -   -   .   .   .   .   .   .
F11       .   -   +   ++  .   .   .   .   .   .
F12       -   -   -   -   .   .   .   ++  .   .
F13       -   ++  +   -   .   .   -   .   .   .
F14       --  +   +   .   .   -   ++  .   .   -
F15       .   .   .   .   .   .   ++  .   .   .
F16       .   ++  -   -   .   .   .   .   .   .
F17       .   -   ++  ++  .   .   .   .   .   .
F18       ++  .   +   +   +   .   .   .   .   .
F19       +   +   +   +   -   .   .   .   .   +
F20       .   .   .   .   ++  .   .   .   .   .
F21       -   .   .   .   ++  .   .   .   .   .
F22       .   .   .   .   --  .   .   .   .   .
F23       -   .   .   .   ++  .   .   .   .   .
F24       .   .   .   .   +   ++  .   .   .   .
F25       +   .   .   .   .   ++  .   .   .   .
F26       +   -   -   -   -   +   -   -   .   +
F27       +   --  -   -   .   ++  -   -   .   .
F28       ++  +   +   +   .   .   .   +   +   +
F29       .   +   +   +   .   .   +   .   .   .
F30       .   .   .   .   .   .   .   ++  .   .
F31       .   .   .   .   .   .   .   .   ++  .
F32       +   --  .   +   .   .   .   .   .   .
"""

_POINTS = {"++": 2, "+": 1, ".": 0, "-": -1, "--": -2}


def parse_weight_table(table: str = WEIGHT_TABLE) -> dict[str, dict[str, int]]:
    """{finding: {condition: weight}} with only the non-zero weights; a malformed row is a ValueError."""
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    if len(header) != len(CONDITIONS) + 1:
        raise ValueError(f"the header names {len(header) - 1} conditions, not {len(CONDITIONS)}")
    weights: dict[str, dict[str, int]] = {}
    for row in rows:
        finding, symbols = row[0], row[1:]
        if len(symbols) != len(CONDITIONS) or finding in weights:
            raise ValueError(f"row {finding}: needs one symbol per condition, once")
        unknown = sorted(set(symbols) - set(_POINTS))
        if unknown:
            raise ValueError(f"row {finding}: unknown symbol {unknown[0]!r} (use ++ + . - --)")
        weights[finding] = {c: _POINTS[s] for c, s in zip(CONDITIONS, symbols, strict=True) if _POINTS[s]}
    return weights


WEIGHTS: dict[str, dict[str, int]] = parse_weight_table()
