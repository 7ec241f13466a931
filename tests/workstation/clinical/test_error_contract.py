"""``calfdesk evaluate`` refusing bad input, through the real command in a subprocess.

The contract (assessment-json.md, "Conventions"): a document that breaks it gives one line per problem on
standard error naming the path, nothing on standard output, exit status 2, and never a traceback. The
many field-level cases share one ``--jsonl`` run (each line's errors are checked on their own); the
document-level ones (bad JSON, empty, too large, ...) and the stream rules each get a run of their own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from workstation.clinical.evaluate import MAX_DOCUMENT_BYTES

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = Path(__file__).with_name("data") / "example-assessment.json"
def _today() -> date:
    """The command reads the machine's calendar when it runs: ask it then too, never at import, or a run
    that passes midnight compares its documents with yesterday."""
    return date.today()


def _assessed_on() -> date:
    return _today() - timedelta(days=10)
EXIT_INVALID = 2


@dataclass(frozen=True)
class Run:
    status: int
    stdout: bytes
    stderr: str
    seconds: float

    @property
    def problems(self) -> list[str]:
        return self.stderr.splitlines()


def calfdesk_evaluate(*args: str | Path, stdin: bytes = b"") -> Run:
    """Run ``calfdesk evaluate`` with ``args``; no run may ever show a traceback."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "ui", "evaluate", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    run = Run(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"), time.monotonic() - started)
    assert "Traceback" not in run.stderr and b"Traceback" not in run.stdout, run.stderr
    return run


def assert_refused(run: Run, *, problems: int | None = None) -> list[str]:
    """Status 2, nothing on standard output, ``problems`` lines (if given) on standard error."""
    assert run.status == EXIT_INVALID, (run.status, run.stderr)
    assert run.stdout == b"", "nothing may reach standard output"
    lines = run.problems
    assert lines and all(line.strip() for line in lines), run.stderr
    if problems is not None:
        assert len(lines) == problems, lines
    return lines


def good_document() -> dict[str, Any]:
    """The spec's example, assessed ten days ago (the command's "today" is the real one)."""
    document: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["assessed_on"] = _assessed_on().isoformat()
    return document


def changed(path: str, value: Any, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """``document`` (default: the good one) with ``value`` at the dotted ``path``."""
    result = good_document() if document is None else document
    *sections, leaf = path.split(".")
    here = result
    for section in sections:
        here = here.setdefault(section, {})
    here[leaf] = value
    return result


def without(path: str) -> dict[str, Any]:
    result = good_document()
    del result[path]
    return result


def names(line: str, path: str) -> bool:
    return any(line.startswith(path + after) for after in (": ", "[", "."))


# ---- field-level problems, one --jsonl run ------------------------------------------------------------------------

SIX_ACTIVITIES = [{"activity": f"Activity {n}", "score": 5} for n in range(6)]
FIELD_CASES: list[tuple[str, Callable[[], dict[str, Any]], tuple[str, ...]]] = [
    ("unknown key, top level", lambda: changed("colour", "red"), ("colour",)),
    ("unknown key, nested", lambda: changed("history.colour", "red"), ("history.colour",)),
    ("unknown key, two levels down", lambda: changed("red_flags.wells.d_dimer", True), ("red_flags.wells.d_dimer",)),
    (
        "unknown key in a PSFS activity",
        lambda: changed("outcomes.psfs", [{"activity": "Run", "score": 4, "note": "x"}]),
        ("outcomes.psfs[0].note",),
    ),
    ("string for an integer", lambda: changed("heel_raise.left_reps", "18"), ("heel_raise.left_reps",)),
    ("true for an integer", lambda: changed("heel_raise.right_reps", True), ("heel_raise.right_reps",)),
    ("number for a boolean", lambda: changed("examination.hop_pain", 1), ("examination.hop_pain",)),
    (
        "object for a list",
        lambda: changed("history.recent_load_changes", {"hills": True}),
        ("history.recent_load_changes",),
    ),
    (
        "a code listed twice",
        lambda: changed("history.recent_load_changes", ["hills", "hills"]),
        ("history.recent_load_changes[1]",),
    ),
    ("string for a section", lambda: changed("red_flags", "none"), ("red_flags",)),
    ("string for a number", lambda: changed("knee_to_wall.left_cm", "9.0"), ("knee_to_wall.left_cm",)),
    ("enum in capitals", lambda: changed("symptomatic_side", "LEFT"), ("symptomatic_side",)),
    ("number for an enum", lambda: changed("patient.sex", 3), ("patient.sex",)),
    ("reps 501", lambda: changed("heel_raise.left_reps", 501), ("heel_raise.left_reps",)),
    ("reps -1", lambda: changed("heel_raise.right_reps", -1), ("heel_raise.right_reps",)),
    ("nprs 11", lambda: changed("history.nprs_now", 11), ("history.nprs_now",)),
    ("knee to wall 30.5 cm", lambda: changed("knee_to_wall.right_cm", 30.5), ("knee_to_wall.right_cm",)),
    ("lefs 81", lambda: changed("outcomes.lefs_total", 81), ("outcomes.lefs_total",)),
    ("psfs with no activity", lambda: changed("outcomes.psfs", []), ("outcomes.psfs",)),
    ("psfs with 6 activities", lambda: changed("outcomes.psfs", SIX_ACTIVITIES), ("outcomes.psfs",)),
    (
        "psfs score 11",
        lambda: changed("outcomes.psfs", [{"activity": "Run", "score": 11}]),
        ("outcomes.psfs[0].score",),
    ),
    ("age 121", lambda: changed("patient", {"age_years": 121}), ("patient.age_years",)),
    ("30 February", lambda: changed("assessed_on", "2026-02-30"), ("assessed_on",)),
    ("month 13", lambda: changed("patient.date_of_birth", "2026-13-01"), ("patient.date_of_birth",)),
    ("day-month-year", lambda: changed("assessed_on", "20-11-2026"), ("assessed_on",)),
    (
        "assessed before birth",
        lambda: changed("patient.date_of_birth", (_assessed_on() + timedelta(days=1)).isoformat()),
        ("assessed_on", "patient.date_of_birth"),
    ),
    ("assessed tomorrow", lambda: changed("assessed_on", (_today() + timedelta(days=1)).isoformat()), ("assessed_on",)),
    (
        "date of birth and age",
        lambda: changed("patient", {"date_of_birth": "1990-04-02", "age_years": 36}),
        ("patient",),
    ),
    ("schema missing", lambda: without("schema"), ("schema",)),
    ("another schema", lambda: changed("schema", "calfdesk.assessment/2"), ("schema",)),
    ("side null", lambda: changed("symptomatic_side", None), ("symptomatic_side",)),
]


@pytest.fixture(scope="module")
def field_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, list[dict[str, Any]]]:
    lines = [json.dumps(make(), ensure_ascii=False) for _, make, _ in FIELD_CASES]
    batch = tmp_path_factory.mktemp("batch") / "cases.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = calfdesk_evaluate("--jsonl", batch)
    return run, [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]


@pytest.mark.parametrize(("case", "paths"), [(case, paths) for case, _, paths in FIELD_CASES])
def test_a_field_problem_is_named_by_its_path(
    field_batch: tuple[Run, list[dict[str, Any]]], case: str, paths: tuple[str, ...]
) -> None:
    number = [name for name, _, _ in FIELD_CASES].index(case) + 1
    _, outputs = field_batch
    record = outputs[number - 1]
    assert set(record) == {"line", "errors"} and record["line"] == number, record
    assert len(record["errors"]) == 1, f"{case}: one problem, one line: {record['errors']}"
    assert any(names(error, path) for error in record["errors"] for path in paths), (case, record["errors"])


def test_the_field_batch_reports_every_line_and_fails(field_batch: tuple[Run, list[dict[str, Any]]]) -> None:
    run, outputs = field_batch
    assert run.status == EXIT_INVALID
    assert [record.get("line") for record in outputs] == list(range(1, len(FIELD_CASES) + 1))


# ---- one document at a time --------------------------------------------------------------------------------------


def write(tmp_path: Path, content: bytes | str, name: str = "assessment.json") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_a_good_document_prints_its_evaluation_and_nothing_else(tmp_path: Path) -> None:
    run = calfdesk_evaluate(write(tmp_path, json.dumps(good_document())))
    assert (run.status, run.stderr) == (0, "")
    evaluation = json.loads(run.stdout)
    assert evaluation["schema"] == "calfdesk.evaluation/1"
    assert evaluation["heel_raise"]["lsi_percent"] == 58.1


def test_a_value_out_of_range_gives_the_spec_line_exactly(tmp_path: Path) -> None:
    run = calfdesk_evaluate(write(tmp_path, json.dumps(changed("heel_raise.left_reps", 501))))
    assert assert_refused(run, problems=1) == ["heel_raise.left_reps: must be an integer from 0 to 500"]


def test_several_problems_give_one_line_each(tmp_path: Path) -> None:
    document = changed("heel_raise.left_reps", "18")
    changed("history.colour", "red", document)
    changed("knee_to_wall.left_cm", 30.5, document)
    changed("outcomes.lefs_total", 81, document)
    lines = assert_refused(calfdesk_evaluate(write(tmp_path, json.dumps(document))), problems=4)
    for path in ("heel_raise.left_reps", "history.colour", "knee_to_wall.left_cm", "outcomes.lefs_total"):
        assert sum(names(line, path) for line in lines) == 1, (path, lines)


GOOD_TEXT = json.dumps(good_document())
DOCUMENT_CASES: list[tuple[str, bytes, str]] = [  # (case, file content, a word a clear message contains)
    ("malformed JSON", GOOD_TEXT[:-5].encode(), "json"),
    ("a trailing comma", b'{"schema": "calfdesk.assessment/1",}', "json"),
    ("an empty file", b"", "empty"),
    ("only whitespace", b" \n\t\r\n  ", "empty"),
    ("a list at the top", b"[]", "object"),
    ("a number at the top", b"3", "object"),
    ("NaN", GOOD_TEXT.replace('"left_cm": 9.0', '"left_cm": NaN').encode(), "nan"),
    ("Infinity", GOOD_TEXT.replace('"lefs_total": 61', '"lefs_total": Infinity').encode(), "infinity"),
    ("a key given twice", GOOD_TEXT.replace('"left_reps": 18', '"left_reps": 18, "left_reps": 19').encode(),
     "left_reps"),
    ("invalid UTF-8", GOOD_TEXT.replace('"Run 10 km"', '"Run 10 km \udcff"').encode("utf-8", "surrogateescape"),
     "utf-8"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "content", "word"), DOCUMENT_CASES, ids=[case for case, _, _ in DOCUMENT_CASES])
def test_a_document_that_is_not_one_json_object_is_refused_in_one_line(
    tmp_path: Path, case: str, content: bytes, word: str
) -> None:
    [line] = assert_refused(calfdesk_evaluate(write(tmp_path, content)), problems=1)
    assert word in line.lower(), f"{case}: {line!r} should say what is wrong"


def test_a_file_over_the_size_limit_fails_fast_and_says_so(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as stream:
        stream.write(b'{"schema": "calfdesk.assessment/1", "notes": "')
        stream.truncate(1024**3)  # a sparse gigabyte: reading it all would take seconds and the memory
    run = calfdesk_evaluate(huge)
    [line] = assert_refused(run, problems=1)
    assert f"{MAX_DOCUMENT_BYTES:,}" in line or str(MAX_DOCUMENT_BYTES) in line, f"{line!r} should name the limit"
    assert run.seconds < 5, f"took {run.seconds:.1f} s: the file must not be read whole"


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    [line] = assert_refused(calfdesk_evaluate(tmp_path / "no-such-assessment.json"), problems=1)
    assert "no-such-assessment.json" in line


# ---- standard input, batches, countries --------------------------------------------------------------------------


def test_standard_input_with_a_dash() -> None:
    good = calfdesk_evaluate("-", stdin=GOOD_TEXT.encode())
    assert (good.status, good.stderr) == (0, "")
    assert json.loads(good.stdout)["knee_to_wall"]["flag"] == "likely_meaningful"
    bad = calfdesk_evaluate("-", stdin=json.dumps(changed("history.nprs_now", 11)).encode())
    [line] = assert_refused(bad, problems=1)
    assert names(line, "history.nprs_now")


def _emergency_document() -> dict[str, Any]:
    return changed("red_flags.pulmonary_embolism_symptoms", True)


def test_a_mixed_batch_answers_every_line_in_order_and_fails(tmp_path: Path) -> None:
    lines = [
        GOOD_TEXT,
        json.dumps(changed("heel_raise.left_reps", 501)),
        json.dumps(_emergency_document()),
        '{"schema": "calfdesk.assessment/1", oops',
        json.dumps(changed("examination.focal_fibula_tenderness", True)),
    ]
    run = calfdesk_evaluate("--jsonl", write(tmp_path, "\n".join(lines) + "\n", "batch.jsonl"))
    assert run.status == EXIT_INVALID
    outputs = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert len(outputs) == len(lines), "one output line per input line"
    assert outputs[1]["line"] == 2 and names(outputs[1]["errors"][0], "heel_raise.left_reps")
    assert outputs[3]["line"] == 4 and len(outputs[3]["errors"]) == 1
    assert set(outputs[1]) == set(outputs[3]) == {"line", "errors"}
    urgencies = [outputs[index]["urgency"] for index in (0, 2, 4)]
    assert urgencies == ["routine", "emergency", "soon"], "the good lines keep their places"


def test_a_batch_of_good_lines_succeeds_from_standard_input() -> None:
    lines = [GOOD_TEXT, json.dumps(_emergency_document()), GOOD_TEXT]
    stdin = (lines[0] + "\r\n" + lines[1] + "\n" + lines[2]).encode()  # CRLF, LF, and no final newline
    run = calfdesk_evaluate("--jsonl", "-", stdin=stdin)
    assert run.status == 0, run.stderr
    outputs = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert [output["urgency"] for output in outputs] == ["routine", "emergency", "routine"]


def test_a_batch_from_standard_input_reports_its_bad_lines() -> None:
    stdin = (GOOD_TEXT + "\n" + "[]" + "\n").encode()
    run = calfdesk_evaluate("--jsonl", "-", stdin=stdin)
    assert run.status == EXIT_INVALID
    outputs = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert outputs[0]["schema"] == "calfdesk.evaluation/1"
    assert outputs[1]["line"] == 2 and len(outputs[1]["errors"]) == 1


def test_an_over_long_batch_line_fails_alone(tmp_path: Path) -> None:
    padding = "x" * (MAX_DOCUMENT_BYTES + 10)
    lines = [GOOD_TEXT, json.dumps({**good_document(), "notes": padding}), GOOD_TEXT]
    run = calfdesk_evaluate("--jsonl", write(tmp_path, "\n".join(lines) + "\n", "batch.jsonl"))
    assert run.status == EXIT_INVALID
    outputs = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert [output.get("line") for output in outputs] == [None, 2, None]
    assert outputs[2]["schema"] == "calfdesk.evaluation/1"


def test_country_au_names_000_in_an_emergency_message(tmp_path: Path) -> None:
    run = calfdesk_evaluate("--country", "AU", write(tmp_path, json.dumps(_emergency_document())))
    assert run.status == 0, run.stderr
    evaluation = json.loads(run.stdout)
    [embolism] = [flag for flag in evaluation["red_flags"] if flag["code"] == "pulmonary_embolism"]
    assert "000" in embolism["message"]
    assert not any(number in embolism["message"] for number in ("999", "911", "112")), embolism["message"]


def test_an_unknown_country_is_refused_by_the_argument_parser(tmp_path: Path) -> None:
    run = calfdesk_evaluate("--country", "XX", write(tmp_path, GOOD_TEXT))
    assert run.status == EXIT_INVALID and run.stdout == b""
    assert "--country" in run.stderr and "usage:" in run.stderr, run.stderr
