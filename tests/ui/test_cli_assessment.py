"""``calfdesk assessment import|export|list`` and the demo's assessment histories, run in-process through
``main()`` against real SQLite files in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import dbkit
from ui.__main__ import main
from ui.cli_assessment import IMPRESSION_CODES
from workstation.assessment.draft import AssessmentDraft
from workstation.assessment.rules import IMPRESSIONS, finalise_problems
from workstation.audit.records import AuditEvent
from workstation.clinical.contract import WELLS_KEYS, parse_assessment
from workstation.clinical.evaluate import evaluate
from workstation.demo_assessments import DVT_ACTION

OWNER = "owner"
PASSWORD = "tidal moss lantern cobalt"
DEMO_PATIENTS = 300
NO_RED_FLAGS = {
    key: False
    for key in (
        "dvt_suspected", "pulmonary_embolism_symptoms", "cauda_equina_signs", "progressive_weakness",
        "acute_compartment_signs", "cellulitis_signs", "systemic_illness", "suspected_rupture",
        "cold_pale_pulseless_foot", "exercise_claudication", "cancer_history_weight_loss_or_night_pain",
        "severe_unexplained_pain",
    )
}  # fmt: skip


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFDESK_T0", "0")
    monkeypatch.delenv("CALFDESK_DATABASE", raising=False)
    monkeypatch.setenv("CALFDESK_USER", OWNER)
    monkeypatch.setenv("CALFDESK_PASSWORD", PASSWORD)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("CALFDESK_PASSWORD", PASSWORD)
        argv = ["demo", "--patients", str(DEMO_PATIENTS), "--seed", "3", "--user", OWNER, "--database", url]
        assert main(argv) == 0
    return url


@pytest.fixture()
def patient(capsys: pytest.CaptureFixture[str], demo_url: str) -> dict[str, Any]:
    status, out, _ = _run(capsys, "patients", "list", "--database", demo_url, "--json", "--limit", "5")
    assert status == 0
    row: dict[str, Any] = json.loads(out)[2]
    return row


def _document(born: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema": "calfdesk.assessment/1",
        "assessed_on": "2025-11-20",
        "patient": {"date_of_birth": born},
        "symptomatic_side": "left",
        "history": {"onset": "gradual", "could_continue_running": True, "nprs_worst_24h": 5},
        "heel_raise": {"left_reps": 18, "right_reps": 31, "protocol": "incline_10deg_60bpm"},
        "knee_to_wall": {"left_cm": 9.0, "right_cm": 11.5},
        "red_flags": {
            "wells": {**dict.fromkeys(WELLS_KEYS, False), "alternative_diagnosis_as_likely": True},
            **NO_RED_FLAGS,
        },
        "outcomes": {"psfs": [{"activity": "Run 10 km", "score": 4}], "lefs_total": 61},
    }
    for path, value in changes.items():
        AssessmentDraft(0, None, document).set(path.replace("__", "."), value)
    return document


def _file(tmp_path: Path, document: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _assessment_ids(url: str, patient_id: int) -> list[int]:
    opened = dbkit.open_as(url, OWNER, PASSWORD)
    try:
        return [record.id for record in opened.store.assessments.current_for_patient(patient_id)]
    finally:
        opened.store.close()


def _events(url: str) -> list[str]:
    opened = dbkit.open_as(url, OWNER, PASSWORD)
    try:
        return [entry.event.value for entry in opened.store.audit.in_order()]
    finally:
        opened.store.close()


def _import(capsys: pytest.CaptureFixture[str], url: str, path: str, patient_id: int, *more: str) -> Any:
    return _run(capsys, "assessment", "import", path, "--patient", str(patient_id), "--database", url, *more)


def test_the_impression_codes_are_the_rules_own() -> None:
    assert IMPRESSION_CODES == IMPRESSIONS


def test_an_import_exports_as_the_same_document(
    capsys: pytest.CaptureFixture[str], demo_url: str, patient: dict[str, Any], tmp_path: Path
) -> None:
    document = _document(patient["date_of_birth"])
    status, out, err = _import(capsys, demo_url, _file(tmp_path, document), patient["id"], "--impression", "overload")
    assert (status, err) == (0, "")
    assessment_id = int(out.split()[2])
    assert assessment_id in _assessment_ids(demo_url, patient["id"])

    status, out, err = _run(capsys, "assessment", "export", str(assessment_id), "--database", demo_url)
    assert (status, err) == (0, "")
    assert json.loads(out) == document

    target = tmp_path / "out.json"
    status, out, err = _run(
        capsys, "assessment", "export", str(assessment_id), "--out", str(target), "--database", demo_url
    )
    assert (status, err) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8")) == document
    events = _events(demo_url)
    assert AuditEvent.ASSESSMENT_IMPORTED.value in events
    assert events.count(AuditEvent.ASSESSMENT_EXPORTED.value) >= 2

    status, out, err = _run(capsys, "assessment", "list", str(patient["id"]), "--json", "--database", demo_url)
    assert status == 0
    listed = {row["id"]: row for row in json.loads(out)}
    assert listed[assessment_id]["impression"] == "overload"
    assert listed[assessment_id]["assessed_on"] == "2025-11-20"


def test_a_document_that_breaks_the_contract_is_refused_line_by_line(
    capsys: pytest.CaptureFixture[str], demo_url: str, patient: dict[str, Any], tmp_path: Path
) -> None:
    before = _assessment_ids(demo_url, patient["id"])
    document = _document(patient["date_of_birth"], heel_raise__left_reps=-4, knee_to_wall__right_cm="far")
    status, out, err = _import(capsys, demo_url, _file(tmp_path, document), patient["id"], "--impression", "overload")
    assert status == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("heel_raise.left_reps: ") and lines[1].startswith("knee_to_wall.right_cm: ")
    assert _assessment_ids(demo_url, patient["id"]) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"{not json", "document: is not valid JSON"), (b"", "document: is empty"), (b"[1, 2]", "document: must be")],
)
def test_a_file_that_is_no_document_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], demo_url: str, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    status, out, err = _import(capsys, demo_url, str(path), 1, "--impression", "overload")
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith(expected)


def test_an_unanswered_red_flag_screen_is_refused_naming_each_item(
    capsys: pytest.CaptureFixture[str], demo_url: str, patient: dict[str, Any], tmp_path: Path
) -> None:
    before = _assessment_ids(demo_url, patient["id"])
    document = _document(patient["date_of_birth"], red_flags__wells__previous_dvt=None)
    status, _, err = _import(capsys, demo_url, _file(tmp_path, document), patient["id"], "--impression", "overload")
    assert status == 2
    assert any(line.startswith("red_flags.wells.previous_dvt: ") for line in err.splitlines())
    assert _assessment_ids(demo_url, patient["id"]) == before


def test_red_flags_need_the_action_taken(
    capsys: pytest.CaptureFixture[str], demo_url: str, patient: dict[str, Any], tmp_path: Path
) -> None:
    before = _assessment_ids(demo_url, patient["id"])
    document = _document(patient["date_of_birth"], red_flags__dvt_suspected=True)
    path = _file(tmp_path, document)
    status, out, err = _import(capsys, demo_url, path, patient["id"], "--impression", "dvt")
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and "dvt (urgent)" in err and "--action" in err
    assert _assessment_ids(demo_url, patient["id"]) == before

    status, out, err = _import(capsys, demo_url, path, patient["id"], "--impression", "dvt", "--action", DVT_ACTION)
    assert (status, err) == (0, "")
    opened = dbkit.open_as(demo_url, OWNER, PASSWORD)
    try:
        flags = opened.store.red_flags.for_patient(patient["id"])
    finally:
        opened.store.close()
    assert any(flag.code == "dvt" and flag.action == DVT_ACTION for flag in flags)


def test_the_document_must_be_of_this_patient(
    capsys: pytest.CaptureFixture[str], demo_url: str, patient: dict[str, Any], tmp_path: Path
) -> None:
    document = _document("1960-01-01")
    status, _, err = _import(capsys, demo_url, _file(tmp_path, document), patient["id"], "--impression", "overload")
    assert status == 2
    assert err.startswith("patient.date_of_birth: 1960-01-01 differs")

    anonymous = _document(patient["date_of_birth"])
    del anonymous["patient"]
    status, _, err = _import(capsys, demo_url, _file(tmp_path, anonymous), patient["id"], "--impression", "cramp")
    assert (status, err) == (0, "")


def test_an_unknown_patient_or_episode_is_refused(
    capsys: pytest.CaptureFixture[str], demo_url: str, patient: dict[str, Any], tmp_path: Path
) -> None:
    path = _file(tmp_path, _document(patient["date_of_birth"]))
    status, out, err = _import(capsys, demo_url, path, 999_999, "--impression", "overload")
    assert (status, out) == (2, "") and err.startswith("calfdesk: ") and len(err.splitlines()) == 1
    status, _, err = _import(capsys, demo_url, path, patient["id"], "--impression", "overload", "--episode", "999999")
    assert status == 2 and "no episode 999999" in err


def test_the_impression_is_required_and_one_of_the_codes(
    capsys: pytest.CaptureFixture[str], demo_url: str, tmp_path: Path
) -> None:
    path = _file(tmp_path, _document("1990-04-02"))
    assert _import(capsys, demo_url, path, 1)[0] == 2
    status, _, err = _import(capsys, demo_url, path, 1, "--impression", "sprain")
    assert status == 2 and "invalid choice" in err


def test_exporting_an_unknown_assessment(capsys: pytest.CaptureFixture[str], demo_url: str, tmp_path: Path) -> None:
    target = tmp_path / "never.json"
    status, out, err = _run(
        capsys, "assessment", "export", "987654", "--out", str(target), "--database", demo_url
    )  # fmt: skip
    assert (status, out) == (2, "") and err.startswith("calfdesk: ") and len(err.splitlines()) == 1
    assert not target.exists()


def test_the_help_says_red_flags_need_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "assessment", "import", "--help")
    assert status == 0
    assert "--action" in out and "red flag" in out


def _demo_records(url: str) -> list[Any]:
    opened = dbkit.open_as(url, OWNER, PASSWORD)
    try:
        store = opened.store
        return [record for row in store.patients.summaries() for record in store.assessments.for_patient(row.id)]
    finally:
        opened.store.close()


def test_the_demo_adds_valid_assessment_histories_with_actions_for_red_flags(demo_url: str) -> None:
    records = [record for record in _demo_records(demo_url) if json.loads(record.detail).get("plan")]
    assert len(records) >= 20
    by_episode: dict[int | None, int] = {}
    flagged = 0
    for record in records:
        draft = AssessmentDraft(record.patient_id, record.episode_id, json.loads(record.document))
        draft.detail = json.loads(record.detail)
        evaluation = evaluate(parse_assessment(draft.document, today=record.assessed_on))
        assert finalise_problems(draft, evaluation, today=record.assessed_on) == []
        assert json.loads(record.evaluation)["urgency"] == evaluation.urgency == record.urgency
        codes = {flag.code for flag in evaluation.red_flags}
        actions = draft.detail.get("red_flag_actions") or {}
        assert set(actions) == codes
        flagged += bool(codes)
        by_episode[record.episode_id] = by_episode.get(record.episode_id, 0) + 1
    assert flagged >= 1
    assert max(by_episode.values()) >= 3, "an initial assessment and follow-ups"
