"""The engine's shape: the weight table is whole, the command is light, the rules are one table each."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workstation.clinical import red_flags
from workstation.clinical.country import Country, emergency_call
from workstation.clinical.differential_weights import CONDITIONS, WEIGHT_TABLE, WEIGHTS, parse_weight_table
from workstation.clinical.findings import FINDINGS

REPO = Path(__file__).resolve().parents[3]


def test_every_finding_has_one_row_of_weights_and_every_row_a_finding() -> None:
    assert [finding.code for finding in FINDINGS] == [f"F{n}" for n in range(1, 33)]
    assert list(WEIGHTS) == [finding.code for finding in FINDINGS]


def test_a_few_cells_read_as_the_clinical_table_prints_them() -> None:
    # CLINICAL.md 6.2, read by hand: F1 GAS ++, F1 SIL --, F14 DVT ++, F22 NEU --, F4 DVT --, F27 CEC ++.
    assert WEIGHTS["F1"]["gastrocnemius_strain"] == 2
    assert WEIGHTS["F1"]["silent_soleus_strain"] == -2
    assert WEIGHTS["F14"]["dvt"] == 2
    assert WEIGHTS["F22"] == {"neural": -2}
    assert WEIGHTS["F4"]["dvt"] == -2
    assert WEIGHTS["F27"]["cecs"] == 2
    assert "dvt" not in WEIGHTS["F1"]  # a blank cell is no weight, not a zero entry


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ("finding OVL GAS\nF1 + +", "header names 2 conditions"),
        ("\n".join([WEIGHT_TABLE.strip().splitlines()[0], "F1 " + "+ " * 9]), "one symbol per condition"),
        (WEIGHT_TABLE + "F1 " + ". " * 10, "one symbol per condition, once"),
    ],
)
def test_a_malformed_weight_table_is_refused_by_name(table: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_weight_table(table)


def test_an_unknown_symbol_in_the_weight_table_is_refused() -> None:
    broken = WEIGHT_TABLE.replace("F31       .   .   .   .   .   .   .   .   ++", "F31 . . . . . . . . +++")
    assert broken != WEIGHT_TABLE
    with pytest.raises(ValueError, match=re.escape("row F31: unknown symbol '+++'")):
        parse_weight_table(broken)


def test_red_flag_codes_are_unique_and_tiers_ordered() -> None:
    codes = [rule.code for rule in red_flags.RULES]
    assert len(codes) == len(set(codes)) == 14
    tiers = [rule.tier for rule in red_flags.RULES]
    assert tiers == sorted(tiers, reverse=True), "the table is written most urgent first"


def test_emergency_numbers_by_country() -> None:
    assert emergency_call(Country.UK) == "call 999"
    assert emergency_call(Country.AU) == "call 000"
    assert emergency_call(Country.EU) == "call 112"
    assert emergency_call(Country.US) == "call 911"
    assert all(number in emergency_call(None) for number in ("999", "000", "112", "911"))
    assert Country.from_code("gb") is Country.UK
    with pytest.raises(ValueError, match="use one of UK, AU, EU, US"):
        Country.from_code("NZ")


def test_conditions_are_the_contracts_ten_in_its_order() -> None:
    assert CONDITIONS == (
        "overload", "gastrocnemius_strain", "soleus_strain", "silent_soleus_strain", "neural", "cecs", "dvt",
        "fibular_stress_fracture", "cramp", "doms",
    )  # fmt: skip


def test_the_evaluate_command_loads_no_database_qt_or_numpy(tmp_path: Path) -> None:
    # A squad batch runs on a server with no display; and every library it does not need is start-up time.
    document = tmp_path / "one.json"
    document.write_text(
        json.dumps({"schema": "calfdesk.assessment/1", "assessed_on": "2026-01-05", "symptomatic_side": "left"}),
        encoding="utf-8",
    )
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['calfdesk', 'evaluate', {str(document)!r}]\n"
        "from ui.__main__ import main\n"
        "status = main()\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'PySide6', 'numpy', 'pandas', 'db', 'reportlab', 'alembic')"
        " if m in sys.modules)\n"
        "print('HEAVY', heavy, status, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False)
    assert "HEAVY [] 0" in done.stderr, done.stderr
    assert json.loads(done.stdout)["schema"] == "calfdesk.evaluation/1"


def test_an_odd_key_is_named_on_one_readable_line() -> None:
    from datetime import date

    from workstation.clinical.contract import AssessmentInvalid, parse_assessment

    document = {"schema": "calfdesk.assessment/1", "assessed_on": "2026-11-20", "symptomatic_side": "left",
                "history": {"line\nbreak": True, "x" * 500: 1}}  # fmt: skip
    with pytest.raises(AssessmentInvalid) as refused:
        parse_assessment(document, today=date(2026, 12, 1))
    assert refused.value.errors == (
        'history["line\\nbreak"]: unknown key',
        f'history["{"x" * 40}..."]: unknown key',
    )


def test_parsing_the_command_line_does_not_load_the_engine() -> None:
    # Every start of the window builds the whole parser, the evaluate command's included.
    probe = (
        "import sys\nfrom ui.__main__ import build_parser\nbuild_parser()\n"
        "print(sorted(m for m in sys.modules if m.startswith('workstation.clinical.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['workstation.clinical.country']"


def test_the_assessment_service_loads_no_engine_until_it_evaluates() -> None:
    # Opening a patient's record asks the service for standing red flags on every open.
    probe = (
        "import sys\nimport workstation.services.assessments\n"
        "print(sorted(m for m in sys.modules if m.startswith('workstation.clinical.')"
        " or m == 'workstation.assessment.rules'))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
